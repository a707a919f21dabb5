/**
 * Checks of Docker image references and registry addresses, made at prepare time so a
 * typo fails the build before any container starts. The grammar is Docker's
 * (distribution/reference): `[registry[:port]/]path[:tag][@digest]`, lower-case path
 * components, a tag of at most 128 word characters, dots and dashes.
 */

/** A reference split into its parts; `registry` is undefined for Docker Hub names. */
export interface ImageRef {
  readonly registry: string | undefined;
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const NAME_MAX = 255;

/**
 * Parses `ref`; returns the parts, or one sentence saying what is wrong with it. A bare
 * image ID (`sha256:<hex>` or a hex prefix) parses as a name, as `docker run` takes it.
 */
export function parseImageRef(ref: string): ImageRef | string {
  if (ref === '') return 'the reference is empty';
  if (/\s/.test(ref)) return 'a reference cannot contain white space';
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return `"${digest}" is not a digest (algorithm:hex, e.g. sha256:<64 hex digits>)`;
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return `"${tag}" is not a valid tag (letters, digits, _ . -; at most 128; not starting with . or -)`;
  }
  if (rest === '') return 'the repository name is empty';
  if (rest.length > NAME_MAX) return `the repository name is longer than ${NAME_MAX} characters`;
  const parts = rest.split('/');
  let registry: string | undefined;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    const problem = registryProblem(first);
    if (problem !== undefined) return problem;
    registry = first;
    parts.shift();
  }
  for (const part of parts) {
    if (part === '') return 'the repository name has an empty path component ("//" or a leading or trailing "/")';
    if (!PATH_COMPONENT.test(part)) {
      return part !== part.toLowerCase()
        ? `repository name "${part}" must be lower case`
        : `"${part}" is not a valid repository name component (lower-case letters and digits, separated by ".", "_", "__" or "-")`;
    }
  }
  return { registry, path: parts.join('/'), tag, digest };
}

/** Undefined when `ref` is a valid image reference; else a sentence for the user. */
export function imageRefProblem(ref: string): string | undefined {
  const r = parseImageRef(ref);
  return typeof r === 'string' ? r : undefined;
}

/**
 * Undefined when `address` is a registry address `docker login` can use: `host[:port]`,
 * optionally as an `http(s)://` URL with a path (Docker Hub's `https://index.docker.io/v1/`).
 */
export function registryProblem(address: string): string | undefined {
  let host = address;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(host);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1] ?? '')) return `"${address}" has scheme ${scheme[1] ?? ''}; a registry is reached over http or https`;
    host = host.slice(scheme[0].length).replace(/\/.*$/, '');
  }
  if (host === '') return `"${address}" names no host`;
  if (/\s/.test(host)) return `"${address}" contains white space`;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return `"${address}" has an unclosed IPv6 bracket`;
    const after = host.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return `"${address}" is not host[:port]`;
    port = after === '' ? undefined : after.slice(1);
    if (!/^[0-9a-fA-F:.]+$/.test(host.slice(1, close))) return `"${host.slice(1, close)}" is not an IPv6 address`;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) {
      port = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
    if (host === '') return `"${address}" names no host`;
    for (const component of host.split('.')) {
      if (!DOMAIN_COMPONENT.test(component)) return `"${host}" is not a host name or IP address`;
    }
  }
  if (port !== undefined) {
    if (!/^\d+$/.test(port)) return `port "${port}" of "${address}" is not a number`;
    const n = Number(port);
    if (n < 1 || n > 65535) return `port ${port} of "${address}" is out of range (1-65535)`;
  }
  return undefined;
}

/**
 * Small plugin executables written by tests: POSIX shell scripts that answer
 * `describe` like an SDK plugin, and optionally start a Packer 1.6.6 built-in for
 * `start builder|provisioner|post-processor NAME` (`packer plugin packer-<kind>-NAME`),
 * which makes them runnable plugins for the RPC client. Not Go plugins: those need the
 * module proxy; these stand in only for discovery and installation.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakePluginSpec {
  /** What `describe` reports (without `v`). */
  readonly version: string;
  /** What `describe` reports as api_version; default `x5.0`. */
  readonly apiVersion?: string;
  readonly builders?: readonly string[];
  readonly provisioners?: readonly string[];
  readonly postProcessors?: readonly string[];
  readonly datasources?: readonly string[];
  /** `v2` for an SDK ≥ 0.6 plugin; omitted for older ones. */
  readonly protocolVersion?: string;
  /**
   * Serve `start <kind> NAME` with Packer 1.6.6's built-in `<kind>` named `packer16[NAME]`
   * (`{ '-packer-default-plugin-name-': 'null' }` → `packer plugin packer-builder-null`).
   */
  readonly packer16?: Readonly<Record<string, string>>;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The script text of a fake plugin. */
export function fakePluginScript(spec: FakePluginSpec): string {
  const desc = {
    version: spec.version,
    sdk_version: '0.5.2',
    api_version: spec.apiVersion ?? 'x5.0',
    builders: [...(spec.builders ?? [])].sort(),
    post_processors: [...(spec.postProcessors ?? [])].sort(),
    provisioners: [...(spec.provisioners ?? [])].sort(),
    datasources: [...(spec.datasources ?? [])].sort(),
    ...(spec.protocolVersion ? { protocol_version: spec.protocolVersion } : {}),
  };
  const lines = ['#!/bin/sh', `if [ "$1" = describe ]; then printf '%s\\n' ${quote(JSON.stringify(desc))}; exit 0; fi`];
  if (spec.packer16) {
    lines.push('if [ "$1" = start ]; then', '  kind="$2"; name="$3"', '  case "$name" in');
    for (const [name, target] of Object.entries(spec.packer16)) lines.push(`    ${quote(name)}) exec packer plugin "packer-$kind-"${quote(target)} ;;`);
    lines.push('  esac', 'fi');
  }
  lines.push('echo "unknown command: $*" >&2', 'exit 1', '');
  return lines.join('\n');
}

/** Writes an executable script at `file` (creating folders). */
export function writeExecutable(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

/** The hex SHA-256 of `text`. */
export function sha256Of(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Installs a fake plugin in Packer 1.16's layout under `root`:
 * `<root>/<source>/packer-plugin-<name>_v<ver>_<api>_<os>_<arch>` plus `_SHA256SUM`.
 * `fileVersion`/`fileApi` default to the spec's (set them to make the name disagree).
 */
export function installFakePlugin(
  root: string,
  source: string,
  spec: FakePluginSpec,
  platform: { os: string; arch: string; ext: string },
  opts: { fileVersion?: string; fileApi?: string; checksum?: string } = {},
): string {
  const name = source.slice(source.lastIndexOf('/') + 1);
  const base = `packer-plugin-${name}_v${opts.fileVersion ?? spec.version}_${opts.fileApi ?? spec.apiVersion ?? 'x5.0'}_${platform.os}_${platform.arch}${platform.ext}`;
  const text = fakePluginScript(spec);
  const file = writeExecutable(path.join(root, ...source.split('/'), base), text);
  writeFileSync(`${file}_SHA256SUM`, opts.checksum ?? sha256Of(text));
  return file;
}

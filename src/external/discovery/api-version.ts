/**
 * Plugin API versions (`x5.0`): the protocol generation a plugin speaks. kiln speaks
 * what Packer 1.16 speaks, major 5 and minor 0 or lower (plugin-getter's
 * CheckProtocolVersion).
 */

/** The API version kiln speaks, as plugins spell it in file names and `describe`. */
export const KILN_API_VERSION = { major: 5, minor: 0 } as const;

/** `x5.0` or `5.0` parsed; undefined when malformed. */
export function parseApiVersion(text: string): { major: number; minor: number } | undefined {
  const m = /^x?(\d+)\.(\d+)/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Why kiln cannot speak `apiVersion` (Packer's wording); undefined when it can. */
export function apiVersionProblem(apiVersion: string): string | undefined {
  const v = parseApiVersion(apiVersion);
  const local = KILN_API_VERSION;
  if (!v) return `Invalid remote protocol: ${JSON.stringify(apiVersion)}, expected something like '${local.major}.${local.minor}'`;
  if (v.major !== local.major) {
    return `unsupported remote protocol MAJOR version ${v.major}. The current MAJOR protocol version is ${local.major}. This version of Packer can only communicate with plugins using that version`;
  }
  if (v.minor > local.minor) {
    return `unsupported remote protocol MINOR version ${v.minor}. The supported MINOR protocol versions are version ${local.minor} and below. Please upgrade Packer or use an older version of the plugin if possible`;
  }
  return undefined;
}

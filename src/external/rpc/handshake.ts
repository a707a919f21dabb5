/**
 * The first stdout line of a plugin: where it listens. SDK plugins (Packer ≥1.7) print
 * `APIMajor|APIMinor|network|address`, Packer ≤1.6 components `APIVersion|network|address`.
 */

/** The cookie a plugin checks before it serves (the same in Packer 1.6 and 1.16). */
export const MAGIC_COOKIE_KEY = 'PACKER_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

export interface Handshake {
  /** `5.0` for SDK plugins, `5` for Packer ≤1.6 components. */
  readonly apiVersion: string;
  readonly form: 'sdk' | 'legacy';
  readonly network: 'unix' | 'tcp';
  readonly address: string;
}

/** Parses a handshake line; an Error says what is wrong with it. */
export function parseHandshake(line: string): Handshake | Error {
  const parts = line.trim().split('|');
  let major: string;
  let minor: string | undefined;
  let network: string;
  let address: string;
  if (parts.length === 4) [major, minor, network, address] = parts as [string, string, string, string];
  else if (parts.length === 3) [major, network, address] = parts as [string, string, string];
  else return new Error(`unrecognized plugin handshake: ${JSON.stringify(line.trim())}`);
  if (major !== '5') return new Error(`incompatible plugin API version ${major} (kiln speaks 5): ${JSON.stringify(line.trim())}`);
  // Packer compares the minor version as a string.
  if (minor !== undefined && minor > '0') return new Error(`incompatible plugin API version ${major}.${minor} (kiln speaks 5.0)`);
  if (network !== 'unix' && network !== 'tcp') return new Error(`unknown plugin address type ${JSON.stringify(network)}`);
  if (address === '') return new Error('plugin handshake has no address');
  return { apiVersion: minor === undefined ? major : `${major}.${minor}`, form: minor === undefined ? 'legacy' : 'sdk', network, address };
}

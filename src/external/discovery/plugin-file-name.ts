/**
 * Installed plugin file names: `packer-plugin-<name>_v<version>_x<api>_<os>_<arch>[.exe]`,
 * the name Packer 1.16 installs under and the only one it loads from its layout.
 */
import { canonicalVersion, parseVersion } from '../../support/version-constraint.js';
import type { GoPlatform } from './platform.js';

/** The parts of an installed plugin's file name. */
export interface PluginFileName {
  /** The `<name>` of `packer-plugin-<name>`. */
  readonly name: string;
  /** As written, with its `v` (`v1.2.3`). */
  readonly version: string;
  /** As written, with its `x` (`x5.0`). */
  readonly apiVersion: string;
}

/** The file name a plugin version is installed under on `platform`. */
export function pluginFileName(name: string, version: string, apiVersion: string, platform: GoPlatform): string {
  const v = version.startsWith('v') ? version : `v${version}`;
  const api = apiVersion.startsWith('x') ? apiVersion : `x${apiVersion}`;
  return `packer-plugin-${name}_${v}_${api}_${platform.os}_${platform.arch}${platform.ext}`;
}

/**
 * The parts of `base` when it is a plugin binary name for `platform`, or why it is not
 * one Packer would load (`undefined` reason: not a plugin file name at all).
 */
export function parsePluginFileName(base: string, platform: GoPlatform): { file?: PluginFileName; problem?: string } {
  const suffix = `_${platform.os}_${platform.arch}${platform.ext}`;
  if (!base.startsWith('packer-plugin-') || !base.endsWith(suffix)) return {};
  const middle = base.slice('packer-plugin-'.length, base.length - suffix.length);
  const parts = middle.split('_');
  if (parts.length !== 3 || !parts[0]) return { problem: `${JSON.stringify(base)} does not follow packer-plugin-<name>_v<version>_x<api>_<os>_<arch>` };
  const [name, version, apiVersion] = parts as [string, string, string];
  const v = parseVersion(version);
  if (!v || !version.startsWith('v')) return { problem: `found ${JSON.stringify(base)} with an incorrect ${JSON.stringify(version)} version` };
  if (v.metadata) return { problem: `found version ${JSON.stringify(version)} with metadata in the name, this could introduce ambiguity and is not supported` };
  if (`v${canonicalVersion(v)}` !== version) return { problem: `version ${JSON.stringify(version)} in path is non canonical, this could introduce ambiguity and is not supported` };
  if (!/^x\d+\.\d+$/.test(apiVersion)) return { problem: `${JSON.stringify(base)} has a malformed API version ${JSON.stringify(apiVersion)}` };
  return { file: { name, version, apiVersion } };
}

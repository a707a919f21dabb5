/**
 * Discovery of installed plugins: the layout Packer 1.16 installs into, `_SHA256SUM`
 * checks, `describe`, component names and version choice. `getter/` installs into the
 * same layout; the RPC client starts what this finds.
 */
export { apiVersionProblem, KILN_API_VERSION, parseApiVersion } from './api-version.js';
export { CHECKSUM_SUFFIX, sha256File, sha256Hex, verifyBinaryChecksum } from './checksum.js';
export { chooseVersion, installsMatching } from './choose-version.js';
export type { MatchOptions } from './choose-version.js';
export { componentName, componentsOf, DEFAULT_COMPONENT_NAME, describedComponents } from './components.js';
export { describePlugin, parseDescription } from './describe.js';
export type { DescribeResult, PluginDescription } from './describe.js';
export { compareInstalled, findInstalledPlugins } from './find-installed.js';
export type { FindInstalledOptions, FindInstalledResult } from './find-installed.js';
export { parseSingleName } from './legacy-single.js';
export { parsePluginFileName, pluginFileName } from './plugin-file-name.js';
export type { PluginFileName } from './plugin-file-name.js';
export { goPlatform } from './platform.js';
export type { GoPlatform } from './platform.js';
export { pluginFolder } from './plugin-folder.js';
export type { PluginFolder } from './plugin-folder.js';
export type { ComponentKind, ComponentNames, InstalledPlugin } from './types.js';

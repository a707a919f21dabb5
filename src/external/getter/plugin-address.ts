/** Plugin source addresses (`github.com/hashicorp/amazon`) split into parts. */
import type { PluginAddress } from './types.js';

/** The parts of an address already checked for syntax (template's sourceProblem). */
export function pluginAddress(source: string): PluginAddress {
  const parts = source.split('/').filter((p) => p !== '');
  return { source, parts, name: parts[parts.length - 1] ?? source };
}

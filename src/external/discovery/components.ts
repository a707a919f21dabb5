/**
 * Component names as Packer derives them (packer/plugin.go DiscoverMultiPlugin):
 * plugin `amazon` with component `ebs` → `amazon-ebs`; the default-named component → `amazon`.
 */
import type { PluginDescription } from './describe.js';
import type { ComponentNames } from './types.js';

/** The SDK's name for "the component is called like the plugin". */
export const DEFAULT_COMPONENT_NAME = '-packer-default-plugin-name-';

/** The template-visible name of `component` in plugin `pluginName`. */
export function componentName(pluginName: string, component: string): string {
  return component === DEFAULT_COMPONENT_NAME ? pluginName : `${pluginName}-${component}`;
}

/** `describe`'s lists, keyed by kind, under the plugin's own names. */
export function describedComponents(d: PluginDescription): ComponentNames {
  return { builder: [...d.builders], provisioner: [...d.provisioners], 'post-processor': [...d.postProcessors], datasource: [...d.datasources] };
}

/** Every component of `described` renamed for plugin `pluginName` (a required_plugins accessor or the file's name). */
export function componentsOf(pluginName: string, described: ComponentNames): ComponentNames {
  const rename = (list: readonly string[]): string[] => list.map((c) => componentName(pluginName, c));
  return {
    builder: rename(described.builder),
    provisioner: rename(described.provisioner),
    'post-processor': rename(described['post-processor']),
    datasource: rename(described.datasource),
  };
}

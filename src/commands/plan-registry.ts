/**
 * The registry `kiln plan` loads a template with: the command's registry, except that
 * a builder, provisioner, post-processor or data source type nothing provides is known
 * too, so the template loads and `plan` can list the component as needing its plugin
 * instead of stopping at "Unknown source type". A missing data source reads as unknown
 * (of any type); running it (`-evaluate-datasources`) fails with a clear error.
 */
import * as cty from '../hcl/cty/index.js';
import type { ComponentDefinition, ComponentKind, ComponentRegistry, DatasourceDefinition } from '../sdk/component.js';
import { fail } from '../sdk/result.js';
import { RuntimeSpec } from '../sdk/schema/spec.js';

const PLANNED: ReadonlySet<ComponentKind> = new Set(['builder', 'provisioner', 'post-processor', 'datasource']);

/** `registry`, with every type of the planned kinds known. */
export function planRegistry(registry: ComponentRegistry): ComponentRegistry {
  return {
    has: (kind, name) => registry.has(kind, name) || PLANNED.has(kind),
    async load(kind, name): Promise<ComponentDefinition | undefined> {
      if (registry.has(kind, name)) return registry.load(kind, name);
      return kind === 'datasource' ? missingDatasource(name) : undefined;
    },
    names: (kind) => registry.names(kind),
  };
}

function missingDatasource(name: string): DatasourceDefinition {
  return {
    kind: 'datasource',
    name,
    schema: new RuntimeSpec({ kind: 'object', attributes: {} }),
    outputType: cty.dynamicType,
    execute: () => Promise.resolve(fail(`the data source ${name} is part of a plugin that is not installed; run \`kiln init\``)),
  };
}

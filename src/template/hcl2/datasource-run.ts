/**
 * Running a declared `data` block (startDatasource): decoded with the data source's
 * schema in the data-source context, then executed — or, when not asked to
 * (validate's default), given an unknown value of the data source's output type.
 */
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { ComponentRegistry } from '../../sdk/component.js';
import { prepareComponent } from '../../sdk/prepare-component.js';
import { unknownComponent } from '../unknown-component.js';
import { componentSpec } from './component-spec.js';
import type { TemplateScope } from './scope.js';
import type { DataDefinition } from './types.js';

export interface DatasourceOptions {
  /** Run `execute`; otherwise the value is unknown (of the output type). */
  readonly execute: boolean;
  readonly signal?: AbortSignal;
}

/** Decodes (and maybe executes) one data source and records its value in `scope`. */
export async function evaluateDatasource(def: DataDefinition, scope: TemplateScope, registry: ComponentRegistry, opts: DatasourceOptions): Promise<Diagnostic[]> {
  const { block } = def;
  if (!registry.has('datasource', def.type)) {
    return [unknownComponent('datasource', def.type, registry, { subject: block.labelRanges[0] ?? block.defRange })];
  }
  const definition = await registry.load('datasource', def.type);
  if (definition?.kind !== 'datasource') return [errorDiag(`failed to start datasource plugin "${def.type}.${def.name}"`, '', block.defRange)];
  const spec = componentSpec({
    type: def.type,
    range: block.defRange,
    // Packer reads data blocks before expanding `dynamic` blocks, so none are expanded here.
    body: block.body,
    context: () => ({ ctx: scope.context('local'), diagnostics: [] }),
    interpolation: {},
    label: `data "${def.type}" "${def.name}"`,
  });
  const decoded = spec.decode(definition.schema);
  const diagnostics = [...decoded.diagnostics];
  if (hasErrors(diagnostics)) return diagnostics;
  const signal = opts.signal ?? new AbortController().signal;
  const prepared = await prepareComponent(definition, decoded, { signal });
  diagnostics.push(...prepared.diagnostics);
  if (!prepared.ok) return diagnostics;
  let value: cty.Value;
  if (!opts.execute) value = cty.unknownVal(definition.outputType);
  else {
    const r = await definition.execute(prepared.value, signal);
    if (r.kind === 'error') return [...diagnostics, errorDiag(r.error.message, '', block.defRange)];
    value = r.value;
  }
  const byName = scope.data.get(def.type) ?? new Map<string, cty.Value>();
  byName.set(def.name, value);
  scope.data.set(def.type, byName);
  return diagnostics;
}

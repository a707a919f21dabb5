/**
 * What `inspect` and `console` show of a loaded template, and the secret strings to
 * mask: every string inside the values of sensitive variables and locals (multi-line
 * ones also line by line, as Packer registers them).
 */
import * as cty from '../../hcl/cty/index.js';
import type { BuildDescription, TemplateDescription, VariableDescription } from '../load-hcl2-template.js';
import type { TemplateScope } from './scope.js';
import type { BuildBlock, DataDefinition, RequiredPlugin, SourceDefinition } from './types.js';
import { sourceUseName } from './types.js';
import { currentValue } from './variable-values.js';

function collectStrings(v: cty.Value, out: Set<string>): void {
  const [bare] = cty.unmarkDeep(v);
  if (!bare.isKnown() || bare.isNull()) return;
  switch (bare.type.kind) {
    case 'string': {
      const s = bare.asString();
      if (s === '') return;
      out.add(s);
      const normalised = s.replaceAll('\r\n', '\n');
      if (normalised.includes('\n')) {
        out.add(normalised);
        for (const line of normalised.split('\n')) if (line.trim() !== '') out.add(line);
      }
      return;
    }
    case 'list':
    case 'set':
    case 'tuple':
      for (const e of bare.asArray()) collectStrings(e, out);
      return;
    case 'map':
    case 'object':
      for (const e of bare.asMap().values()) collectStrings(e, out);
      return;
    default:
      return;
  }
}

/** The strings of sensitive variables and locals. */
export function sensitiveStrings(scope: TemplateScope): string[] {
  const out = new Set<string>();
  for (const v of scope.variables.values()) if (v.sensitive) collectStrings(currentValue(v), out);
  for (const l of scope.locals.values()) if (l.sensitive) collectStrings(l.value, out);
  return [...out];
}

export function describe(
  scope: TemplateScope,
  data: ReadonlyMap<string, DataDefinition>,
  sources: ReadonlyMap<string, SourceDefinition>,
  builds: readonly BuildBlock[],
  requiredPlugins: readonly RequiredPlugin[],
): TemplateDescription {
  const variables: VariableDescription[] = [...scope.variables.values()].map((v) => ({
    name: v.name,
    value: currentValue(v),
    type: v.type,
    description: v.description,
    sensitive: v.sensitive,
  }));
  const locals: VariableDescription[] = [...scope.locals.values()].map((l) => ({
    name: l.name,
    value: l.sensitive ? cty.mark(l.value, 'sensitive') : l.value,
    type: l.value.type,
    description: '',
    sensitive: l.sensitive,
  }));
  const describeBuild = (b: BuildBlock): BuildDescription => ({
    name: b.name,
    description: b.description,
    sources: b.sources.map(sourceUseName),
    sourceRefs: b.sources.map((s) => `${s.type}.${s.name}`),
    provisioners: b.provisioners.map((p) => ({ type: p.type, ...(p.name !== undefined ? { name: p.name } : {}) })),
    postProcessors: b.postProcessors.map((chain) => chain.map((p) => ({ type: p.type, ...(p.name !== undefined ? { name: p.name } : {}) }))),
  });
  return {
    variables,
    locals,
    sources: [...sources.keys()],
    datasources: [...data.keys()],
    builds: builds.map(describeBuild),
    requiredPlugins: requiredPlugins.map((p) => ({ name: p.name, source: p.source, version: p.version })),
    consoleContext: () => scope.context('console'),
  };
}

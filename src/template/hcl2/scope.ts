/**
 * The evaluation contexts of an HCL2 template (PackerConfig.EvalContext): which of
 * `var`, `local`, `data`, `path`, `packer`, `source`, `build` an expression sees and
 * with which values (reference §2.11).
 */
import * as cty from '../../hcl/cty/index.js';
import { EvalContext } from '../../hcl/eval-context.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import type { EvaluatedLocal, InputVariable } from './types.js';
import { currentValue } from './variable-values.js';

/**
 * - `local`: locals, data sources, build names (data visible);
 * - `console`: like `local` without data sources (Packer's NilContext);
 * - `build`: sources, provisioners, post-processors (add `source`/`build` as extras).
 */
export type ContextKind = 'local' | 'console' | 'build';

/** What the contexts are made from; the loader fills it in as evaluation proceeds. */
export class TemplateScope {
  readonly variables = new Map<string, InputVariable>();
  readonly locals = new Map<string, EvaluatedLocal>();
  /** Data source values by type, then name. */
  readonly data = new Map<string, Map<string, cty.Value>>();

  constructor(
    /** `path.root`: the template directory as given. */
    readonly basedir: string,
    /** `path.cwd`: the absolute working directory. */
    readonly cwd: string,
    readonly packerVersion: string,
    readonly functions: ReadonlyMap<string, CtyFunction>,
  ) {}

  variableValues(): cty.Value {
    const out: Record<string, cty.Value> = {};
    for (const [name, v] of this.variables) out[name] = currentValue(v);
    return cty.objectVal(out);
  }

  localValues(): cty.Value {
    const out: Record<string, cty.Value> = {};
    for (const [name, l] of this.locals) out[name] = l.sensitive ? cty.mark(l.value, 'sensitive') : l.value;
    return cty.objectVal(out);
  }

  dataValues(): cty.Value {
    const out: Record<string, cty.Value> = {};
    for (const [type, byName] of this.data) out[type] = cty.objectVal(byName);
    return cty.objectVal(out);
  }

  /** A fresh context of `kind`; `extra` replaces or adds root variables (`source`, `build`). */
  context(kind: ContextKind, extra: Readonly<Record<string, cty.Value>> = {}): EvalContext {
    const variables: Record<string, cty.Value> = {
      var: this.variableValues(),
      local: this.localValues(),
      source: cty.objectVal({ type: cty.unknownVal(cty.stringType), name: cty.unknownVal(cty.stringType) }),
      build: cty.unknownVal(cty.emptyObjectType),
      path: cty.objectVal({ cwd: cty.stringVal(this.cwd.replaceAll('\\', '/')), root: cty.stringVal(this.basedir.replaceAll('\\', '/')) }),
      packer: cty.objectVal({
        version: cty.stringVal(this.packerVersion),
        iterationID: cty.unknownVal(cty.stringType),
        versionFingerprint: cty.unknownVal(cty.stringType),
      }),
    };
    if (kind !== 'console') variables['data'] = this.dataValues();
    return new EvalContext({ variables: { ...variables, ...extra }, functions: this.functions });
  }
}

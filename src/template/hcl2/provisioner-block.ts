/**
 * The meta-arguments of `provisioner`, `error-cleanup-provisioner` and
 * `post-processor` blocks (decodeProvisioner, decodePostProcessor): read in the build
 * context with `build.name`, and taken out of the body the component decodes.
 */
import type { Block } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import type { Range } from '../../hcl/pos.js';
import { parseDuration } from '../../sdk/duration.js';
import { decodeBool, decodeInt, decodeString, decodeStringList } from './decode-value.js';
import type { OnlyExcept, PostProcessorBlock, ProvisionerBlock } from './types.js';

const PROVISIONER_META = {
  attributes: ['name', 'pause_before', 'max_retries', 'timeout', 'continue_on_error', 'only', 'except', 'override'].map((name) => ({ name })),
};
const POST_PROCESSOR_META = { attributes: ['name', 'only', 'except', 'keep_input_artifact'].map((name) => ({ name })) };

function onlyExcept(attrs: ReadonlyMap<string, { expr: Parameters<typeof decodeStringList>[0] }>, ctx: EvalContext, diagnostics: Diagnostic[]): OnlyExcept {
  const list = (key: string): string[] => {
    const a = attrs.get(key);
    if (!a) return [];
    const r = decodeStringList(a.expr, ctx);
    diagnostics.push(...r.diagnostics);
    return r.value ?? [];
  };
  return { only: list('only'), except: list('except') };
}

function onlyExceptProblem(o: OnlyExcept, subject: Range): Diagnostic | undefined {
  return o.only.length > 0 && o.except.length > 0 ? errorDiag("only one of 'only' or 'except' may be specified", '', subject) : undefined;
}

function duration(text: string | undefined, what: string, subject: Range, diagnostics: Diagnostic[]): number | undefined {
  if (text === undefined || text === '') return undefined;
  const d = parseDuration(text);
  if (d.kind === 'error') {
    diagnostics.push(errorDiag(`Failed to parse ${what} duration`, d.message, subject));
    return undefined;
  }
  return d.ms === 0 ? undefined : d.ms;
}

/** A provisioner block; undefined (with errors) when its meta-arguments are invalid. */
export function decodeProvisionerBlock(block: Block, ctx: EvalContext): { provisioner?: ProvisionerBlock; diagnostics: Diagnostic[] } {
  const { content, remain, diagnostics } = block.body.partialContent(PROVISIONER_META);
  const attrs = content.attributes;
  const str = (key: string): string | undefined => {
    const a = attrs.get(key);
    if (!a) return undefined;
    const r = decodeString(a.expr, ctx);
    diagnostics.push(...r.diagnostics);
    return r.value;
  };
  const name = str('name');
  const pauseText = str('pause_before');
  const timeoutText = str('timeout');
  let maxRetries = 0;
  const mr = attrs.get('max_retries');
  if (mr) {
    const r = decodeInt(mr.expr, ctx);
    diagnostics.push(...r.diagnostics);
    maxRetries = r.value ?? 0;
  }
  let continueOnError = false;
  const coe = attrs.get('continue_on_error');
  if (coe) {
    const r = decodeBool(coe.expr, ctx);
    diagnostics.push(...r.diagnostics);
    continueOnError = r.value ?? false;
  }
  const oe = onlyExcept(attrs, ctx, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const problem = onlyExceptProblem(oe, block.defRange);
  if (problem) return { diagnostics: [...diagnostics, problem] };

  let override: Map<string, Map<string, cty.Value>> | undefined;
  const ov = attrs.get('override');
  if (ov) {
    const r = ov.expr.value(ctx);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics)) return { diagnostics };
    const [v] = cty.unmarkDeep(r.value);
    if (!v.isNull()) {
      if (v.type.kind !== 'object' || !v.isKnown()) return { diagnostics: [...diagnostics, errorDiag("provisioner's override block must be an HCL object", '', block.defRange)] };
      override = new Map();
      for (const [buildName, values] of v.asMap()) {
        if (values.type.kind !== 'object' || !values.isKnown() || values.isNull()) {
          return { diagnostics: [...diagnostics, errorDiag(`provisioner's override.'${buildName}' block must be an HCL object`, '', block.defRange)] };
        }
        override.set(buildName, new Map(values.asMap()));
      }
    }
  }
  const pauseBefore = duration(pauseText, 'pause_before', block.defRange, diagnostics);
  const timeout = duration(timeoutText, 'timeout', block.defRange, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  return {
    provisioner: {
      type: block.labels[0] ?? '',
      ...(name ? { name } : {}),
      ...(pauseBefore !== undefined ? { pauseBefore } : {}),
      maxRetries,
      // Packer wraps a provisioner in a timeout only when it does not pause first.
      ...(timeout !== undefined && pauseBefore === undefined ? { timeout } : {}),
      continueOnError,
      onlyExcept: oe,
      ...(override ? { override } : {}),
      block: { ...block, body: remain },
    },
    diagnostics,
  };
}

/** A post-processor block; undefined (with errors) when its meta-arguments are invalid. */
export function decodePostProcessorBlock(block: Block, ctx: EvalContext): { postProcessor?: PostProcessorBlock; diagnostics: Diagnostic[] } {
  const { content, remain, diagnostics } = block.body.partialContent(POST_PROCESSOR_META);
  const attrs = content.attributes;
  let name: string | undefined;
  const n = attrs.get('name');
  if (n) {
    const r = decodeString(n.expr, ctx);
    diagnostics.push(...r.diagnostics);
    name = r.value;
  }
  let keepInputArtifact: boolean | undefined;
  const k = attrs.get('keep_input_artifact');
  if (k) {
    const r = decodeBool(k.expr, ctx);
    diagnostics.push(...r.diagnostics);
    keepInputArtifact = r.value;
  }
  const oe = onlyExcept(attrs, ctx, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const problem = onlyExceptProblem(oe, block.defRange);
  if (problem) return { diagnostics: [...diagnostics, problem] };
  return {
    postProcessor: {
      type: block.labels[0] ?? '',
      ...(name ? { name } : {}),
      ...(keepInputArtifact !== undefined ? { keepInputArtifact } : {}),
      onlyExcept: oe,
      block: { ...block, body: remain },
    },
    diagnostics,
  };
}

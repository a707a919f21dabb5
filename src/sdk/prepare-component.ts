/**
 * The second call of the component contract, as core and the template layer (data
 * sources) make it: a decoded config handed to the component's `prepare`, whose
 * diagnostics are placed at the attributes they name.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { Range } from '../hcl/pos.js';
import type { ComponentDefinition, DatasourcePrepareContext, PrepareContext, PrepareDiagnostic } from './component.js';
import type { DecodedConfig } from './schema/decode-config.js';
import type { ComponentSchema, ConfigOf } from './schema/spec.js';

/** What preparing a component gave: the prepared value unless there were errors. */
export type PrepareOutcome =
  | { readonly ok: true; readonly value: unknown; readonly generatedData: readonly string[]; readonly diagnostics: Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/**
 * Awaits `definition.prepare(decoded.config, ctx)` (the config itself is the prepared
 * value of a component without `prepare`). A `PrepareDiagnostic` naming an attribute
 * points at that attribute's value, otherwise at the block.
 */
export async function prepareComponent(
  definition: ComponentDefinition,
  decoded: DecodedConfig<ConfigOf<ComponentSchema>>,
  ctx: PrepareContext | DatasourcePrepareContext,
): Promise<PrepareOutcome> {
  if (definition.kind === 'communicator' || !definition.prepare) return { ok: true, value: decoded.config, generatedData: [], diagnostics: [] };
  let r;
  try {
    if (definition.kind === 'datasource') r = await definition.prepare?.(decoded.config, { signal: ctx.signal });
    else if ('packer' in ctx) r = await definition.prepare?.(decoded.config, ctx);
    else throw new Error('no Packer configuration to prepare with');
    if (r === undefined) return { ok: true, value: decoded.config, generatedData: [], diagnostics: [] };
  } catch (err) {
    // A component's bug, not the user's: still a diagnostic, never a stack trace.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, diagnostics: [placed({ severity: 'error', summary: `Failed preparing ${definition.kind} "${definition.name}": ${message}` }, decoded)] };
  }
  const diagnostics = r.diagnostics.map((d) => placed(d, decoded));
  if ('failed' in r) return { ok: false, diagnostics };
  return { ok: true, value: r.value, generatedData: r.generatedData ?? [], diagnostics };
}

function placed(d: PrepareDiagnostic, decoded: { readonly rangeOf: (path: string) => Range | undefined; readonly range?: Range }): Diagnostic {
  const subject = (d.attribute !== undefined ? decoded.rangeOf(d.attribute) : undefined) ?? decoded.range;
  return { severity: d.severity, summary: d.summary, detail: d.detail ?? '', ...(subject ? { subject } : {}) };
}

/** A prepare's diagnostics as Packer's two message lists (Builder.Prepare's Warnings and Error). */
export function prepareMessages(p: { readonly diagnostics: readonly PrepareDiagnostic[] }): { errors: string[]; warnings: string[] } {
  const text = (d: PrepareDiagnostic) => (d.detail ? `${d.summary}: ${d.detail}` : d.summary);
  return { errors: p.diagnostics.filter((d) => d.severity === 'error').map(text), warnings: p.diagnostics.filter((d) => d.severity === 'warning').map(text) };
}

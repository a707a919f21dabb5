/**
 * The interpolation pass of sdk `config.Decode` (`interpolate.RenderMap`): every string
 * in a raw component config — map keys included — is rendered once, except under the
 * top-level keys a component excludes (rendered later with runtime data). All strings
 * of a key are first checked to parse, excluded keys too.
 */
import type { InterpolateContext } from './context.js';
import { render, validate } from './render.js';

/** Which top-level keys to render: `include` wins when non-empty; matching ignores case. */
export interface RenderFilter {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** The rendered config, or Packer's error (`invalid 'k': …` / `render 'k': …`). */
export type RenderConfigResult =
  | { kind: 'ok'; value: Record<string, unknown> }
  | { kind: 'error'; message: string };

function included(key: string, filter: RenderFilter | undefined): boolean {
  const k = key.toLowerCase();
  const inc = filter?.include ?? [];
  if (inc.length > 0) return inc.some((x) => x.toLowerCase() === k);
  return !(filter?.exclude ?? []).some((x) => x.toLowerCase() === k);
}

type StringFn = (s: string) => { kind: 'ok'; value: string } | { kind: 'error'; message: string };

/** Applies `fn` to every string, map keys included; the first error stops the walk. */
function walk(v: unknown, fn: StringFn): { kind: 'ok'; value: unknown } | { kind: 'error'; message: string } {
  if (typeof v === 'string') {
    const r = fn(v);
    return r.kind === 'ok' ? r : { kind: 'error', message: `${r.message} in:\n\n${v}` };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const r = walk(e, fn);
      if (r.kind === 'error') return r;
      out.push(r.value);
    }
    return { kind: 'ok', value: out };
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const rk = walk(k, fn);
      if (rk.kind === 'error') return rk;
      const re = walk(e, fn);
      if (re.kind === 'error') return re;
      out[rk.value as string] = re.value;
    }
    return { kind: 'ok', value: out };
  }
  return { kind: 'ok', value: v };
}

/**
 * Renders a raw config the way `config.Decode` does before decoding. Keys are visited in
 * the object's order (Go visits them in map order, so with several bad keys which error
 * comes first may differ from Packer).
 */
export function renderConfig(raw: Readonly<Record<string, unknown>>, ctx: InterpolateContext, filter?: RenderFilter): RenderConfigResult {
  const check: StringFn = (s) => {
    const err = validate(s, ctx);
    return err === undefined ? { kind: 'ok', value: s } : { kind: 'error', message: err };
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const valid = walk(v, check);
    if (valid.kind === 'error') return { kind: 'error', message: `invalid '${k}': ${valid.message}` };
    if (!included(k, filter)) {
      out[k] = v;
      continue;
    }
    const r = walk(v, (s) => render(s, ctx));
    if (r.kind === 'error') return { kind: 'error', message: `render '${k}': ${r.message}` };
    out[k] = r.value;
  }
  return { kind: 'ok', value: out };
}

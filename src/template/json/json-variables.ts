/**
 * Variables of legacy JSON templates (packer `Core.validate` and
 * `Core.renderVarsRecursively`): defaults < `-var-file` < `-var`, required variables,
 * the `min_packer_version` check, and the iterative rendering in which `env` and the
 * secret functions are allowed. Messages are Packer's.
 */
import type { InterpolateContext } from '../../sdk/interpolate/context.js';
import { ERR_VARIABLE_NOT_SET } from '../../sdk/interpolate/packer-funcs.js';
import { renderExcluding } from '../../sdk/interpolate/render.js';
import { PACKER_COMPAT_VERSION } from '../../support/version.js';
import { readGoJson } from './go-json.js';
import type { JsonTemplate } from './json-template.js';

/** Resolved user variables, or Packer's error messages. */
export type VariablesResult = { kind: 'ok'; values: Record<string, string> } | { kind: 'error'; errors: string[] };

/** Parses a JSON `-var-file` (an object of string values, as Go's map[string]string). */
export function parseJsonVarFile(text: string): VariablesResult {
  const r = readGoJson(text);
  if (r.kind === 'syntax-error') return { kind: 'error', errors: [r.message] };
  if (r.value === null || typeof r.value !== 'object' || Array.isArray(r.value)) {
    return { kind: 'error', errors: [`json: cannot unmarshal ${jsonKind(r.value)} into Go value of type map[string]string`] };
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.value)) {
    if (v === null) continue;
    if (typeof v !== 'string') return { kind: 'error', errors: [`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`] };
    values[k] = v;
  }
  return { kind: 'ok', values };
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** hashicorp/go-version enough for `min_packer_version`: numeric segments, prerelease ignored. */
function parseVersion(v: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (m === null) return undefined;
  const parts = (m[1] ?? '').split('.').map(Number);
  while (parts.length < 3) parts.push(0);
  return parts;
}

/** The `min_packer_version` check; undefined when satisfied. */
export function checkMinPackerVersion(min: string, actual = PACKER_COMPAT_VERSION): string | undefined {
  if (min === '') return undefined;
  const want = parseVersion(min);
  if (want === undefined) return `min_version is invalid: Malformed version: ${min}`;
  const have = parseVersion(actual) ?? [];
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a > b) return undefined;
    if (a < b) return `This template requires Packer version ${want.join('.')} or higher; using ${actual}`;
  }
  return undefined;
}

// Packer leaves `{{ .X }}` for later: these are rendered with build data, not now.
const RUNTIME_DATA = /{{(\s|)\.(.*?)(\s|)}}/;

function isDoneInterpolating(v: string): boolean {
  return !/{{\s*user\s*`/.test(v) && !/{{\s*user\s*"/.test(v);
}

/**
 * Resolves the user variables of `t`: `provided` holds `-var-file` values merged with
 * `-var` values (later wins). `ctx` supplies env, secrets, template path, …; `enableEnv`
 * and `userVariables` are set here. Required variables without a value fail first.
 */
export function resolveJsonVariables(t: JsonTemplate, provided: Readonly<Record<string, string>>, ctx: InterpolateContext = {}): VariablesResult {
  const required = t.variables.filter((v) => v.required && !Object.hasOwn(provided, v.name)).map((v) => `required variable not set: ${v.name}`);
  if (required.length > 0) return { kind: 'error', errors: required };
  const variables: Record<string, string> = { ...provided };
  const repeat = new Map<string, string>();
  for (const v of t.variables) repeat.set(v.name, v.default);
  for (const [k, v] of Object.entries(provided)) repeat.set(k, v);
  let pending = [...repeat.keys()].sort().map((k) => ({ key: k, value: repeat.get(k) ?? '' }));
  let userVariables: Record<string, string> = {};
  let shouldRetry = false;
  let changed = false;
  let failed = '';
  for (let i = 0; i < 100; i++) {
    shouldRetry = false;
    changed = false;
    const done: string[] = [];
    for (const kv of pending) {
      const r = renderExcluding(kv.value, { ...ctx, enableEnv: true, userVariables }, RUNTIME_DATA);
      if (r.kind === 'ok') {
        changed = true;
        variables[kv.key] = r.value;
        userVariables = variables;
        if (isDoneInterpolating(kv.value)) done.push(kv.key);
        else shouldRetry = true;
      } else if (r.message.includes('executing "root"')) {
        if (!r.message.includes(ERR_VARIABLE_NOT_SET)) return { kind: 'error', errors: [r.message] };
        shouldRetry = true;
        failed = `"${kv.key}": "${kv.value}"; error: ${r.message}`;
      } else {
        return { kind: 'error', errors: [`error interpolating default value for '${kv.key}': ${r.message}`] };
      }
    }
    if (!shouldRetry) break;
    pending = pending.filter((kv) => !done.includes(kv.key));
  }
  if (!changed && shouldRetry) {
    return {
      kind: 'error',
      errors: [`Failed to interpolate ${failed}: Please make sure that the variable you're referencing has been defined; Packer treats all variables used to interpolate other user variables as required.`],
    };
  }
  return { kind: 'ok', values: variables };
}

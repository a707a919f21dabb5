/**
 * The environment variables the shell provisioners hand to scripts, flattened with
 * `env_var_format` (sdk `shell-local/run.go`, `provisioner/shell`): Packer's own
 * `PACKER_*` variables, then `environment_vars`, then `env` (which wins), sorted by
 * name, single quotes in values escaped for a POSIX shell.
 */
import type { GeneratedData, PackerConfig } from '../component.js';
import { sprintf } from '../interpolate/index.js';

/** Placeholders a builder without an HTTP server leaves in generated data. */
export const HTTP_IP_NOT_IMPLEMENTED = 'ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER';
export const HTTP_PORT_NOT_IMPLEMENTED = 'ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER';
export const HTTP_ADDR_NOT_IMPLEMENTED = 'ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER';

/** Packer's check of `environment_vars` entries; one message per bad entry. */
export function envVarErrors(vars: readonly string[] | undefined): string[] {
  return (vars ?? []).filter((kv) => kv.indexOf('=') <= 0).map((kv) => `Environment variable not in format 'key=value': ${kv}`);
}

export interface EnvVarInput {
  readonly packer: Pick<PackerConfig, 'buildName' | 'builderType'>;
  readonly generatedData: GeneratedData;
  /** `environment_vars`: `KEY=value` strings (already checked with `envVarErrors`). */
  readonly vars?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** Name → escaped value, in the order Packer applies them (later wins). */
export function collectEnvVars(input: EnvVarInput): Map<string, string> {
  const out = new Map<string, string>();
  out.set('PACKER_BUILD_NAME', input.packer.buildName);
  out.set('PACKER_BUILDER_TYPE', input.packer.builderType);
  const http = (key: string, placeholder: string, name: string) => {
    const v = input.generatedData[key];
    if (v !== undefined && v !== null && v !== placeholder) out.set(name, String(v));
  };
  http('PackerHTTPAddr', HTTP_ADDR_NOT_IMPLEMENTED, 'PACKER_HTTP_ADDR');
  http('PackerHTTPIP', HTTP_IP_NOT_IMPLEMENTED, 'PACKER_HTTP_IP');
  http('PackerHTTPPort', HTTP_PORT_NOT_IMPLEMENTED, 'PACKER_HTTP_PORT');
  const escape = (v: string) => v.replaceAll("'", `'"'"'`);
  for (const kv of input.vars ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) continue;
    out.set(kv.slice(0, eq), escape(kv.slice(eq + 1)));
  }
  for (const [k, v] of Object.entries(input.env ?? {})) out.set(k, escape(v));
  return out;
}

/** The variables as one string: each `format`ted (Go `fmt.Sprintf(format, key, value)`), in key order. */
export function flattenEnvVars(vars: ReadonlyMap<string, string>, format: string): string {
  const keys = [...vars.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => sprintf(format, [k, vars.get(k) ?? ''])).join('');
}

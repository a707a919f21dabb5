/**
 * Packer's template functions (sdk `template/interpolate/funcs.go`), built for one
 * context. Messages are Packer's, word for word.
 */
import path from 'node:path';
import { randomBytes } from '../../support/random.js';
import { PACKER_COMPAT_VERSION } from '../../support/version.js';
import { BUILTINS } from './builtins.js';
import { INIT_TIME, PLACEHOLDER_MSG, type InterpolateContext, type SecretResult } from './context.js';
import { FuncError, stringFunc, type TemplateFunc } from './func.js';
import { RFC3339, goTimeFormat, strftime } from './go-time.js';
import { isMap, type GoValue } from './value.js';

/** The message of Packer's `Error: variable not set:` (used by variable resolution). */
export const ERR_VARIABLE_NOT_SET = 'Error: variable not set:';

const SED_MESSAGE =
  'template function `sed` is deprecated use `replace` or `replace_all` instead.' +
  'Documentation: https://www.packer.io/docs/templates/engine';

function fail(message: string): never {
  throw new FuncError(message);
}

function secret(r: SecretResult | undefined, name: string): string {
  if (r === undefined) return fail(`${name} is not configured in kiln`);
  return r.kind === 'ok' ? r.value : fail(r.message);
}

/** Packer's time-ordered UUID: 32 bits of Unix time, then 96 random bits. */
export function timeOrderedUuid(now: Date = new Date()): string {
  const unix = Math.floor(now.getTime() / 1000) >>> 0;
  const b = randomBytes(12).toString('hex');
  return `${unix.toString(16).padStart(8, '0')}-${b.slice(0, 4)}-${b.slice(4, 8)}-${b.slice(8, 12)}-${b.slice(12, 16)}${b.slice(16)}`;
}

function buildFunc(data: unknown): TemplateFunc {
  return stringFunc(1, (key) => {
    if (!isMap(data as GoValue) || data === null || Array.isArray(data)) {
      return fail(`Error validating build variable: the given variable ${key} will not be passed into your plugin.`);
    }
    const held = (data as Record<string, unknown>)[key];
    if (typeof held !== 'string') return fail(`loaded data, but couldnt find ${key} in it.`);
    return held.includes(PLACEHOLDER_MSG) ? `{{.${key}}}` : held;
  });
}

/** Every function a template may call in `ctx`: Go's builtins, Packer's, then `ctx.funcs`. */
export function packerFuncs(ctx: InterpolateContext): Map<string, TemplateFunc> {
  const init = { date: ctx.initTime ?? INIT_TIME };
  const envOk = ctx.enableEnv === true;
  const s = ctx.secrets;
  const fns = new Map<string, TemplateFunc>(BUILTINS);
  const add = (name: string, fn: TemplateFunc): void => {
    fns.set(name, fn);
  };
  add('build_name', stringFunc(0, () => ctx.buildName || fail('build_name not available')));
  add('build_type', stringFunc(0, () => ctx.buildType || fail('build_type not available')));
  add('env', stringFunc(1, (k) => (envOk ? (ctx.env ?? process.env)[k] ?? '' : fail('env vars are not allowed here'))));
  add('isotime', {
    params: [],
    variadic: 'string',
    call: (args) => {
      if (args.length === 0) return goTimeFormat(init, RFC3339);
      if (args.length > 1) return fail(`too many values, 1 needed: [${args.join(' ')}]`);
      return goTimeFormat(init, String(args[0]));
    },
  });
  add('strftime', stringFunc(1, (f) => strftime(f, init)));
  add('pwd', stringFunc(0, () => ctx.cwd ?? process.cwd()));
  add('split', {
    params: ['string', 'string', 'int'],
    call: ([k, sep, i]) => {
      const parts = String(k).split(String(sep));
      const idx = Number(i);
      if (parts.length <= idx || idx < 0) {
        return fail(`the substring ${idx} was unavailable using the separator value, ${String(sep)}, only ${parts.length} values were found`);
      }
      return parts[idx] ?? '';
    },
  });
  add('template_dir', stringFunc(0, () => (ctx.templatePath ? path.resolve(path.dirname(ctx.templatePath)) : fail('template path not available'))));
  add('timestamp', stringFunc(0, () => String(Math.floor(init.date.getTime() / 1000))));
  add('uuid', stringFunc(0, () => timeOrderedUuid()));
  add('user', stringFunc(1, (k) => {
    const vars = ctx.userVariables;
    if (vars === undefined) return fail('test'); // Packer's own text for a missing variable map
    const v = Object.hasOwn(vars, k) ? vars[k] : undefined;
    if (v === undefined && envOk) return fail(`${ERR_VARIABLE_NOT_SET} ${k}`);
    return v ?? '';
  }));
  add('packer_version', stringFunc(0, () => (ctx.packerVersion ?? PACKER_COMPAT_VERSION) || fail('packer_version not available')));
  add('consul_key', stringFunc(1, (k) => (envOk ? secret(s?.consulKey?.(k), 'consul_key') : fail('consul_key is not allowed here'))));
  add('vault', stringFunc(2, (p, k) => (envOk ? secret(s?.vault?.(p, k), 'vault') : fail('Vault vars are only allowed in the variables section'))));
  add('aws_secretsmanager', {
    params: [],
    variadic: 'string',
    call: (args) => {
      if (!envOk) return fail('AWS Secrets Manager is only allowed in the variables section');
      if (args.length === 0) return fail('secret name must be provided');
      if (args.length > 2) return fail('only secret name and optional secret key can be provided.');
      const key = args.length === 2 ? String(args[1]) : undefined;
      return secret(s?.awsSecret?.(String(args[0]), key), 'aws_secretsmanager');
    },
  });
  add('aws_secretsmanager_raw', stringFunc(1, (n) => (envOk ? secret(s?.awsSecretRaw?.(n), 'aws_secretsmanager_raw') : fail('AWS Secrets Manager is only allowed in the variables section'))));
  add('sed', stringFunc(2, () => fail(SED_MESSAGE)));
  add('build', buildFunc(ctx.data));
  add('replace', {
    params: ['string', 'string', 'int', 'string'],
    call: ([o, n, count, src]) => goReplace(String(src), String(o), String(n), Number(count)),
  });
  add('replace_all', stringFunc(3, (o, n, src) => goReplace(src, o, n, -1)));
  add('upper', stringFunc(1, (x) => x.toUpperCase()));
  add('lower', stringFunc(1, (x) => x.toLowerCase()));
  for (const [name, fn] of Object.entries(ctx.funcs ?? {})) add(name, fn);
  return fns;
}

/** Go's strings.Replace: n < 0 replaces all; an empty `old` matches between runes. */
export function goReplace(src: string, old: string, repl: string, n: number): string {
  if (n === 0 || old === repl) return src;
  if (old === '') {
    const runes = [...src];
    let out = '';
    let done = 0;
    for (let i = 0; i <= runes.length; i++) {
      if (n < 0 || done < n) {
        out += repl;
        done++;
      }
      out += runes[i] ?? '';
    }
    return out;
  }
  const parts = src.split(old);
  if (n < 0 || n >= parts.length - 1) return parts.join(repl);
  return parts.slice(0, n + 1).join(repl) + old + parts.slice(n + 1).join(old);
}

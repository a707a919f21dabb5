/**
 * A component's decoded config (a cty value) as the `config` and `files` parts of a key
 * record, and as the flat inputs a cache entry keeps for `kiln cache explain`:
 * - fields the schema marks `.noEffect()` are left out; every other field is in
 *   (fail-safe: a field nobody marked changes the key);
 * - null (unset) attributes are left out, so a field added to a schema later does not
 *   change the keys of configs that do not set it;
 * - values marked sensitive, or strings holding a sensitive string, enter as an HMAC
 *   under the cache secret and appear nowhere in clear;
 * - unknown values (the build's generated data while it is not known: `build.Host`,
 *   `build.ID`) enter as a fixed placeholder, never as a run's value;
 * - values of fields marked `.localPath()` enter as the path relative to the template
 *   folder (portable between checkouts) and the content digest of what is there.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as cty from '../../hcl/cty/index.js';
import type { KeyValue } from './canonical.js';
import { canonical, escapeKey } from './canonical.js';
import type { DigestCache } from './files.js';
import { digestPath } from './files.js';
import type { CacheSecret } from './secret.js';

/** One flattened input of a fingerprint: `inline[0]` → `"apt-get update"`, `files/setup.sh` → `sha256:…`, a secret → `hmac:…`. */
export interface FingerprintInput {
  readonly path: string;
  /** JSON text of a config value, `sha256:…`/`tree:…`/`missing` for a file, `hmac:…` for a sensitive value, `(unknown)` for a placeholder. */
  readonly value: string;
  /** True when `value` is an HMAC of a sensitive value: show it only as "changed (sensitive)". */
  readonly sensitive?: true;
  /** True when `path` is a local file or folder (template-relative) and `value` its digest. */
  readonly file?: true;
}

/** Where paths are read and how they are shown. */
export interface PathContext {
  /** The template's folder: paths under it are keyed relative to it. */
  readonly templateDir: string;
  /** The folder relative paths are read from (the run's working directory, as components read them). */
  readonly cwd: string;
  /** Remembered digests of unchanged files (`statCache`); without it every file is read. */
  readonly digests?: DigestCache;
}

export interface RecordContext extends PathContext {
  readonly secret: CacheSecret;
  /** Strings that are sensitive wherever they appear (sensitive variables, secrets found while decoding). */
  readonly sensitive: readonly string[];
  /** Schema paths (`script`, `block.field`) left out of the key. */
  readonly noEffect: ReadonlySet<string>;
  /** Schema paths whose strings name local files or folders. */
  readonly localPaths: ReadonlySet<string>;
  /**
   * For a component without cache marks (a plugin's, or one whose plugin is missing):
   * any string naming an existing file or folder inside the template folder is keyed
   * by content too, as a heuristic. Never outside it: a guest path such as `/tmp` must
   * not make kiln hash the host's.
   */
  readonly guessPaths?: boolean;
}

export interface ConfigRecord {
  readonly config: KeyValue;
  /** Display path → digest, for every local path named. */
  readonly files: Readonly<Record<string, string>>;
  readonly inputs: FingerprintInput[];
}

const UNKNOWN: KeyValue = { $unknown: true };

/** The record parts of `value` (an object: the component's config). */
export async function configRecord(value: cty.Value, ctx: RecordContext): Promise<ConfigRecord> {
  const inputs: FingerprintInput[] = [];
  const fileInputs: FingerprintInput[] = [];
  const files: Record<string, string> = {};
  const pending: Promise<void>[] = [];
  const sensitiveStrings = ctx.sensitive.filter((s) => s.length > 0);

  const keyLocalPath = (p: string, shownAt: string): KeyValue => {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p)) {
      inputs.push({ path: shownAt, value: JSON.stringify(p) });
      return p;
    }
    const shown = displayPath(p, ctx);
    inputs.push({ path: shownAt, value: JSON.stringify(shown) });
    if (!(shown in files)) {
      files[shown] = '';
      pending.push(
        digestPath(path.resolve(ctx.cwd, expandHome(p)), ctx.digests, ctx.templateDir).then((d) => {
          files[shown] = d;
          fileInputs.push({ path: shown, value: d, file: true });
        }),
      );
    }
    return { $path: shown };
  };

  const walk = (v: cty.Value, at: string, schemaPath: string, local: boolean): KeyValue | undefined => {
    if (schemaPath !== '' && ctx.noEffect.has(schemaPath)) return undefined;
    const isLocal = local || (schemaPath !== '' && ctx.localPaths.has(schemaPath));
    const [bare] = cty.unmarkDeep(v);
    if (cty.hasMarkDeep(v, 'sensitive') && !containerOfMixed(v)) return sensitiveLeaf(bare, at);
    if (!bare.isKnown()) {
      inputs.push({ path: at, value: '(unknown)' });
      return UNKNOWN;
    }
    if (bare.isNull()) return undefined;
    const t = bare.type.kind;
    if (t === 'string') {
      const s = bare.asString();
      if (sensitiveStrings.some((x) => s.includes(x))) return sensitiveLeaf(bare, at);
      if (isLocal || (ctx.guessPaths === true && namesTemplateFile(s, ctx))) return keyLocalPath(s, at);
      inputs.push({ path: at, value: JSON.stringify(s) });
      return s;
    }
    if (t === 'number') {
      const n = cty.numberToString(bare.asNumber());
      inputs.push({ path: at, value: n });
      return { $number: n };
    }
    if (t === 'bool') {
      inputs.push({ path: at, value: String(bare.asBool()) });
      return bare.asBool();
    }
    if (t === 'list' || t === 'tuple' || t === 'set') {
      const elems = v.isMarked() ? cty.unmark(v)[0].asArray() : v.asArray();
      const out = elems.map((e, i) => walk(e, `${at}[${i}]`, schemaPath, isLocal) ?? null);
      return t === 'set' ? [...out].sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1)) : out;
    }
    if (t === 'map' || t === 'object') {
      const entries = v.isMarked() ? cty.unmark(v)[0].asMap() : v.asMap();
      const out: Record<string, KeyValue> = {};
      for (const [k, e] of entries) {
        const childAt = at === '' ? k : `${at}.${k}`;
        // A map field marked localPath names host paths in its keys (docker `volumes`).
        if (t === 'map' && isLocal) {
          const keyed = keyLocalPath(k, `${childAt}(path)`);
          const shown = typeof keyed === 'string' ? keyed : displayPath(k, ctx);
          const w = walk(e, childAt, `${schemaPath}`, false);
          if (w !== undefined) out[escapeKey(shown)] = w;
          continue;
        }
        const w = walk(e, childAt, t === 'object' ? join(schemaPath, k) : schemaPath, t === 'map' ? isLocal : false);
        if (w !== undefined) out[escapeKey(k)] = w;
      }
      return out;
    }
    // dynamic or capsule: keyed by its printed form, which is at least stable.
    const s = cty.goString(bare);
    inputs.push({ path: at, value: JSON.stringify(s) });
    return { $other: s };
  };

  const sensitiveLeaf = (bare: cty.Value, at: string): KeyValue => {
    const h = ctx.secret.hmac(canonical(plainOf(bare)));
    inputs.push({ path: at, value: h, sensitive: true });
    return { $hmac: h };
  };

  const config = walk(value, '', '', false) ?? null;
  await Promise.all(pending);
  fileInputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { config, files, inputs: [...inputs, ...fileInputs] };
}

/** A value whose own top level is unmarked but holds both marked and unmarked parts is walked, not hashed whole. */
function containerOfMixed(v: cty.Value): boolean {
  if (cty.hasMark(v, 'sensitive')) return false;
  const k = v.type.kind;
  return (k === 'list' || k === 'tuple' || k === 'set' || k === 'map' || k === 'object') && v.isKnown() && !v.isNull();
}

/** Whether `s` names an existing file or folder strictly inside the template folder. */
function namesTemplateFile(s: string, ctx: PathContext): boolean {
  if (s === '' || s.length > 4096 || s.includes('\n') || /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s)) return false;
  const abs = path.resolve(ctx.cwd, expandHome(s));
  const rel = path.relative(ctx.templateDir, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return existsSync(abs);
}

/** The path as keyed: relative to the template folder when under it, else absolute. */
export function displayPath(p: string, ctx: PathContext): string {
  const abs = path.resolve(ctx.cwd, expandHome(p));
  const rel = path.relative(ctx.templateDir, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const shown = inside ? rel.split(path.sep).join('/') : rel === '' ? '.' : abs;
  // A trailing slash changes what a file upload does (the folder's content, not the folder).
  return p.endsWith('/') && !shown.endsWith('/') ? `${shown}/` : shown;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(process.env['HOME'] ?? '', p.slice(1)) : p;
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** An unmarked value as a key value (for hashing a sensitive value whole). */
function plainOf(v: cty.Value): KeyValue {
  if (!v.isKnown()) return UNKNOWN;
  if (v.isNull()) return null;
  const t = v.type.kind;
  if (t === 'string') return v.asString();
  if (t === 'number') return { $number: cty.numberToString(v.asNumber()) };
  if (t === 'bool') return v.asBool();
  if (t === 'list' || t === 'tuple' || t === 'set') return v.asArray().map(plainOf);
  if (t === 'map' || t === 'object') {
    const out: Record<string, KeyValue> = {};
    for (const [k, e] of v.asMap()) out[escapeKey(k)] = plainOf(e);
    return out;
  }
  return { $other: cty.goString(v) };
}

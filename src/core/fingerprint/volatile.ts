/**
 * Volatile expressions: `timestamp()` and `uuidv4()` (HCL), `{{timestamp}}`, `{{uuid}}`
 * and `{{isotime}}` (Go templates) give a new value on every run, so a key over a config
 * using them misses every time. They enter the key with their real value (a cached
 * result with an old build date is not what a build now makes); this module finds them
 * so the fingerprint can say which expression it was, with file:line.
 *
 * It reads the component's block in its file: from its header to the closing brace,
 * plus the locals the block refers to that call such a function. A component without
 * a source range (legacy JSON) is looked at in its raw config, naming the attribute
 * instead of a line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as cty from '../../hcl/cty/index.js';
import type { ComponentSpec } from '../../template/model.js';

const CALL = /\b(timestamp|uuidv4)\s*\(\s*\)|\{\{\s*(timestamp|uuid|isotime)\b[^}]*\}\}/g;

const texts = new Map<string, string | undefined>();

function textOf(file: string): string | undefined {
  if (!texts.has(file)) {
    try {
      texts.set(file, readFileSync(file, 'utf8'));
    } catch {
      texts.set(file, undefined);
    }
  }
  return texts.get(file);
}

/** Forgets the file texts read so far (a long-lived process that keys templates being edited). */
export function forgetVolatileTexts(): void {
  texts.clear();
}

/** The volatile expressions `spec`'s block uses, as `timestamp() (build.pkr.hcl:42)`. */
export function volatileUses(spec: ComponentSpec): string[] {
  const range = spec.range;
  if (!range) return rawUses(spec);
  const text = textOf(range.filename);
  if (text === undefined) return [];
  const start = charOffset(text, range.start.byte);
  const end = blockEnd(text, charOffset(text, range.end.byte));
  const body = text.slice(start, end);
  const out: string[] = [];
  const name = path.basename(range.filename);
  for (const m of body.matchAll(CALL)) out.push(`${m[0]} (${name}:${lineAt(text, start + (m.index ?? 0))})`);
  for (const m of body.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)) {
    const local = m[1] ?? '';
    const def = volatileLocal(path.dirname(range.filename), local);
    if (def) out.push(`local.${local} (${name}:${lineAt(text, start + (m.index ?? 0))}) uses ${def}`);
  }
  return [...new Set(out)];
}

/** A component without a place (legacy JSON): the Go-template calls in its raw config, as `{{timestamp}} (in inline[0])`. */
function rawUses(spec: ComponentSpec): string[] {
  const out: string[] = [];
  const walk = (v: cty.Value, at: string): void => {
    if (!v.isKnown() || v.isNull()) return;
    const k = v.type.kind;
    if (k === 'string') {
      for (const m of v.asString().matchAll(CALL)) out.push(`${m[0]} (in ${at})`);
    } else if (k === 'list' || k === 'tuple' || k === 'set') v.asArray().forEach((e, i) => walk(e, `${at}[${i}]`));
    else if (k === 'map' || k === 'object') for (const [key, e] of v.asMap()) walk(e, at === '' ? key : `${at}.${key}`);
  };
  const raw = spec.raw?.();
  if (raw) walk(cty.unmarkDeep(raw)[0], '');
  return [...new Set(out)];
}

/** Where local `name` is defined with a volatile call in the HCL files of `dir`: `timestamp() (vars.pkr.hcl:3)`. */
function volatileLocal(dir: string, name: string): string | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.pkr.hcl')).sort();
  } catch {
    return undefined;
  }
  const def = new RegExp(`^\\s*${name.replace(/[-]/g, '\\-')}\\s*=(.*)$`, 'gm');
  for (const f of files) {
    const text = textOf(path.join(dir, f));
    if (text === undefined || !/\blocals\s*\{/.test(text)) continue;
    for (const m of text.matchAll(def)) {
      const call = (m[1] ?? '').match(/\b(timestamp|uuidv4)\s*\(\s*\)/);
      if (call) return `${call[0]} (${f}:${lineAt(text, m.index ?? 0)})`;
    }
  }
  return undefined;
}

/** The character index of UTF-8 byte offset `byte` in `text`. */
function charOffset(text: string, byte: number): number {
  if (byte <= 0) return 0;
  const b = Buffer.from(text, 'utf8');
  return b.subarray(0, Math.min(byte, b.length)).toString('utf8').length;
}

/** The index just after the brace closing the block whose header ends at `from`. */
function blockEnd(text: string, from: number): number {
  const open = text.indexOf('{', from);
  if (open < 0) return text.length;
  let depth = 0;
  let quote = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

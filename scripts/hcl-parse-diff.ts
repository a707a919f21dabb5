/**
 * `node --import tsx scripts/hcl-parse-diff.ts BASE_DIST [NEW_DIST] [MUTATIONS]`: the
 * check a parser change must pass. Parses the same inputs with the native-syntax parser
 * of two builds of kiln (dist/ folders: BASE_DIST, e.g. a `git archive` of the commit
 * before the change built with `npm run build`, and NEW_DIST, default this checkout's
 * dist/) and compares the results field by field: every public field and getter of
 * every node (ranges read as positions), the node classes, and the diagnostics.
 * Inputs: every .hcl file of ../shared, the parser fixtures and examples/, MUTATIONS
 * (default 3000) seeded mutations of them, each as a config file (at two start
 * positions) and as a template, and each attribute's right-hand side as an expression,
 * a template and a traversal. Prints the first differences and the counts; exits 1 on
 * any difference. Test tooling: reads ../shared, so it is not part of `npm test`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRAGMENTS, mutate, rng } from '../src/hcl/syntax/fuzz-harness.js';

type Entry = (src: string, filename: string, start?: { line: number; column: number; byte: number }) => unknown;
interface ParserChunk {
  readonly lexConfig: Entry;
  readonly parseConfigTokens: (lexed: unknown) => unknown;
  readonly parseExpression: Entry;
  readonly parseTemplate: Entry;
  readonly parseTraversalAbs: Entry;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The dist/ chunk holding the native-syntax parser's entry points. */
function parserOf(dist: string): ParserChunk {
  const chunk = readdirSync(dist)
    .filter((f) => f.startsWith('chunk-') && f.endsWith('.js'))
    .find((f) => readFileSync(path.join(dist, f), 'utf8').includes('  parseConfigTokens,'));
  if (chunk === undefined) throw new Error(`no parser chunk in ${dist}`);
  return require(path.join(dist, chunk)) as ParserChunk;
}

function isStream(v: unknown): boolean {
  return typeof v === 'object' && v !== null && v.constructor?.name === 'TokenStream';
}

/**
 * `x` as plain data: own fields plus prototype getters (ranges, parts, ...), class names,
 * without the token stream and the slots nodes keep into it. A one-literal template may
 * be a StringNode in one build and a TemplateNode in the other: the same fields.
 */
function plain(x: unknown, seen = new Set<object>()): unknown {
  if (typeof x === 'bigint') return `bigint:${x}`;
  if (typeof x === 'function') return '<function>';
  if (typeof x !== 'object' || x === null) return x ?? null;
  if (seen.has(x)) return '<cycle>';
  seen.add(x);
  try {
    if (Array.isArray(x)) return x.map((v) => plain(v, seen));
    const obj = x as Record<string, unknown>;
    if (typeof obj['get'] === 'function' && typeof obj['entries'] === 'function' && typeof obj['has'] === 'function') {
      const entries = (obj['entries'] as () => Iterable<[unknown, unknown]>).call(x);
      return { map: [...entries].map(([k, v]) => [k, plain(v, seen)]) };
    }
    const keys = new Set(Object.keys(x));
    for (let p: object | null = Object.getPrototypeOf(x); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get !== undefined || k === 'kind') keys.add(k);
    }
    const slotted = Object.values(obj).some(isStream);
    let cls = x.constructor?.name === 'Object' ? undefined : x.constructor?.name;
    if (cls === 'StringNode') {
      cls = 'TemplateNode';
      keys.delete('text');
    }
    const out: Record<string, unknown> = { class: cls };
    for (const k of [...keys].sort()) {
      const v = obj[k];
      if (typeof v === 'function' || isStream(v)) continue;
      if (slotted && typeof v === 'number' && Object.prototype.hasOwnProperty.call(x, k)) continue;
      out[k] = plain(v, seen);
    }
    return out;
  } finally {
    seen.delete(x);
  }
}

type Kind = 'config' | 'config-at' | 'expression' | 'template' | 'traversal';

function parse(p: ParserChunk, kind: Kind, src: string, name: string): unknown {
  switch (kind) {
    case 'config': return p.parseConfigTokens(p.lexConfig(src, name));
    case 'config-at': return p.parseConfigTokens(p.lexConfig(src, name, { line: 3, column: 5, byte: 17 }));
    case 'expression': return p.parseExpression(src, name);
    case 'template': return p.parseTemplate(src, name);
    case 'traversal': return p.parseTraversalAbs(src, name);
  }
}

function hclFiles(dir: string, out: [string, string][]): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') hclFiles(p, out);
    } else if (e.name.endsWith('.hcl')) out.push([p, readFileSync(p, 'utf8')]);
  }
}

/** The fuzzer's fragments and quoted-template shapes the parser builds on direct paths. */
const DIFF_FRAGMENTS = [...FRAGMENTS, '\\"', '%%{', '"${var.a}"', '"a${b}c"', '"${a}${b}"', '"${a}-${b~}"', '"x${~a}"', '"${a.b[0]}/x"', '[1, [2, "${x}"]]'];

const [baseDist, newDist = path.join(root, 'dist'), mutations = '3000'] = process.argv.slice(2);
if (baseDist === undefined) {
  console.error('usage: node --import tsx scripts/hcl-parse-diff.ts BASE_DIST [NEW_DIST] [MUTATIONS]');
  process.exit(2);
}
const base = parserOf(path.resolve(baseDist));
const next = parserOf(path.resolve(newDist));

const inputs: [string, string][] = [];
for (const dir of [path.join(root, '..', 'shared'), path.join(root, 'src', 'hcl', 'syntax', 'fixtures'), path.join(root, 'examples')]) hclFiles(dir, inputs);
const originals = inputs.length;
const rand = rng(12345);
for (let i = 0; i < Number(mutations); i++) {
  const [name, src] = inputs[Math.floor(rand() * originals)] ?? ['', ''];
  inputs.push([`${name}#${i}`, mutate(src, rand, DIFF_FRAGMENTS)]);
}
const snippets: [string, string][] = [];
for (const [name, src] of inputs.slice(0, 3000)) for (const m of src.matchAll(/=\s*(.+)$/gm)) snippets.push([name, m[1] ?? '']);

let count = 0;
let differences = 0;
function compare(kind: Kind, name: string, src: string): void {
  const run = (p: ParserChunk): string => {
    try {
      return JSON.stringify(plain(parse(p, kind, src, name)));
    } catch (err) {
      return `threw ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  const a = run(base);
  const b = run(next);
  count++;
  if (a === b) return;
  differences++;
  if (differences > 5) return;
  let i = 0;
  while (a[i] === b[i]) i++;
  console.log(`DIFFERENCE ${kind} ${name} ${JSON.stringify(src.slice(0, 200))}\n  base: ${a.slice(Math.max(0, i - 300), i + 200)}\n  new:  ${b.slice(Math.max(0, i - 300), i + 200)}`);
}
for (const [name, src] of inputs) {
  compare('config', name, src);
  if (count % 3 === 0) compare('config-at', name, src);
  compare('template', name, src.slice(0, 400));
}
for (const [name, src] of snippets) {
  compare('expression', name, src);
  compare('template', name, src);
  compare('traversal', name, src);
}
console.log(`hcl-parse-diff: ${count} parses of ${originals} files, ${inputs.length - originals} mutations and ${snippets.length} snippets: ${differences} differences`);
process.exitCode = differences > 0 ? 1 : 0;

#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`): bundles src/ into dist/ with esbuild.
 *
 * Why a bundle: tsc's output is one ES module per source file (~360), and Node's
 * ESM loader pays for each one (resolve, stat, open, read, link); that fixed cost
 * dominated `kiln validate` and the first docker command of `kiln build`. The bundle
 * keeps the lazy structure — every command, every plugin folder and every dynamically
 * imported piece is its own entry, shared code goes into chunks — so a command loads a
 * handful of files instead of hundreds.
 *
 * Then each file is converted to CommonJS and V8's code cache is recorded for it
 * (toCommonJs and train below; bin/code-cache.cjs loads it).
 *
 * Layout: dist/ is flat. bin/kiln requires dist/main.js. Code that finds a file next to
 * itself with `new URL('./x.js', import.meta.url)` (the secret-fetch child process)
 * finds it whichever chunk that code lands in, because every output file sits in the
 * same directory. npm packages stay external (resolved from node_modules at run time):
 * native ones (ssh2's optional sshcrypto.node, cpu-features, lz4-napi, lzma-native)
 * cannot be bundled, ssh2 is patched through its internals (one copy only), and the
 * AWS SDK is large and loaded only for aws_secretsmanager.
 *
 * The type-check stays `tsc --noEmit` (`npm run typecheck`); esbuild only strips types.
 * The new dist/ is written beside the old one and swapped in with renames, so a kiln
 * started during a rebuild sees either the old or the new tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transformSync } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
// KILN_DIST builds elsewhere (a stable copy to benchmark against while dist/ is rebuilt).
const dist = path.resolve(root, process.env['KILN_DIST'] ?? 'dist');

/**
 * Entries, as esbuild's { in, out }: main, the secret-fetch child, and every file some
 * source imports with a literal `import('./x.js')` — the command table's commands, the
 * plugin registry's plugin folders (their index.ts), other lazy pieces. A module only
 * ever imported statically gets no entry of its own: one would just add a file to load.
 */
function entries() {
  // The compress post-processor's worker thread is started from its file (gzip-file.ts).
  const files = new Set(['commands/main.ts', 'template/functions/secret-fetch-child.ts', 'plugins/post-processors/compress/deflate-worker.ts']);
  for (const file of sourceFiles(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)\.js'\s*\)/g)) {
      const target = path.resolve(path.dirname(file), `${m[1]}.ts`);
      // A path in a comment or a string that names no file is not an import.
      if (exists(target)) files.add(path.relative(src, target));
    }
  }
  return [...files].sort().map((file) => ({ in: path.join(src, file), out: outName(file) }));
}

/** `commands/build.ts` → `command-build`, `plugins/builders/null/index.ts` → `builder-null`. */
function outName(file) {
  const parts = file.slice(0, -'.ts'.length).split('/');
  if (parts[0] === 'commands' && parts.length === 2) return parts[1] === 'main' ? 'main' : `command-${parts[1]}`;
  if (parts[0] === 'plugins' && parts.length === 4 && parts[3] === 'index') return `${singular(parts[1])}-${parts[2]}`;
  if (parts.at(-1) === 'secret-fetch-child') return 'secret-fetch-child';
  return parts.join('-');
}

function* sourceFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) yield p;
  }
}

function singular(kind) {
  return kind.endsWith('s') ? kind.slice(0, -1) : kind;
}

function exists(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * One ES module chunk as CommonJS. esbuild splits code into chunks only in ESM, but Node
 * 20 caches compiled code only for scripts (vm.Script's cachedData; bin/code-cache.cjs),
 * so each chunk is converted after splitting: imports become require() calls (dynamic
 * ones too: `Promise.resolve().then(() => require(...))`), exports become getters, so
 * bindings stay live. Chunks import only chunks whose entry set includes theirs, so
 * there are no import cycles for CommonJS to leave half-initialised. `import.meta.url`
 * becomes the file's URL; the code stays strict as ES modules are.
 *
 * Once a file has run, its exports object is replaced by one with plain data
 * properties. esbuild's CommonJS exports are getters (two per name: `__export`'s and
 * `__toCommonJS`'s copy) that keep ESM's live bindings; every use of a name from another
 * chunk (`(0, import_chunk_X.name)(...)`) called both, which cost ~1.5% of a 5 MB
 * validate. kiln exports no `let` that changes after its module has run (lint's
 * no-restricted-syntax forbids `export let`), so the values at that point are final.
 */
function toCommonJs(code, file) {
  const url = code.includes('import.meta') ? 'const __kiln_import_meta_url = require("node:url").pathToFileURL(__filename).href;' : '';
  const r = transformSync(code, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__kiln_import_meta_url' },
    banner: `"use strict";${url}`,
    sourcefile: path.basename(file),
    logLevel: 'warning',
  });
  return `${cheaperKeepNames(r.code)}${PLAIN_EXPORTS}`;
}

/**
 * keepNames wraps every function and class in esbuild's `__name(fn, "name")`, which
 * redefines `name` (a map transition per function: ~1,100 of them run while the validate
 * command loads, more in hot closures). Only a name esbuild renamed differs from the one
 * JavaScript gave the function already; the helper now returns those others untouched
 * (same property value and attributes either way).
 */
const NAME_HELPER = /var (__name\d*) = \(target, value\) => (__defProp\d*)\(target, "name", \{ value, configurable: true \}\);/;
let nameHelpers = 0;
function cheaperKeepNames(code) {
  if (!NAME_HELPER.test(code)) return code;
  nameHelpers++;
  return code.replace(NAME_HELPER, (_m, name, def) => `var ${name} = (target, value) => target.name === value ? target : ${def}(target, "name", { value, configurable: true });`);
}

/** Appended to every file: its exports as data properties (see toCommonJs). */
const PLAIN_EXPORTS =
  '{ const getters = module.exports, plain = Object.defineProperty({}, "__esModule", { value: true }); ' +
  'for (const k of Object.keys(getters)) plain[k] = getters[k]; module.exports = plain; }\n';

/**
 * Records V8's code cache for the new dist/ (scripts/code-cache-train.mjs runs kiln's
 * common commands in one process and stores what V8 compiled). Without it kiln still
 * runs, compiling from source, so a failure here is a warning.
 */
function train(dir) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'code-cache-train.mjs'), dir, dist], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`kiln: no code cache recorded (dist/ runs without it): ${r.stderr || r.error?.message || `exit ${r.status}`}\n`);
}

const tmp = `${dist}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const result = await build({
  entryPoints: entries(),
  outdir: tmp,
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  entryNames: '[name]',
  // Function and class names appear in stack traces and error output; keep them.
  keepNames: true,
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
mkdirSync(tmp, { recursive: true });
for (const out of result.outputFiles) writeFileSync(out.path, toCommonJs(out.text, out.path));
// esbuild changed its helper: look at the output and adapt cheaperKeepNames.
if (nameHelpers === 0) throw new Error('build: no __name helper found to patch (esbuild output changed?)');
// The files are CommonJS although the package is "type": "module".
writeFileSync(path.join(tmp, 'package.json'), '{ "type": "commonjs" }\n');
train(tmp);
// KILN_BUILD_META=1 keeps esbuild's metafile (inputs per output) for size and import analysis.
if (process.env['KILN_BUILD_META']) writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(result.metafile));
const old = `${dist}.old-${process.pid}`;
try {
  renameSync(dist, old);
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
renameSync(tmp, dist);
rmSync(old, { recursive: true, force: true });
const files = result.outputFiles.length;
process.stdout.write(`kiln: bundled src/ into dist/ (${files} files)\n`);

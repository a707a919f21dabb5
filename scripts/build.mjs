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
 * Layout: dist/ is flat. bin/kiln imports dist/main.js. Code that finds a file next to
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
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
  const files = new Set(['commands/main.ts', 'template/functions/secret-fetch-child.ts']);
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

const tmp = `${dist}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const result = await build({
  entryPoints: entries(),
  outdir: tmp,
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
const files = Object.keys(result.metafile.outputs).length;
process.stdout.write(`kiln: bundled src/ into dist/ (${files} files)\n`);

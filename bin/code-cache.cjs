'use strict';
/**
 * Loads kiln's bundle (dist/, flat CommonJS files written by scripts/build.mjs) with
 * V8's code cache. Node 20 has no compile cache of its own (module.enableCompileCache
 * is Node 22), so each dist/ file is compiled through vm.Script with the bytecode the
 * build recorded in dist/v8-cache/<file>.v8 (scripts/code-cache-train.mjs). V8 checks
 * the data against the source, its own version and flags; data it rejects is ignored
 * and the file compiles as usual, so a stale or foreign cache costs a read, never
 * correctness.
 *
 * dist/ files are loaded here rather than through Node's CommonJS loader: a dist file
 * only requires its siblings (`./x.js`), Node's built-ins (`node:x`) and npm packages,
 * and Node's loader spent ~10 ms of a `validate` resolving the few hundred sibling
 * requires (stat, path normalisation, package.json scope lookups). Siblings are
 * resolved by name, built-ins through this file's require, packages through a
 * `createRequire` of the requiring file (so node_modules resolution is Node's own).
 * Each file gets `module`, `exports`, `require`, `__filename` and `__dirname`, is cached
 * before it runs (so an import cycle sees partial exports, as in Node), and runs once.
 *
 * V8 flags: kiln runs with V8_FLAGS (bin/kiln's sh preamble passes them). V8 rejects a code
 * cache recorded under other flags, so `load` sets any of them missing from the command
 * line (`node bin/kiln`, the training run) through node:v8 before compiling anything;
 * that costs a few ms (node:v8 loads streams), which the preamble avoids.
 * - `--interrupt-budget=1000000` (V8's default 67584): a function is optimised by
 *   TurboFan after ~15 times more interpreted work. A short run (`validate` of a few
 *   templates) otherwise spends a third of its CPU compiling parser and evaluator
 *   functions it stops calling a few ms later (runner-images' 9 templates: 140 -> 106 ms
 *   CPU; a 0.5 MB template 359 -> 234 ms); runs of a second or more are unchanged (the
 *   5 MB template: 1069 -> 1087 ms, within the noise), and a long build's hot paths
 *   are optimised within its first seconds as before.
 * - `--min-semi-space-size=4` (MB; V8 starts the young generation at 1 MB and grows it):
 *   a small run then makes no scavenge at all (runner-images made 3, copying the live
 *   parse tree each time) and a large one fewer. CPU from wait4, medians: runner-images
 *   55.6 -> 52.9 ms and 55.4 -> 53.6 ms (41 and 31 rounds), the 5 MB template 858 -> 813 ms
 *   (7 rounds) and 840 -> 780 ms (7 rounds, bench/hcl-validate.ts with the other build as
 *   KILN_BASE_BIN), `kiln version` unchanged; 2 MB was worse, 8 MB the same as 4.
 *
 * NODE_DEBUG=module also says for each file whether V8 used its code cache.
 *
 * `load(dist, 'main.js', { record: true })` keeps every compiled script so that
 * `writeCaches()` can store what V8 compiled during a training run. V8 keeps the script
 * name the cache was recorded under (stack traces show it), so a training run over a
 * directory that will be renamed passes `scriptDir`, the directory's final path.
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

/** The V8 flags kiln runs with (see above); bin/kiln's sh preamble lists the same. */
const V8_FLAGS = ['--interrupt-budget=1000000', '--min-semi-space-size=4'];

const modules = new Map();
const compiled = [];
// NODE_DEBUG=module: each dist/ file is logged as Node logs the CommonJS files it loads.
const debug = /\bmodule\b/i.test(process.env.NODE_DEBUG ?? '');
let options = { dist: '', record: false, scriptDir: '' };

function distRequire(filename) {
  let packages;
  const req = (id) => {
    if (id.startsWith('./')) return loadFile(path.join(options.dist, id.slice(2)));
    if (id.startsWith('node:')) return require(id);
    packages ??= Module.createRequire(filename);
    return packages(id);
  };
  req.resolve = (id, opts) => {
    if (id.startsWith('./')) return path.join(options.dist, id.slice(2));
    packages ??= Module.createRequire(filename);
    return packages.resolve(id, opts);
  };
  return req;
}

function loadFile(filename) {
  const known = modules.get(filename);
  if (known) return known.exports;
  const mod = { id: filename, filename, exports: {}, loaded: false };
  modules.set(filename, mod);
  const cacheFile = path.join(options.dist, 'v8-cache', `${path.basename(filename)}.v8`);
  let cachedData;
  if (!options.record) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // No cache for this file: compile from source.
    }
  }
  const scriptName = path.join(options.scriptDir, path.basename(filename));
  const script = new vm.Script(Module.wrap(fs.readFileSync(filename, 'utf8')), { filename: scriptName, cachedData });
  if (options.record) compiled.push({ cacheFile, script });
  if (debug) process.stderr.write(`MODULE ${process.pid}: load "${filename}" (kiln dist, ${cachedData === undefined ? 'no code cache' : script.cachedDataRejected ? 'code cache rejected' : 'code cache used'})\n`);
  script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, distRequire(filename), mod, filename, options.dist);
  mod.loaded = true;
  return mod.exports;
}

/** Loads `name` (e.g. 'main.js') from `dist` and returns its exports. */
function load(dist, name, opts = {}) {
  setV8Flags();
  options = { dist, record: opts.record === true, scriptDir: opts.scriptDir ?? dist };
  return loadFile(path.join(dist, name));
}

/** Sets each of V8_FLAGS that the command line did not give (by name: an explicit other value stays). */
function setV8Flags() {
  const given = new Set(process.execArgv.map((a) => a.split('=')[0].replaceAll('_', '-')));
  const missing = V8_FLAGS.filter((f) => !given.has(f.split('=')[0]));
  // A worker thread (the compress post-processor's) shares the process's flags, already set.
  if (missing.length > 0 && require('node:worker_threads').isMainThread) require('node:v8').setFlagsFromString(missing.join(' '));
}

/** Writes the code cache of every file compiled since `load(..., { record: true })`; returns how many. */
function writeCaches() {
  fs.mkdirSync(path.join(options.dist, 'v8-cache'), { recursive: true });
  for (const { cacheFile, script } of compiled) fs.writeFileSync(cacheFile, script.createCachedData());
  return compiled.length;
}

module.exports = { load, writeCaches, V8_FLAGS };

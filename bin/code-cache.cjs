'use strict';
/**
 * Loads kiln's bundle (dist/, CommonJS files written by scripts/build.mjs) with V8's
 * code cache: Node 20 has no compile cache of its own (module.enableCompileCache is
 * Node 22), so each dist/ file is compiled through vm.Script with the bytecode the
 * build recorded in dist/v8-cache/<file>.v8 (scripts/code-cache-train.mjs). V8 checks
 * the data against the source, its own version and flags; data it rejects is ignored
 * and the file compiles as usual, so a stale or foreign cache costs a read, never
 * correctness. Files outside `dist` load through Node's loader untouched.
 *
 * `install(dist, { record: true })` keeps every compiled script so that
 * `writeCaches()` can store what V8 compiled during a training run.
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const compiled = [];
let cacheDir = '';

/** Hooks CommonJS compilation of the files directly in `dist`. */
function install(dist, options = {}) {
  const record = options.record === true;
  cacheDir = path.join(dist, 'v8-cache');
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (path.dirname(filename) !== dist) return compile.call(this, content, filename);
    const cacheFile = path.join(cacheDir, `${path.basename(filename)}.v8`);
    let cachedData;
    if (!record) {
      try {
        cachedData = fs.readFileSync(cacheFile);
      } catch {
        // No cache for this file: compile from source.
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (record) compiled.push({ cacheFile, script });
    const mod = this;
    const require = (id) => mod.require(id);
    require.resolve = (request, opts) => Module._resolveFilename(request, mod, false, opts);
    require.cache = Module._cache;
    require.main = process.mainModule;
    return script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, require, mod, filename, dist);
  };
}

/** Writes the code cache of every file compiled since `install(dist, { record: true })`; returns how many. */
function writeCaches() {
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const { cacheFile, script } of compiled) fs.writeFileSync(cacheFile, script.createCachedData());
  return compiled.length;
}

module.exports = { install, writeCaches };

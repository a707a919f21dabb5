/**
 * Finds and reads the step cache's side file for a command (`kiln build` with a cache
 * flag, `kiln cache explain`, `kiln plan`): `-cache-config=PATH`, else `kiln.hcl` in the
 * template's folder when there is one (none for a template read from stdin). Its
 * settings go into the fingerprint context (`FingerprintContext.side`), so the three
 * commands key every step alike; its problems are diagnostics the command prints, with
 * the side file's lines quoted, before it runs anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../hcl/diagnostic.js';
import type { SourceFile } from '../hcl/diagnostic-text.js';
import { parseNativeFile } from '../hcl/syntax/body-file.js';
import { parseAge } from '../core/cache/prune.js';
import { readSideFile, sideFilePath } from '../core/cache/side-file.js';
import type { FlagTtl } from '../core/cache/ttl.js';
import { templateDirOf } from '../core/fingerprint/fingerprint.js';
import type { SideSettings } from '../core/fingerprint/side-settings.js';
import type { TemplateModel } from '../template/model.js';
import type { FlagValue } from './flags.js';

/** The step cache's settings beyond the cache flags: the side file's and `-cache-ttl`. */
export interface CacheOptions {
  /** Undefined when there is no side file, or it has errors. */
  readonly side?: SideSettings;
  readonly ttl?: FlagTtl;
}

export interface LoadedCacheOptions extends CacheOptions {
  readonly diagnostics: readonly Diagnostic[];
  /** The side file's text for rendering its diagnostics, by the name they use. */
  readonly files: ReadonlyMap<string, SourceFile>;
}

/** `-cache-ttl` and the side file for `model` under the flags `v` (`-cache-config`, `-only`, `-except`). */
export function loadCacheOptions(v: ReadonlyMap<string, FlagValue>, cwd: string, model: TemplateModel): LoadedCacheOptions {
  const ttlFlag = v.get('cache-ttl');
  const ms = typeof ttlFlag === 'string' && ttlFlag !== '' ? parseAge(ttlFlag) : undefined;
  if (typeof ttlFlag === 'string' && ttlFlag !== '' && (ms === undefined || ms <= 0)) {
    const detail = `-cache-ttl=${ttlFlag} is not a duration: give one such as 30m, 24h or 7d (combinable: 1d12h). Cached steps older than it run again.`;
    return { diagnostics: [{ severity: 'error', summary: 'Invalid -cache-ttl', detail }], files: new Map() };
  }
  const side = loadSideFile(v, cwd, model);
  return { ...side, ...(ms !== undefined && typeof ttlFlag === 'string' ? { ttl: { ms, text: ttlFlag } } : {}) };
}

function loadSideFile(v: ReadonlyMap<string, FlagValue>, cwd: string, model: TemplateModel): LoadedCacheOptions {
  const flag = v.get('cache-config');
  const explicit = typeof flag === 'string' && flag !== '' ? path.resolve(cwd, flag) : undefined;
  if (explicit === undefined && model.templatePath === undefined) return { diagnostics: [], files: new Map() };
  const file = explicit ?? sideFilePath(templateDirOf(model, cwd));
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (explicit === undefined && (code === 'ENOENT' || code === 'ENOTDIR')) return { diagnostics: [], files: new Map() };
    const detail = `-cache-config names the step cache's side file; ${shown} could not be read (${(err as Error).message}). Give the path of a kiln.hcl file, or leave the flag out to use kiln.hcl beside the template.`;
    return { diagnostics: [{ severity: 'error', summary: 'Cannot read the step cache side file', detail }], files: new Map() };
  }
  const parsed = parseNativeFile(text, shown);
  const files = new Map([[shown, parsed.file]]);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics, files };
  const only = v.get('only');
  const except = v.get('except');
  const filtered = (Array.isArray(only) && only.length > 0) || (Array.isArray(except) && except.length > 0);
  const builds = model.builds.map((b) => ({ name: b.name, builderType: b.builder.type, sourceName: b.sourceName, provisioners: b.provisioners.map((p) => ({ type: p.type, ...(p.name !== undefined ? { name: p.name } : {}) })) }));
  const r = readSideFile(parsed.body, shown, path.dirname(file), builds, filtered);
  const diagnostics = [...parsed.diagnostics, ...r.diagnostics];
  return { ...(diagnostics.some((d) => d.severity === 'error') ? {} : { side: r.settings }), diagnostics, files };
}

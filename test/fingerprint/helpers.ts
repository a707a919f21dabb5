/**
 * Loads a template as `kiln build` does (built-in components only) and fingerprints
 * its builds, for the fingerprint tests.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadAnyTemplate, prepareModel, renderTemplateDiagnostics } from '../../src/commands/load-for-command.js';
import type { BuildFingerprint } from '../../src/core/fingerprint/build-fingerprint.js';
import { fingerprintBuild } from '../../src/core/fingerprint/build-fingerprint.js';
import { fingerprintContext } from '../../src/core/fingerprint/fingerprint.js';
import type { CacheSecret } from '../../src/core/fingerprint/secret.js';
import { fixedCacheSecret } from '../../src/core/fingerprint/secret.js';
import { hasErrors } from '../../src/hcl/diagnostic.js';
import { builtinRegistry } from '../../src/plugins/registry.js';

export const TEST_SECRET: CacheSecret = fixedCacheSecret(Buffer.alloc(32, 7));

/** A temp folder holding `files` (relative path → content); removed by `dispose`. */
export async function templateDir(files: Record<string, string>): Promise<{ dir: string; write(name: string, text: string): Promise<void>; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiln-fp-'));
  const write = async (name: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  };
  for (const [name, text] of Object.entries(files)) await write(name, text);
  return { dir, write, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The fingerprints of every build of the template at `dir` (a folder or a file), with `-var` values `vars` (and a bust value). */
export async function keyTemplate(dir: string, vars: Record<string, string> = {}, secret: CacheSecret = TEST_SECRET, bust?: string): Promise<BuildFingerprint[]> {
  const values = new Map<string, string[]>([['var', Object.entries(vars).map(([k, v]) => `${k}=${v}`)]]);
  const cwd = statSync(dir).isDirectory() ? dir : path.dirname(dir);
  const io = { stdout: () => undefined, stderr: () => undefined, env: process.env, cwd };
  const loaded = await loadAnyTemplate(dir, { values, positional: [dir] }, io, builtinRegistry());
  const diags = [...loaded.parseDiagnostics, ...loaded.initDiagnostics];
  if (!loaded.model || hasErrors(diags)) throw new Error(loaded.failure ?? renderTemplateDiagnostics(diags, loaded.files));
  const prepared = await prepareModel(loaded.model, builtinRegistry());
  if (hasErrors(prepared.diagnostics)) throw new Error(renderTemplateDiagnostics(prepared.diagnostics, loaded.files));
  const ctx = { ...fingerprintContext(loaded.model, cwd, secret, prepared.secrets), ...(bust !== undefined ? { bust } : {}) };
  return Promise.all(prepared.builds.map((b) => fingerprintBuild(b, ctx)));
}

/** The keys of a build: base, then each step, then the whole build. */
export function keysOf(f: BuildFingerprint): string[] {
  return [f.base.key, ...f.steps.map((s) => s.key), f.key];
}

/**
 * The current-SDK test plugin (test/go-plugins: real amazon and docker components plus
 * a small `kilntest` builder and data source), built with Go from the module proxy once
 * per machine into `$XDG_CACHE_HOME/kiln/go-plugins/<hash of the sources>` and installed
 * in Packer 1.16's layout (binary + `_SHA256SUM`) under a plugin folder. A cold build
 * downloads and compiles the amazon plugin's modules (minutes); later runs reuse it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'go-plugins');

/** The plugins the binary serves, by the name it is installed under. */
export const GO_PLUGINS = ['amazon', 'docker', 'kilntest'] as const;
export type GoPluginName = (typeof GO_PLUGINS)[number];

function cacheDir(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.cache');
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(SOURCE_DIR, f)));
  return path.join(base, 'kiln', 'go-plugins', hash.digest('hex').slice(0, 16));
}

/** The built binary; builds it when the cache has none. Throws with Go's output when the build fails. */
export function goPluginBinary(): string {
  const dir = cacheDir();
  const bin = path.join(dir, 'kiln-test-plugin');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.tmp${process.pid}`;
  const r = spawnSync('go', ['build', '-mod=mod', '-o', tmp, '.'], { cwd: SOURCE_DIR, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (r.status !== 0) throw new Error(`kiln tests: building test/go-plugins failed (go on PATH, module proxy reachable?):\n${r.stderr}${r.error?.message ?? ''}`);
  renameSync(tmp, bin);
  return bin;
}

/**
 * Installs `names` under `pluginDir` as Packer 1.16 does:
 * `github.com/hashicorp/<name>/packer-plugin-<name>_v0.0.1_x5.0_linux_amd64` and its `_SHA256SUM`.
 */
export function installGoPlugins(pluginDir: string, names: readonly GoPluginName[] = GO_PLUGINS): void {
  const bin = goPluginBinary();
  const sum = createHash('sha256').update(readFileSync(bin)).digest('hex');
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  for (const name of names) {
    const dir = path.join(pluginDir, 'github.com', 'hashicorp', name);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `packer-plugin-${name}_v0.0.1_x5.0_${process.platform}_${arch}`);
    copyFileSync(bin, file);
    writeFileSync(`${file}_SHA256SUM`, sum);
  }
}

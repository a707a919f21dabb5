/**
 * `npm run quickstart`: bakes a real VM image with kiln. On a Debian 12 host as root it
 * installs QEMU with apt-get when missing, builds kiln's base image (made only from
 * Debian packages, scripts/qemu-base/) into `$XDG_CACHE_HOME/kiln` (default
 * `~/.cache/kiln`) when missing, makes an SSH key there, runs `kiln build` on
 * examples/quickstart/ and ends with `Image: <absolute path of the qcow2>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../src/sdk/ssh/key-pair.js';
import { baseImageCacheRoot, ensureBaseImage } from '../test/support/qemu-base.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m: string) => console.log(`quickstart: ${m}`);
const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`quickstart: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

async function main(): Promise<void> {
  const missing = [['qemu-system-x86_64', 'qemu-system-x86'], ['qemu-img', 'qemu-utils'], ['mkfs.ext4', 'e2fsprogs']].filter(([tool]) => !have(tool ?? ''));
  if (missing.length > 0) {
    const pkgs = missing.map(([, pkg]) => pkg ?? '');
    if (process.getuid?.() !== 0 || !have('apt-get')) {
      console.error(`quickstart: needs ${pkgs.join(', ')}; install them (apt-get install ${pkgs.join(' ')}) or run as root on Debian.`);
      process.exit(1);
    }
    say(`installing ${pkgs.join(' ')} with apt-get`);
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
  }
  if (!existsSync(path.join(repo, 'dist', 'main.js'))) run('npm', ['run', 'build']);

  say(`base image (cached in ${baseImageCacheRoot()}; the first build takes a minute and needs root)`);
  const base = await ensureBaseImage();
  say(`base image: ${base.qcow2}`);

  const home = path.dirname(baseImageCacheRoot());
  const dir = path.join(home, 'quickstart');
  const key = path.join(dir, 'id_ed25519');
  await mkdir(dir, { recursive: true });
  if (!existsSync(key)) {
    const pair = await generateKeyPair({ type: 'ed25519', comment: 'kiln-quickstart' });
    await writeFile(key, pair.privateKey, { mode: 0o600 });
    await writeFile(`${key}.pub`, `${pair.publicKey}\n`);
    await chmod(key, 0o600);
    say(`made an SSH key: ${key}`);
  }

  const output = path.join(dir, 'output');
  const template = path.join(repo, 'examples', 'quickstart');
  run(path.join(repo, 'bin', 'kiln'), ['build', '-force', '-var', `base=${base.qcow2}`, '-var', `ssh_key=${key}`, '-var', `output_directory=${output}`, template]);
  console.log(`Image: ${path.join(output, 'quickstart.qcow2')}`);
}

await main();

/**
 * A Debian 12 image with Python 3 (and python3-apt, for Ansible's `apt` module), made
 * here from Debian's package mirror with `debootstrap --variant=minbase` — no
 * registry is reachable from these machines. Made once per machine: the root
 * filesystem is kept as a tarball under `~/.cache/kiln` (`XDG_CACHE_HOME`), and each
 * engine imports it once as `DEBIAN_PYTHON_IMAGE`.
 *
 * Cost, measured on the shared 2-core host (load 10–12): debootstrap 2 min 8 s (about
 * 45 MB downloaded), `docker import` of the 120 MB tarball ~10 s. A missing
 * debootstrap throws with the package to install; it never skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerEngine } from './docker.js';

export const DEBIAN_PYTHON_IMAGE = 'kiln-test/debian-python:bookworm';

const SUITE = 'bookworm';
const PACKAGES = ['python3-minimal', 'python3-apt'];
/** Bump when the recipe changes so old caches are not used. */
const RECIPE = 1;

/** The cached root filesystem tarball. */
export function debianTarball(): string {
  const cache = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cache, 'kiln', `debian-${SUITE}-python-r${RECIPE}.tar`);
}

function run(file: string, args: readonly string[], what: string): void {
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 });
  if (r.error || r.status !== 0) throw new Error(`kiln tests: ${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stderr || r.stdout || '').slice(-3000)}`);
}

/** Makes the tarball with debootstrap unless it is cached; returns its path. */
export function ensureDebianTarball(): string {
  const tarball = debianTarball();
  if (existsSync(tarball)) return tarball;
  if (!existsSync('/usr/sbin/debootstrap')) {
    throw new Error('kiln tests: the Debian test image needs debootstrap (Debian package "debootstrap", in .ci/debian-packages.sh)');
  }
  if (process.getuid?.() !== 0) throw new Error('kiln tests: debootstrap needs root');
  mkdirSync(path.dirname(tarball), { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-debootstrap-'));
  const root = path.join(work, 'root');
  try {
    const mirror = process.env['KILN_DEBIAN_MIRROR'] || 'http://deb.debian.org/debian';
    run('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, root, mirror], 'debootstrap');
    // Docs, manuals, translations and the package cache are not needed to run Ansible.
    for (const p of ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'var/cache/apt/archives', 'var/lib/apt/lists']) {
      rmSync(path.join(root, p), { recursive: true, force: true });
    }
    mkdirSync(path.join(root, 'var/cache/apt/archives/partial'), { recursive: true });
    mkdirSync(path.join(root, 'var/lib/apt/lists/partial'), { recursive: true });
    const partial = `${tarball}.${process.pid}.partial`;
    run('tar', ['--numeric-owner', '-C', root, '-cf', partial, '.'], 'tar of the Debian root');
    // Atomic: a concurrent maker or reader never sees half a tarball.
    renameSync(partial, tarball);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tarball;
}

/** Makes sure `engine` has `DEBIAN_PYTHON_IMAGE`; returns its reference. */
export function ensureDebianImage(engine: DockerEngine): string {
  const present = spawnSync('docker', ['image', 'inspect', DEBIAN_PYTHON_IMAGE], { env: engine.env, stdio: 'ignore' });
  if (present.status === 0) return DEBIAN_PYTHON_IMAGE;
  const tarball = ensureDebianTarball();
  engine.docker(['import', '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '--change', 'CMD ["/bin/bash"]', tarball, DEBIAN_PYTHON_IMAGE]);
  return DEBIAN_PYTHON_IMAGE;
}

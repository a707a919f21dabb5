/**
 * The step cache with the docker builder against Debian's packer 1.6.6, on one
 * 5-provisioner template (inline shell, a file upload, a script, a 20 MB write, echo)
 * from the local busybox image, committed. Each round runs, against the same engine:
 *
 * - `packer build` (it rebuilds everything every time);
 * - `kiln build` without cache flags;
 * - `kiln build -cache` into an empty cache folder (cold: every step recorded);
 * - `kiln build -cache` with nothing changed (no-op rebuild);
 * - `kiln build -cache` with only the last provisioner changed (a new value each round).
 *
 * Medians of ≥ 5 interleaved rounds (BENCH_RUNS) with min–max, the ratios to Packer's
 * round time (targets: no-op ≤ 0.15, last changed ≤ 0.30), and what recording costs
 * per step: (cold − uncached) / 5 (target ≤ 0.25 s).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBusyboxImage, startDockerEngine } from '../test/support/docker.js';
import { describeTimes, loadLine, median, ratio, sampleOnce, type Command } from './timing.js';

const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
const KILN = process.env['KILN_BIN'] ?? path.join(import.meta.dirname, '..', 'bin', 'kiln');
const STEPS = 5;

/** HCL2 that packer 1.6.6 and kiln both take. */
function template(image: string, last: string): string {
  return `source "docker" "bench" {
  image   = "${image}"
  pull    = false
  commit  = true
  changes = ["ENV GREETING=hello"]
}

build {
  sources = ["source.docker.bench"]

  provisioner "shell" {
    inline = ["echo one > /one.txt", "mkdir -p /opt/app"]
  }

  provisioner "file" {
    source      = "app.conf"
    destination = "/opt/app/app.conf"
  }

  provisioner "shell" {
    script = "setup.sh"
  }

  provisioner "shell" {
    inline = ["busybox dd if=/dev/zero of=/big bs=1048576 count=20 2>/dev/null"]
  }

  provisioner "shell" {
    inline = ["echo '${last}' > /five.txt"]
  }
}
`;
}

function project(dir: string, image: string, last: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), template(image, last));
  writeFileSync(path.join(dir, 'app.conf'), 'x'.repeat(5 * 1024));
  writeFileSync(path.join(dir, 'setup.sh'), '#!/bin/sh\nmkdir -p /opt/files\nfor i in 1 2 3 4 5 6 7 8 9 10; do echo $i > /opt/files/f$i; done\ncp -r /bin /opt/bin-copy\n');
  return dir;
}

export async function benchCacheDocker(): Promise<void> {
  const packer = spawnSync('packer', ['version'], { encoding: 'utf8' });
  if (packer.status !== 0) throw new Error('bench cache-docker: packer is not installed (apt-get install -y packer)');
  const engine = await startDockerEngine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-cache-docker-'));
  try {
    const image = await ensureBusyboxImage(engine);
    process.env['DOCKER_HOST'] = engine.host;
    process.env['PACKER_NO_COLOR'] = '1';
    process.env['CHECKPOINT_DISABLE'] = '1';
    const env = { XDG_CONFIG_HOME: path.join(dir, 'config') };
    const cacheDir = path.join(dir, 'cache');
    const packerDir = project(path.join(dir, 'packer'), image, 'five');
    const kilnDir = project(path.join(dir, 'kiln'), image, 'five');
    const lastDir = project(path.join(dir, 'last'), image, 'five');
    const labels = ['packer build', 'kiln build', 'kiln -cache cold', 'kiln -cache no-op', 'kiln -cache last changed'] as const;
    const times = new Map<string, number[]>(labels.map((l) => [l, []]));
    // CPU (user + system of the command and the children it waited for: kiln's docker clients, packer's plugins).
    const cpu = new Map<string, number[]>(labels.map((l) => [l, []]));
    const timeOnce = (label: string, c: Command, record: boolean): void => {
      const t = sampleOnce(c);
      if (!record) return;
      times.get(label)?.push(t.wall);
      cpu.get(label)?.push(t.cpu);
    };
    const cmd = (label: string, cwd: string, ...flags: string[]): Command => ({ label, argv: flags[0] === 'packer' ? ['packer', 'build', '.'] : [KILN, 'build', ...flags, '.'], cwd, env });
    let round = 0;
    const one = (record: boolean): void => {
      round++;
      const coldDir = path.join(dir, `cold-${round}`);
      const sample: [string, Command][] = [
        ['packer build', cmd('packer build', packerDir, 'packer')],
        ['kiln build', cmd('kiln build', kilnDir)],
        ['kiln -cache cold', cmd('kiln -cache cold', kilnDir, '-cache', `-cache-dir=${coldDir}`)],
        ['kiln -cache no-op', cmd('kiln -cache no-op', kilnDir, '-cache', `-cache-dir=${cacheDir}`)],
      ];
      for (const [label, c] of sample) timeOnce(label, c, record);
      rmSync(coldDir, { recursive: true, force: true });
      // A value never built before, so only the last step misses.
      writeFileSync(path.join(lastDir, 'build.pkr.hcl'), template(image, `five, round ${round}`));
      timeOnce('kiln -cache last changed', cmd('kiln -cache last changed', lastDir, '-cache', `-cache-dir=${cacheDir}`), record);
    };
    console.log(`${packer.stdout.trim()} vs kiln; engine ${engine.docker(['version', '--format', '{{.Server.Version}}']).trim()}; ${runs} rounds; ${loadLine()}`);
    // The warm-up round also fills the cache the no-op and last-changed runs read.
    timeOnce('prime', cmd('prime', lastDir, '-cache', `-cache-dir=${cacheDir}`), false);
    one(false);
    for (let i = 0; i < runs; i++) one(true);
    for (const l of labels) console.log(`${describeTimes(l.padEnd(24), times.get(l) ?? [])}; CPU median ${median(cpu.get(l) ?? []).toFixed(0)} ms`);
    const p = times.get('packer build') ?? [];
    const show = (label: string, target: number): void => {
      const r = ratio(times.get(label) ?? [], p);
      console.log(`${label} / packer: median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); target ≤ ${target}`);
    };
    show('kiln -cache no-op', 0.15);
    show('kiln -cache last changed', 0.3);
    const cold = times.get('kiln -cache cold') ?? [];
    const plain = times.get('kiln build') ?? [];
    const perStep = cold.map((c, i) => (c - (plain[i] as number)) / STEPS / 1000);
    console.log(`recording, per step: median ${median(perStep).toFixed(3)} s (min ${Math.min(...perStep).toFixed(3)}, max ${Math.max(...perStep).toFixed(3)}); cold ${median(cold).toFixed(0)} ms vs uncached ${median(plain).toFixed(0)} ms; target ≤ 0.25 s`);
    console.log(loadLine());
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await engine.stop();
  }
}

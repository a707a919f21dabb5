/**
 * Plugins over the RPC protocol: one build of 20 `null` sources, each running two
 * `shell-local` provisioners served by Packer 1.6.6's plugin (kiln told to prefer the
 * plugin over its own shell-local), kiln vs `packer build` 1.6.6 on the same template
 * (Packer starts 60 plugin processes, kiln 40 plus one per distinct prepare-time
 * config). Target: median ratio ≤ 0.8. Also reports the per-plugin start cost, spawn
 * to the first answered RPC (ConfigSpec).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PluginProcess } from '../src/external/rpc/process.js';
import { nullBuildTemplate } from './build-null.js';
import { compareBuilds } from './kiln-vs-packer.js';
import { describeTimes } from './timing.js';

const SOURCES = 20;

async function startCost(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = await PluginProcess.start({ command: 'packer', args: ['plugin', 'packer-provisioner-shell-local'], name: 'shell-local', env: process.env });
    await (await p.main()).call('Provisioner.ConfigSpec');
    times.push(performance.now() - t0);
    await p.stop();
  }
  return times;
}

export async function benchPlugins(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-bench-plugins-'));
  try {
    console.log(describeTimes('1.6.6 shell-local plugin: spawn to first RPC', await startCost(Number(process.env['BENCH_RUNS'] ?? 5) * 2)));
    const plugins = path.join(dir, 'plugins');
    mkdirSync(plugins);
    const wrapper = path.join(plugins, 'packer-provisioner-shell-local');
    writeFileSync(wrapper, '#!/bin/sh\nexec packer plugin packer-provisioner-shell-local\n');
    chmodSync(wrapper, 0o755);
    compareBuilds({
      dir,
      file: 'plugins.pkr.hcl',
      template: () => nullBuildTemplate(SOURCES, false),
      what: `${SOURCES} null sources × 2 shell-local served by the 1.6.6 plugin`,
      target: '≤ 0.8',
      kilnEnv: { PACKER_PLUGIN_PATH: plugins, KILN_PREFER_PLUGINS: 'shell-local' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

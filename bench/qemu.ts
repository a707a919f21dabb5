/**
 * The qemu builder against Packer: one derive template (an overlay on kiln's base
 * image, TCG, a shell provisioner, `poweroff`), built by kiln and by Debian's packer
 * 1.6.6 (built-in qemu builder), interleaved, each with `-force` into its own output
 * directory. Packer 1.6.6 on qemu 7.2 needs `qemu_img_args.create = ["-F", "qcow2"]`
 * and `boot_wait = "-1s"`. Target: median ratio kiln/packer ≤ 0.8.
 *
 * After the timed rounds, BENCH_TRACE_ROUNDS (default 1) traced pairs, with the guest's
 * serial console captured (bench/qemu-timeline.ts), print where each tool's seconds go:
 * phase by phase side by side, then each timeline (the guest SSH server's per-connection
 * log lines counted rather than listed; BENCH_TIMELINE=full lists them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBaseImage } from '../test/support/qemu-base.js';
import { compareBuilds } from './kiln-vs-packer.js';
import type { TimelineEvent } from './qemu-timeline.js';
import { formatPhases, formatTimeline, traceRun } from './qemu-timeline.js';
import { loadLine } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The derive template's one shell provisioner. */
const DERIVE_PROVISIONER = `  provisioner "shell" {
    inline = ["echo \\"provisioned by $PACKER_BUILDER_TYPE/$PACKER_BUILD_NAME\\" > /root/provisioned.txt", "cat /root/provisioned.txt"]
  }
`;

/** The derive template in HCL2, which both tools run (kiln builds no legacy JSON yet); `provisioners` replace its shell step. */
export function deriveTemplate(base: string, key: string, out: string, serialSocket?: string, provisioners = DERIVE_PROVISIONER): string {
  const serial = serialSocket ? `, ["-serial", "unix:${serialSocket}"]` : '';
  return `source "qemu" "base" {
  disk_image       = true
  iso_url          = "${base}"
  iso_checksum     = "none"
  use_backing_file = true
  qemu_img_args {
    create = ["-F", "qcow2"]
  }
  skip_resize_disk     = true
  disk_size            = "256M"
  format               = "qcow2"
  accelerator          = "tcg"
  headless             = true
  memory               = 512
  disk_interface       = "virtio"
  net_device           = "virtio-net"
  boot_wait            = "-1s"
  ssh_username         = "root"
  ssh_private_key_file = "${key}"
  ssh_timeout          = "3m"
  shutdown_command     = "poweroff"
  qemuargs             = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${key}.pub"]${serial}]
  output_directory     = "${out}"
  vm_name              = "derived.qcow2"
}

build {
  sources = ["source.qemu.base"]
${provisioners}}
`;
}

/** The events without the guest SSH server's per-connection lines, which are counted in one line instead. */
function quiet(events: readonly TimelineEvent[]): TimelineEvent[] {
  const noisy = (e: TimelineEvent) => e.source === 'guest' && /Child connection from|Exit before auth/.test(e.text);
  const connections = events.filter((e) => e.source === 'guest' && e.text.includes('Child connection from')).length;
  const last = events[events.length - 1];
  return [...events.filter((e) => !noisy(e)), ...(last ? [{ at: last.at, source: 'guest' as const, text: `(${connections} connections to the guest's SSH server in all)` }] : [])];
}

export async function benchQemu(): Promise<void> {
  const base = await ensureBaseImage();
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-bench-qemu-'));
  try {
    const key = path.join(dir, 'id_ed25519');
    if (spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status !== 0) throw new Error('ssh-keygen failed');
    compareBuilds({
      dir,
      file: 'derive.pkr.hcl',
      template: (toolDir) => deriveTemplate(base.qcow2, key, path.join(toolDir, 'output')),
      flags: ['-force'],
      what: 'qemu derive (overlay, TCG, shell, poweroff)',
      target: '≤ 0.8',
    });
    console.log(loadLine());
    const traces = Number(process.env['BENCH_TRACE_ROUNDS'] ?? 1);
    for (let round = 1; round <= traces; round++) {
      const runs: { label: string; events: TimelineEvent[] }[] = [];
      for (const [label, bin] of [
        ['kiln', path.join(root, 'bin', 'kiln')],
        ['packer', 'packer'],
      ] as const) {
        const toolDir = path.join(dir, `trace-${label}`);
        rmSync(toolDir, { recursive: true, force: true });
        mkdirSync(toolDir);
        const socket = path.join(toolDir, 'serial.sock');
        writeFileSync(path.join(toolDir, 'derive.pkr.hcl'), deriveTemplate(base.qcow2, key, path.join(toolDir, 'output'), socket));
        const events = await traceRun([bin, 'build', '-force', '-color=false', 'derive.pkr.hcl'], toolDir, { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1' }, socket);
        runs.push({ label, events });
      }
      const [k, p] = runs as [(typeof runs)[0], (typeof runs)[0]];
      console.log(`traced pair ${round} (guest serial console captured; ${loadLine()}):`);
      console.log(formatPhases(k, p));
      for (const r of runs) console.log(formatTimeline(r.label, process.env['BENCH_TIMELINE'] === 'full' ? r.events : quiet(r.events)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

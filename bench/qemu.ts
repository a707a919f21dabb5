/**
 * The qemu builder against Packer: one derive template (an overlay on kiln's base
 * image, TCG, a shell provisioner, `poweroff`), built by kiln and by Debian's packer
 * 1.6.6 (built-in qemu builder), interleaved, each with `-force` into its own output
 * directory. Packer 1.6.6 on qemu 7.2 needs `qemu_img_args.create = ["-F", "qcow2"]`
 * and `boot_wait = "-1s"`. Target: median ratio kiln/packer ≤ 0.8.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBaseImage } from '../test/support/qemu-base.js';
import { compareBuilds } from './kiln-vs-packer.js';

/** The derive template in HCL2, which both tools run (kiln builds no legacy JSON yet). */
export function deriveTemplate(base: string, key: string, out: string): string {
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
  qemuargs             = [["-fw_cfg", "name=opt/ssh_authorized_keys,file=${key}.pub"]]
  output_directory     = "${out}"
  vm_name              = "derived.qcow2"
}

build {
  sources = ["source.qemu.base"]
  provisioner "shell" {
    inline = ["echo \\"provisioned by $PACKER_BUILDER_TYPE/$PACKER_BUILD_NAME\\" > /root/provisioned.txt", "cat /root/provisioned.txt"]
  }
}
`;
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

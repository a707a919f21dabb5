/**
 * The qemu e2e tests' templates and checks: a derive template on kiln's base image, and
 * reading a built disk offline: its ext4 root (partition 2) is extracted with qemu-img
 * and dd, checked with `e2fsck -fn` (it must be clean) and read with debugfs. Needs
 * qemu-utils and e2fsprogs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The content of `guestPath` in `disk`'s root file system; scratch files go in `scratchDir`. */
export function readGuestFile(disk: string, guestPath: string, scratchDir: string): string {
  const raw = path.join(scratchDir, `read-${process.hrtime.bigint()}.raw`);
  const part = `${raw}.p2`;
  try {
    const conv = spawnSync('qemu-img', ['convert', '-O', 'raw', disk, raw], { encoding: 'utf8' });
    assert.equal(conv.status, 0, conv.stderr);
    const mbr = readFileSync(raw).subarray(0, 512);
    const start = mbr.readUInt32LE(446 + 16 + 8);
    const dd = spawnSync('dd', [`if=${raw}`, `of=${part}`, 'bs=512', `skip=${start}`, 'conv=sparse', 'status=none'], { encoding: 'utf8' });
    assert.equal(dd.status, 0, dd.stderr);
    const fsck = spawnSync('e2fsck', ['-fn', part], { encoding: 'utf8' });
    assert.equal(fsck.status, 0, `ext4 not clean after the build:\n${fsck.stdout}${fsck.stderr}`);
    const cat = spawnSync('debugfs', ['-R', `cat ${guestPath}`, part], { encoding: 'utf8' });
    return cat.stdout;
  } finally {
    rmSync(raw, { force: true });
    rmSync(part, { force: true });
  }
}

/** `qemu-img info` of `disk` as JSON. */
export function qemuImgInfo(disk: string): Record<string, unknown> {
  return JSON.parse(spawnSync('qemu-img', ['info', '--output=json', disk], { encoding: 'utf8' }).stdout) as Record<string, unknown>;
}

/**
 * Writes `<work>/<name>.pkr.hcl`: source `qemu.<name>` deriving from the disk `base`
 * (TCG, headless, root over SSH, `poweroff`, output in `<work>/out-<name>/<name>.qcow2`)
 * with `extra` lines in the source block and `provision` in the build block.
 */
export function writeDeriveTemplate(work: string, base: string, name: string, extra: string, provision: string): string {
  const file = path.join(work, `${name}.pkr.hcl`);
  writeFileSync(
    file,
    `source "qemu" "${name}" {
  disk_image       = true
  iso_url          = "${base}"
  iso_checksum     = "none"
  disk_size        = "256M"
  skip_resize_disk = true
  accelerator      = "tcg"
  headless         = true
  boot_wait        = "-1s"
  ssh_username     = "root"
  ssh_timeout      = "5m"
  shutdown_command = "poweroff"
  output_directory = "${path.join(work, `out-${name}`)}"
  vm_name          = "${name}.qcow2"
${extra}
}
build {
  sources = ["source.qemu.${name}"]
${provision}
}
`,
  );
  return file;
}

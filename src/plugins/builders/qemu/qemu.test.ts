/**
 * The qemu builder's config checks and command line (no VM: the end-to-end builds are
 * in test/e2e/qemu.test.ts), and the CD/floppy steps with the real xorriso and mtools.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { stepCreateCd, stepCreateFloppy } from '../../../sdk/steps/media.js';
import type { Ui } from '../../../sdk/ui.js';
import { packerConfig } from '../../provisioners/test-helpers.js';
import type { QemuConfig } from './config.js';
import { prepareQemu, resolve } from './config.js';
import type { ArgsInput } from './qemu-args.js';
import { qemuArgs } from './qemu-args.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-qemu-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base: QemuConfig = { iso_url: '/base.qcow2', iso_checksum: 'none', disk_image: true, ssh_username: 'root', ssh_password: 'x', accelerator: 'tcg', output_directory: path.join(dir, 'never') };
const errors = (c: QemuConfig, force = false) => prepareQemu(c, packerConfig({ force })).diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);

function input(c: QemuConfig, over: Partial<ArgsInput> = {}): ArgsInput {
  return {
    config: c,
    r: resolve(c, packerConfig()),
    diskPaths: ['/out/disk.qcow2'],
    isoPath: '/base.qcow2',
    cdPath: undefined,
    floppyPath: undefined,
    commHostPort: 3000,
    commGuestPort: 22,
    vncPort: 5901,
    vncPassword: false,
    httpIp: '10.0.2.2',
    httpPort: 8100,
    efivarsPath: undefined,
    sshPublicKey: undefined,
    ...over,
  };
}

describe('qemu config', () => {
  it("applies Packer's defaults", () => {
    const r = resolve({ iso_url: 'x', disk_size: '1024' }, packerConfig({ buildName: 'b' }));
    assert.equal(r.diskSize, '1024M');
    assert.equal(r.outputDir, 'output-b');
    assert.equal(r.vmName, 'packer-b');
    assert.equal(r.memory, 512);
    assert.equal(r.bootWaitMs, 10_000);
    assert.equal(resolve({ boot_wait: -1000 }, packerConfig()).bootWaitMs, 0);
    assert.equal(resolve({}, packerConfig()).diskSize, '40960M');
  });

  it("reports Packer's errors", () => {
    assert.deepEqual(errors(base), []);
    assert.ok(errors({ ...base, format: 'vmdk' }).includes("invalid format, only 'qcow2' or 'raw' are allowed"));
    assert.ok(errors({ ...base, disk_image: false, use_backing_file: true }).includes('use_backing_file can only be enabled for QCOW2 images and when disk_image is true'));
    assert.ok(errors({ ...base, disk_size: '12x' }).includes('Invalid disk size.'));
    assert.ok(errors({ ...base, accelerator: 'magic' }).some((e) => e.startsWith('invalid accelerator')));
    assert.ok(errors({ ...base, vnc_port_min: 5000 }).includes('vnc_port_min cannot be below 5900'));
    assert.ok(errors({ ...base, iso_checksum: 'sha256:abc' }).some((e) => e.includes('is not a sha256 digest')));
    assert.ok(errors({ ...base, boot_command: ['<waitZ>'] }).some((e) => e.startsWith('boot_command[0]')));
    assert.ok(errors({ ...base, iso_url: undefined }).includes('One of iso_url or iso_urls must be specified'));
  });

  it('probes KVM once, in prepare, and hands the result to the run', () => {
    let probes = 0;
    const probe = () => {
      probes++;
      return { ok: false as const, why: 'no /dev/kvm in this test' };
    };
    const p = prepareQemu({ ...base, accelerator: undefined }, packerConfig(), probe);
    assert.equal(probes, 1);
    assert.ok(p.value);
    // runQemuBuild takes this prepared value (config + resolved) and resolves nothing again.
    assert.equal(p.value.r.accelerator, 'tcg');
    assert.match(p.value.r.acceleratorNote ?? '', /no \/dev\/kvm in this test/);
  });

  it('refuses an existing output directory unless forced', () => {
    const c = { ...base, output_directory: dir };
    assert.ok(errors(c).includes(`Output directory '${dir}' already exists. It must not exist.`));
    assert.deepEqual(errors(c, true), []);
  });
});

describe('qemu command line', () => {
  it("builds Packer's default arguments", () => {
    const r = qemuArgs(input(base));
    assert.equal(r.kind, 'ok');
    assert.deepEqual(r.kind === 'ok' ? r.argv : [], [
      '-boot', 'c',
      '-name', 'packer-test',
      '-machine', 'type=pc,accel=tcg',
      '-netdev', 'user,id=user.0,hostfwd=tcp:127.0.0.1:3000-:22',
      '-vnc', '127.0.0.1:1',
      '-m', '512M',
      '-smp', 'cpus=1',
      '-display', 'gtk',
      '-device', 'virtio-net,netdev=user.0',
      '-drive', 'file=/out/disk.qcow2,if=virtio,cache=writeback,discard=ignore,format=qcow2',
    ]);
  });

  it('lets qemuargs replace a switch, keeps the network device, and renders templates', () => {
    const c: QemuConfig = { ...base, headless: true, cpus: 2, qemuargs: [['-m', '1G'], ['-device', 'virtio-rng-pci'], ['-fw_cfg', 'name=opt/port,string={{ .SSHHostPort }}'], ['-snapshot']] };
    const r = qemuArgs(input(c));
    const argv = r.kind === 'ok' ? r.argv : [];
    assert.deepEqual(argv.slice(argv.indexOf('-m'), argv.indexOf('-m') + 2), ['-m', '1G']);
    assert.ok(argv.includes('virtio-rng-pci') && argv.includes('virtio-net,netdev=user.0'));
    assert.ok(argv.includes('name=opt/port,string=3000'));
    assert.ok(argv.includes('-snapshot'));
    assert.ok(argv.includes('cpus=2'));
    assert.deepEqual(argv.slice(argv.indexOf('-display'), argv.indexOf('-display') + 2), ['-display', 'none']);
  });

  it('attaches the ISO and CD as CD-ROMs when booting an installer, and supports virtio-scsi', () => {
    const c: QemuConfig = { ...base, disk_image: false, disk_interface: 'virtio-scsi', headless: true };
    const r = qemuArgs(input(c, { cdPath: '/tmp/cd.iso', floppyPath: '/tmp/f.img', vncPassword: true }));
    const argv = r.kind === 'ok' ? r.argv : [];
    assert.ok(argv.includes('once=d'));
    assert.ok(argv.includes('file=/base.qcow2,media=cdrom') && argv.includes('file=/tmp/cd.iso,media=cdrom'));
    assert.ok(argv.includes('virtio-scsi-pci,id=scsi0') && argv.includes('scsi-hd,bus=scsi0.0,drive=drive0'));
    assert.ok(argv.includes('/tmp/f.img'));
    assert.ok(argv.includes('127.0.0.1:1,password=on'));
  });
});

describe('CD and floppy steps (xorriso, mtools)', () => {
  const ui: Ui = { say: () => undefined, message: () => undefined, error: () => undefined, ask: async () => '' };
  it('makes an ISO with the label, files and content', async () => {
    const f = path.join(dir, 'user-data');
    writeFileSync(f, '#cloud-config\n');
    let iso = '';
    const step = stepCreateCd<{ ui: Ui }>({ cd_files: [f], cd_content: { 'meta-data': 'instance-id: x\n' }, cd_label: 'cidata' }, (_s, p) => (iso = p));
    const res = await step.run({ ui }, new AbortController().signal);
    assert.equal(res.kind, 'continue');
    const listing = spawnSync('xorriso', ['-indev', iso, '-pvd_info', '-ls', '/'], { encoding: 'utf8' });
    assert.match(listing.stdout + listing.stderr, /Volume Id\s*:\s*cidata/);
    assert.match(listing.stdout, /user-data/);
    assert.match(listing.stdout, /meta-data/);
    await step.cleanup?.({ ui }, { cancelled: false, halted: false });
  });

  it('makes a FAT floppy with the files', async () => {
    const f = path.join(dir, 'ks.cfg');
    writeFileSync(f, 'text\n');
    let img = '';
    const step = stepCreateFloppy<{ ui: Ui }>({ floppy_files: [f], floppy_content: { 'a.txt': 'A' } }, (_s, p) => (img = p));
    assert.equal((await step.run({ ui }, new AbortController().signal)).kind, 'continue');
    const dirList = spawnSync('mdir', ['-b', '-i', img, '::'], { encoding: 'utf8' });
    assert.match(dirList.stdout, /KS\.CFG|ks\.cfg/i);
    assert.match(dirList.stdout, /a\.txt/i);
    await step.cleanup?.({ ui }, { cancelled: false, halted: false });
  });
});

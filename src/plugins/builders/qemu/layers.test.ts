/**
 * The step cache's qcow2 layers with the real qemu-img and qemu-io (no VM: the builds
 * through bin/kiln are in test/e2e/cache-qemu.test.ts): a base import, relative
 * backing paths that survive moving the folder, and the output written from a chain
 * holding every layer's clusters (flattened, or as an overlay on the user's source),
 * a layer recorded again replacing the old one and what depends on it, the capture;
 * and the RAM-state fingerprint rules.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { captureFile, findCapture, keepCapture } from './capture.js';
import { backingName, createTop, imageInfo, importBase, installLayer, layerFile, sizeBytes, sweepDeadTemps, writeOutput } from './layers.js';
import { fingerprintMismatch, normaliseArgv } from './resume.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-qemu-layers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Writes 64 KiB of `byte` at `offset` of `image` (through its backing chain). */
const write = (image: string, byte: number, offset: string) => run('qemu-io', ['-f', 'qcow2', '-c', `write -P ${byte} ${offset} 64k`, image]);
/** True when `image` reads 64 KiB of `byte` at `offset`. */
const holds = (image: string, byte: number, offset: string) => !spawnSync('qemu-io', ['-f', 'qcow2', '-c', `read -P ${byte} ${offset} 64k`, image], { encoding: 'utf8' }).stdout.includes('Pattern verification failed');

/** A source disk with 0x11 at 0, a base layer from it, two keyed layers (0x22 at 1M, 0x33 at 2M) and a top (0x44 at 3M). */
async function chain(name: string): Promise<{ source: string; layers: string; top: string }> {
  const source = path.join(dir, `${name}-source.qcow2`);
  run('qemu-img', ['create', '-f', 'qcow2', source, '8M']);
  write(source, 0x11, '0');
  const layers = path.join(dir, `${name}-layers`);
  await importBase(layers, 'b'.repeat(64), source);
  await createTop(path.join(layers, layerFile('1'.repeat(64))), 'b'.repeat(64), undefined, false);
  write(path.join(layers, layerFile('1'.repeat(64))), 0x22, '1M');
  await createTop(path.join(layers, layerFile('2'.repeat(64))), '1'.repeat(64), 8 << 20, true);
  write(path.join(layers, layerFile('2'.repeat(64))), 0x33, '2M');
  const top = path.join(layers, 'tmp-top.qcow2');
  await createTop(top, '2'.repeat(64), undefined, false);
  write(top, 0x44, '3M');
  return { source, layers, top };
}

describe('qemu step-cache layers (qemu-img)', () => {
  it('imports the source once as a standalone base layer and chains layers by relative names', async () => {
    const { source, layers, top } = await chain('rel');
    const base = path.join(layers, layerFile('b'.repeat(64)));
    assert.equal((await imageInfo(base)).backing, undefined);
    assert.equal((await importBase(layers, 'b'.repeat(64), '/nonexistent')).endsWith(layerFile('b'.repeat(64))), true, 'an existing base layer is reused');
    assert.equal((await imageInfo(top)).backing, layerFile('2'.repeat(64)));
    const moved = `${layers}-moved`;
    renameSync(layers, moved);
    const movedTop = path.join(moved, 'tmp-top.qcow2');
    for (const [byte, at] of [[0x11, '0'], [0x22, '1M'], [0x33, '2M'], [0x44, '3M']] as const) assert.ok(holds(movedTop, byte, at), `0x${byte.toString(16)} at ${at} after the folder moved`);
    assert.ok(existsSync(source));
  });

  it('flattens the whole chain into the output', async () => {
    const { layers, top } = await chain('flat');
    const out = path.join(dir, 'flat-out.qcow2');
    await writeOutput(top, out, { compress: false });
    assert.equal((await imageInfo(out)).backing, undefined);
    for (const [byte, at] of [[0x11, '0'], [0x22, '1M'], [0x33, '2M'], [0x44, '3M']] as const) assert.ok(holds(out, byte, at), `0x${byte.toString(16)} at ${at}`);
    rmSync(layers, { recursive: true });
    assert.ok(holds(out, 0x22, '1M'), 'the output does not need the layer folder');
  });

  it('with use_backing_file writes an overlay on the source holding the intermediate layers too', async () => {
    const { source, layers, top } = await chain('backing');
    const outDir = path.join(dir, 'backing-out');
    mkdirSync(outDir);
    const out = path.join(outDir, 'disk.qcow2');
    await writeOutput(top, out, { compress: false, backing: source });
    assert.equal((await imageInfo(out)).backing, source);
    assert.equal((await imageInfo(top)).backing, layerFile('2'.repeat(64)), 'the top (it may be a capture) is only read');
    rmSync(layers, { recursive: true });
    for (const [byte, at] of [[0x11, '0'], [0x22, '1M'], [0x33, '2M'], [0x44, '3M']] as const) assert.ok(holds(out, byte, at), `0x${byte.toString(16)} at ${at}`);
  });

  it("sweeps dead processes' temp layers and RAM states, not a live one's", async () => {
    const d = path.join(dir, 'sweep');
    mkdirSync(d);
    const dead = spawnSync('true').pid ?? 0;
    const names = [`tmp-${dead}-abc.qcow2`, `${'k'.repeat(64)}.vmstate.zst.${dead}.tmp`, `${'k'.repeat(64)}.vmstate.key.${dead}.tmp`, `tmp-${process.pid}-abc.qcow2`, `${'k'.repeat(64)}.qcow2`];
    for (const n of names) writeFileSync(path.join(d, n), '');
    await sweepDeadTemps(d);
    assert.deepEqual(readdirSync(d).sort(), [`tmp-${process.pid}-abc.qcow2`, `${'k'.repeat(64)}.qcow2`].sort());
  });

  it('a layer recorded again under its key replaces the old one, with every layer backed by it and the companions of both', async () => {
    const { layers } = await chain('replace');
    const [b, one, two] = ['b', '1', '2'].map((c) => c.repeat(64)) as [string, string, string];
    await createTop(captureFile(layers, two), two, undefined, false);
    for (const key of [one, two]) writeFileSync(path.join(layers, `${key}.vmstate.zst`), 'ram');
    const frozen = path.join(layers, `tmp-${process.pid}-new.qcow2`);
    await createTop(frozen, b, undefined, false);
    write(frozen, 0x55, '1M');
    await installLayer(layers, one, frozen);
    assert.deepEqual(readdirSync(layers).sort(), [layerFile(b), layerFile(one), 'tmp-top.qcow2'].sort());
    assert.equal(await backingName(path.join(layers, layerFile(one))), layerFile(b));
    assert.ok(holds(path.join(layers, layerFile(one)), 0x55, '1M'));
  });

  it('keeps a capture by a link (the first one wins) and finds it only when it is a readable layer on the last step', async () => {
    const { layers, top } = await chain('capture');
    const two = '2'.repeat(64);
    const signal = new AbortController().signal;
    assert.equal(await findCapture(layers, two, signal), undefined);
    assert.deepEqual(await keepCapture(layers, two, top), { file: captureFile(layers, two) });
    const other = path.join(layers, 'tmp-other.qcow2');
    await createTop(other, two, undefined, false);
    assert.deepEqual(await keepCapture(layers, two, other), { file: other }, 'a second build writes its output from its own disk');
    assert.deepEqual(await findCapture(layers, two, signal), { file: captureFile(layers, two) });
    assert.ok(holds(captureFile(layers, two), 0x44, '3M'));
    writeFileSync(captureFile(layers, '1'.repeat(64)), 'QFI');
    const bad = await findCapture(layers, '1'.repeat(64), signal);
    assert.ok(bad !== undefined && 'why' in bad, JSON.stringify(bad));
  });

  it('reads qemu-img sizes', () => {
    assert.equal(sizeBytes('256M'), 256 << 20);
    assert.equal(sizeBytes('1g'), 1 << 30);
    assert.equal(sizeBytes('4096'), 4096);
    assert.equal(sizeBytes('big'), undefined);
  });
});

describe('qemu RAM-state fingerprint', () => {
  const argv = ['-name', 'a', '-netdev', 'user,id=user.0,hostfwd=tcp:127.0.0.1:3001-:22', '-m', '512M', '-drive', 'file=/c/tmp-1.qcow2,if=virtio,format=qcow2', '-fw_cfg', 'name=opt/ssh_authorized_keys,string=ssh-ed25519 AAA', '-chardev', 'socket,id=kilnqmp,path=/t/1.sock', '-display', 'none'];

  it('ignores what differs between runs of one machine', () => {
    const other = ['-name', 'b', '-netdev', 'user,id=user.0,hostfwd=tcp:127.0.0.1:4004-:22', '-m', '512M', '-drive', 'file=/c/tmp-2.qcow2,if=virtio,format=qcow2', '-fw_cfg', 'name=opt/ssh_authorized_keys,string=ssh-ed25519 BBB', '-chardev', 'socket,id=kilnqmp,path=/t/2.sock', '-display', 'none'];
    assert.deepEqual(normaliseArgv(argv), normaliseArgv(other));
    assert.deepEqual(normaliseArgv([...argv, '-incoming', 'exec:zstd -dcq /c/k.vmstate.zst']), normaliseArgv(argv), 'a VM restored from a RAM state has the same fingerprint');
    assert.equal(fingerprintMismatch({ qemu: 'v', argv: normaliseArgv(argv) }, { qemu: 'v', argv: normaliseArgv(other) }), undefined);
  });

  it('tells a different machine or QEMU apart', () => {
    const bigger = argv.map((a) => (a === '512M' ? '1024M' : a));
    assert.match(fingerprintMismatch({ qemu: 'v', argv: normaliseArgv(argv) }, { qemu: 'v', argv: normaliseArgv(bigger) }) ?? '', /machine differs.*512M.*1024M/);
    assert.match(fingerprintMismatch({ qemu: 'v7', argv: normaliseArgv(argv) }, { qemu: 'v8', argv: normaliseArgv(argv) }) ?? '', /QEMU changed/);
  });
});

/**
 * The `file` provisioner uploading 256 MiB over SSH to a local sshd: `kiln build`
 * against Debian's packer 1.6.6 (`null` builder, SSH key auth, the same HCL2 template),
 * with scp and with sftp, and OpenSSH's own `scp` as the loopback limit. Rounds are
 * interleaved after one warm-up round; each run starts with the destination removed
 * and must leave a file of the right size; the last copies are checked by sha256.
 * Target: median ratio kiln/packer ≤ 1.0. BENCH_RUNS sets the rounds (≥5).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestUser, startSshd } from '../test/support/sshd.js';
import type { TestServer, TestUser } from '../test/support/sshd.js';
import type { Command } from './timing.js';
import { describeTimes, median, ratio, timeOnce } from './timing.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 256 << 20;
const METHODS = ['scp', 'sftp'] as const;
type Method = (typeof METHODS)[number];

/** The template, in HCL2 that both packer 1.6.6 and kiln accept. */
export function sshFileTemplate(server: TestServer, user: TestUser, method: Method, source: string, destination: string): string {
  return [
    'source "null" "ssh" {',
    '  communicator             = "ssh"',
    `  ssh_host                 = "${server.host}"`,
    `  ssh_port                 = ${server.port}`,
    `  ssh_username             = "${user.name}"`,
    `  ssh_private_key_file     = "${user.privateKeyPath}"`,
    `  ssh_file_transfer_method = "${method}"`,
    '}',
    '',
    'build {',
    '  sources = ["source.null.ssh"]',
    '  provisioner "file" {',
    `    source      = "${source}"`,
    `    destination = "${destination}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** 256 MiB of random data, no two MiB alike; returns its sha256. */
function writePayload(file: string): string {
  const hash = createHash('sha256');
  const block = randomBytes(1 << 20);
  const fd = openSync(file, 'w');
  for (let i = 0; i < SIZE >> 20; i++) {
    block.writeUInt32BE(i, 0);
    writeSync(fd, block);
    hash.update(block);
  }
  closeSync(fd);
  return hash.digest('hex');
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Contender {
  readonly command: Command;
  /** Where this contender's copy lands. */
  readonly destination: string;
}

export async function benchSshFile(): Promise<void> {
  const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
  const user = ensureTestUser();
  const server = await startSshd();
  const work = mkdtempSync(path.join(tmpdir(), 'kiln-bench-ssh-file-'));
  const remote = mkdtempSync(path.join(tmpdir(), 'kiln-bench-ssh-file-remote-'));
  chownSync(remote, user.uid, user.gid);
  try {
    await server.ready;
    const payload = path.join(work, 'payload.bin');
    const want = writePayload(payload);
    const env = { PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1' };
    const contenders: Contender[] = [];
    for (const method of METHODS) {
      for (const tool of ['kiln', 'packer'] as const) {
        const dir = path.join(work, `${tool}-${method}`);
        mkdirSync(dir);
        const destination = `${remote}/${tool}-${method}.bin`;
        writeFileSync(path.join(dir, 'ssh-file.pkr.hcl'), sshFileTemplate(server, user, method, payload, destination));
        const argv = tool === 'kiln' ? [path.join(root, 'bin', 'kiln'), 'build', '-color=false', '.'] : ['packer', 'build', '-color=false', '.'];
        contenders.push({ command: { label: `${tool === 'kiln' ? 'kiln' : 'packer 1.6.6'} ${method}`, argv, cwd: dir, env }, destination });
      }
    }
    const opensshDst = `${remote}/openssh.bin`;
    contenders.push({
      command: {
        label: 'OpenSSH scp',
        argv: ['scp', '-q', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-i', user.privateKeyPath, '-P', String(server.port), payload, `${user.name}@${server.host}:${opensshDst}`],
      },
      destination: opensshDst,
    });

    const once = (c: Contender): number => {
      rmSync(c.destination, { force: true });
      const ms = timeOnce(c.command);
      const size = statSync(c.destination, { throwIfNoEntry: false })?.size;
      if (size !== SIZE) throw new Error(`${c.command.label}: exited 0 but left ${String(size)} of ${SIZE} bytes at ${c.destination}`);
      return ms;
    };
    const times = new Map<string, number[]>(contenders.map((c) => [c.command.label, []]));
    for (const c of contenders) once(c); // warm-up round
    for (let i = 0; i < runs; i++) for (const c of contenders) times.get(c.command.label)?.push(once(c));
    for (const c of contenders) {
      if ((await sha256(c.destination)) !== want) throw new Error(`${c.command.label}: the uploaded file differs (sha256)`);
    }

    const mbps = (ms: number) => SIZE / 1e6 / (ms / 1000);
    const limit = median(times.get('OpenSSH scp') ?? []);
    for (const [label, xs] of times) console.log(`${describeTimes(label, xs)}; ${mbps(median(xs)).toFixed(1)} MB/s`);
    for (const method of METHODS) {
      const kiln = times.get(`kiln ${method}`) ?? [];
      const packer = times.get(`packer 1.6.6 ${method}`) ?? [];
      const r = ratio(kiln, packer);
      console.log(
        `256 MiB file provisioner over ${method}: ratio kiln/packer median ${r.median.toFixed(3)} (min ${r.min.toFixed(3)}, max ${r.max.toFixed(3)}); target ≤ 1.0; ` +
          `kiln ${mbps(median(kiln)).toFixed(1)} MB/s, packer ${mbps(median(packer)).toFixed(1)} MB/s, OpenSSH scp ${mbps(limit).toFixed(1)} MB/s (whole builds, kiln and packer start-up included)`,
      );
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(remote, { recursive: true, force: true });
  }
}

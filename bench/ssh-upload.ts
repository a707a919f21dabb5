/**
 * SSH upload throughput: 256 MiB to a local sshd with kiln's communicator (SCP and SFTP)
 * against OpenSSH's own `scp` (the loopback limit). Each round connects, uploads and
 * disconnects; rounds are interleaved; medians in MB/s. BENCH_RUNS sets the rounds (≥5).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSshConfig } from '../src/sdk/ssh/config.js';
import { SshCommunicator } from '../src/plugins/communicators/ssh/ssh-communicator.js';
import { ensureTestUser, startSshd } from '../test/support/sshd.js';
import { median, timeOnce } from './timing.js';

const SIZE = 256 << 20;
const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));

export async function benchSshUpload(): Promise<void> {
  const user = ensureTestUser();
  const server = await startSshd();
  const local = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-ssh-'));
  const remote = mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-ssh-remote-'));
  chownSync(remote, user.uid, user.gid);
  try {
    await server.ready;
    const file = path.join(local, 'payload.bin');
    writeFileSync(file, randomBytes(SIZE));
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    const check = (name: string) => {
      const got = createHash('sha256').update(readFileSync(path.join(remote, name))).digest('hex');
      if (got !== want) throw new Error(`${name}: uploaded data differs`);
      rmSync(path.join(remote, name));
    };
    const kiln = (method: 'scp' | 'sftp') => async (): Promise<number> => {
      const { config } = resolveSshConfig({ ssh_host: server.host, ssh_port: server.port, ssh_username: user.name, ssh_private_key_file: user.privateKeyPath, ssh_file_transfer_method: method });
      const start = process.hrtime.bigint();
      const comm = await SshCommunicator.connect(config);
      await comm.upload(`${remote}/${method}.bin`, createReadStream(file), { size: SIZE });
      await comm.close();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      check(`${method}.bin`);
      return ms;
    };
    const openssh = async (): Promise<number> => {
      const ms = timeOnce({
        label: 'openssh scp',
        argv: ['scp', '-q', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-i', user.privateKeyPath, '-P', String(server.port), file, `${user.name}@${server.host}:${remote}/openssh.bin`],
      });
      check('openssh.bin');
      return ms;
    };
    const contenders: Array<[string, () => Promise<number>]> = [
      ['kiln scp', kiln('scp')],
      ['kiln sftp', kiln('sftp')],
      ['OpenSSH scp', openssh],
    ];
    const times = new Map<string, number[]>(contenders.map(([label]) => [label, []]));
    for (const [, run] of contenders) await run(); // warm-up round
    for (let i = 0; i < runs; i++) for (const [label, run] of contenders) times.get(label)?.push(await run());
    const mbps = (ms: number) => SIZE / 1e6 / (ms / 1000);
    const limit = median(times.get('OpenSSH scp') ?? []);
    for (const [label] of contenders) {
      const xs = times.get(label) ?? [];
      const m = median(xs);
      console.log(
        `${label.padEnd(12)} median ${mbps(m).toFixed(1)} MB/s (${m.toFixed(0)} ms; range ${mbps(Math.max(...xs)).toFixed(1)}–${mbps(Math.min(...xs)).toFixed(1)} MB/s, n=${xs.length}); ${(limit / m).toFixed(2)}× OpenSSH scp`,
      );
    }
  } finally {
    await server.stop();
    rmSync(local, { recursive: true, force: true });
    rmSync(remote, { recursive: true, force: true });
  }
}

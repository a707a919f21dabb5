/**
 * Removing a resource a dead run left, by what its ledger record says: a container by
 * the name kiln chose (`docker rm -f`), a process only when its command line (and the
 * environment entry kiln gave it, when recorded) still match — a reused pid is never
 * killed — then the socket it left, a file or folder by its path. Gone already counts
 * as removed. Failures are values: the record stays, with the reason.
 */
import { rm } from 'node:fs/promises';
import { dockerCli, runDocker } from '../docker/docker-cli.js';
import { sleep } from '../../support/sleep.js';
import { isRecordedProcess, pidRunning, processesWithEnv, runningPids } from './process-identity.js';
import type { LedgerEntry, Resource } from './record.js';

export type SweepOutcome = { readonly kind: 'removed' | 'gone' } | { readonly kind: 'failed'; readonly reason: string };

/** Removes what `entry` records, by its resource and the identity recorded for it. */
export async function removeResource(entry: Pick<LedgerEntry, 'resource' | 'id' | 'socket'>): Promise<SweepOutcome> {
  const r = entry.resource;
  switch (r.kind) {
    case 'container':
      return removeContainer(r, entry.id);
    case 'process':
      return r.tree === true && r.env !== undefined ? removeProcessTree(r.env) : removeProcess(r, entry.id, entry.socket);
    case 'image':
      return removeImage(r);
    case 'path':
      return removePath(r.path);
  }
}

/** `docker rmi` of the tag (the image goes with its last tag). */
async function removeImage(r: Extract<Resource, { kind: 'image' }>): Promise<SweepOutcome> {
  const cli = dockerCli({ ...(r.executable !== undefined ? { executable: r.executable } : {}), ...(r.host !== undefined ? { host: r.host } : {}) });
  try {
    const run = await runDocker(cli, ['rmi', r.ref]);
    if (run.exitCode === 0) return { kind: 'removed' };
    if (/no such image/i.test(run.stderr)) return { kind: 'gone' };
    return { kind: 'failed', reason: run.stderr.trim().split('\n').at(-1) ?? `docker exited with status ${run.exitCode}` };
  } catch (err) {
    return { kind: 'failed', reason: (err as Error).message };
  }
}

/** `docker rm -f` of the container by id, else by the name kiln chose. */
export async function removeContainer(r: Extract<Resource, { kind: 'container' }>, id?: string): Promise<SweepOutcome> {
  const cli = dockerCli({ ...(r.executable !== undefined ? { executable: r.executable } : {}), ...(r.host !== undefined ? { host: r.host } : {}) });
  try {
    const run = await runDocker(cli, ['rm', '-f', id ?? r.name]);
    if (run.exitCode === 0) return { kind: 'removed' };
    if (/no such container|removal of container .* is already in progress/i.test(run.stderr)) return id !== undefined ? removeContainer(r) : { kind: 'gone' };
    return { kind: 'failed', reason: run.stderr.trim().split('\n').at(-1) ?? `docker exited with status ${run.exitCode}` };
  } catch (err) {
    return { kind: 'failed', reason: (err as Error).message };
  }
}

async function removeProcess(r: Extract<Resource, { kind: 'process' }>, id?: string, socket?: string): Promise<SweepOutcome> {
  const known = r.pid ?? (id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined);
  const alive = (pid: number): boolean => pidRunning(pid) && isRecordedProcess(pid, r.match, r.env);
  const pid = known !== undefined ? (alive(known) ? known : undefined) : findRecorded(r);
  let outcome: SweepOutcome = { kind: 'gone' };
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') return { kind: 'failed', reason: (err as Error).message };
    }
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
    if (alive(pid)) return { kind: 'failed', reason: `process ${pid} is still running after SIGKILL` };
    outcome = { kind: 'removed' };
  }
  for (const s of new Set([r.socket, socket])) {
    if (s === undefined) continue;
    const sock = await removePath(s);
    if (sock.kind === 'failed') return sock;
  }
  return outcome;
}

/** SIGKILL to every process carrying the environment entry `env` (a recorded tree), until none is left. */
async function removeProcessTree(env: string): Promise<SweepOutcome> {
  let found = processesWithEnv(env);
  if (found.length === 0) return { kind: 'gone' };
  // A process may fork while its siblings are killed: look again until the tree is empty.
  for (let round = 0; round < 100 && found.length > 0; round++) {
    for (const pid of found) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') return { kind: 'failed', reason: (err as Error).message };
      }
    }
    await sleep(20);
    found = processesWithEnv(env);
  }
  if (found.length > 0) return { kind: 'failed', reason: `processes ${found.join(', ')} are still running after SIGKILL` };
  return { kind: 'removed' };
}

/** The running process a record without a pid names (command line and environment entry), scanning /proc. */
function findRecorded(r: Extract<Resource, { kind: 'process' }>): number | undefined {
  return runningPids().find((pid) => isRecordedProcess(pid, r.match, r.env));
}

async function removePath(p: string): Promise<SweepOutcome> {
  try {
    await rm(p, { recursive: true, maxRetries: 3 });
    return { kind: 'removed' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'gone' };
    return { kind: 'failed', reason: (err as Error).message };
  }
}

/**
 * Small file operations on the machine, each one command through the build's
 * communicator, for the proxy's SFTP and SCP servers: stat, mkdir, rm, mv, chmod,
 * and reading or writing a whole file. POSIX shell only (busybox images too).
 */
import { Writable } from 'node:stream';
import type { Communicator } from '../../../../sdk/communicator.js';
import { shellQuote } from '../../../../support/shell-quote.js';


export interface Captured {
  /** The exit status; -1 when the connection dropped first. */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function capture(comm: Communicator, command: string, signal?: AbortSignal): Promise<Captured> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const res = await comm.run({ command, onStdout: (c) => out.push(c), onStderr: (c) => err.push(c) }, signal);
  return {
    status: res.kind === 'exited' ? res.exitStatus : -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** What `stat` says of a path; `mode` holds the file type bits (`S_IFREG`...) and permissions. */
export interface RemoteStat {
  readonly mode: number;
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/**
 * Stats `p` on the machine; undefined when it does not exist. `follow` follows a final
 * symlink (STAT) or not (LSTAT). Without a `stat` program the type is all it learns.
 */
export async function remoteStat(comm: Communicator, p: string, follow: boolean, signal?: AbortSignal): Promise<RemoteStat | undefined> {
  const q = shellQuote(p);
  const command =
    `stat ${follow ? '-L ' : ''}-c '%f %s %Y' -- ${q} 2>/dev/null || ` +
    `if [ -d ${q} ]; then echo dir; elif [ ${follow ? '' : `-h ${q} ] || [ `}-e ${q} ]; then echo file; else echo missing; fi`;
  const res = await capture(comm, command, signal);
  return parseStat(res.stdout);
}

/** Parses what `remoteStat`'s command printed. */
export function parseStat(out: string): RemoteStat | undefined {
  const line = out.trim().split('\n').pop() ?? '';
  if (line === 'missing' || line === '') return undefined;
  if (line === 'dir') return { mode: S_IFDIR | 0o755, size: 0, mtime: 0 };
  if (line === 'file') return { mode: S_IFREG | 0o644, size: 0, mtime: 0 };
  const [mode, size, mtime] = line.split(' ');
  const m = Number.parseInt(mode ?? '', 16);
  if (!Number.isFinite(m)) return undefined;
  return { mode: m, size: Number(size) || 0, mtime: Number(mtime) || 0 };
}

export const isDir = (st: RemoteStat | undefined): boolean => st !== undefined && (st.mode & 0o170000) === S_IFDIR;
export const isLink = (st: RemoteStat): boolean => (st.mode & 0o170000) === S_IFLNK;

/** Runs `command`; undefined on success, else its error output (or a generic message). */
export async function runChecked(comm: Communicator, command: string, signal?: AbortSignal): Promise<string | undefined> {
  const res = await capture(comm, command, signal);
  if (res.status === 0) return undefined;
  return res.stderr.trim() || `${command.split(' ')[0] ?? 'command'} exited with ${res.status}`;
}

/** Reads the whole file `p` from the machine. */
export async function readRemote(comm: Communicator, p: string, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await comm.download(p, sink, signal);
  return Buffer.concat(chunks);
}

/** The SFTP/SCP status an error message stands for. */
export function errorKind(message: string): 'missing' | 'denied' | 'other' {
  if (/no such file|not found|does not exist/i.test(message)) return 'missing';
  if (/permission denied|not permitted|read-only/i.test(message)) return 'denied';
  return 'other';
}

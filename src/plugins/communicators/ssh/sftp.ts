/**
 * File transfers over the SFTP subsystem (`ssh_file_transfer_method = "sftp"`), with
 * the same semantics as the SCP path: modes set after upload, Packer's trailing-slash
 * rule for directories, missing destination directories created.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { SFTPWrapper, Stats } from 'ssh2';
import type { UploadInfo } from '../../../sdk/communicator.js';
import { drained } from './byte-reader.js';
import { isExcluded, sftpPath } from './transfer-paths.js';

/** Writes issued before waiting for the oldest one's reply. */
const WRITES_IN_FLIGHT = 32;

const call = <T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

function describe(op: string, remote: string, e: unknown): Error {
  return new Error(`sftp: ${op} ${remote}: ${(e as Error).message}`, { cause: e });
}

/** Uploads one file, keeping several writes in flight (loopback and WAN both gain). */
export async function sftpUpload(sftp: SFTPWrapper, dst: string, source: Readable | Buffer, info?: UploadInfo): Promise<void> {
  const remote = sftpPath(dst);
  let handle: Buffer;
  try {
    handle = await call<Buffer>((cb) => sftp.open(remote, 'w', { mode: info?.mode ?? 0o644 }, cb));
  } catch (e) {
    throw describe('cannot create', dst, e);
  }
  try {
    const inFlight: Array<Promise<void>> = [];
    let position = 0;
    const send = async (buf: Buffer) => {
      const at = position;
      position += buf.length;
      inFlight.push(call<void>((cb) => sftp.write(handle, buf, 0, buf.length, at, (err) => cb(err, undefined))));
      if (inFlight.length >= WRITES_IN_FLIGHT) await inFlight.shift();
    };
    if (Buffer.isBuffer(source)) {
      for (let i = 0; i < source.length; i += 1 << 18) await send(source.subarray(i, i + (1 << 18)));
    } else {
      for await (const chunk of source) await send(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    }
    await Promise.all(inFlight);
  } catch (e) {
    throw describe('write to', dst, e);
  } finally {
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
  if (info?.mode !== undefined) await call<void>((cb) => sftp.chmod(remote, info.mode ?? 0o644, (err) => cb(err, undefined)));
}

/** Reads issued ahead of the one being written out. */
const READS_IN_FLIGHT = 32;
const READ_CHUNK = 1 << 16;

/** Reads `len` bytes at `pos`, fewer only at end of file. */
async function readAt(sftp: SFTPWrapper, handle: Buffer, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = await call<number>((cb) => sftp.read(handle, buf, got, len - got, pos + got, (err, nb) => cb(err, nb)));
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Streams the remote file `src` into `sink` (not ended), with reads issued ahead. */
export async function sftpDownload(sftp: SFTPWrapper, src: string, sink: Writable): Promise<void> {
  let handle: Buffer;
  try {
    handle = await call<Buffer>((cb) => sftp.open(sftpPath(src), 'r', cb));
  } catch (e) {
    throw describe('cannot read', src, e);
  }
  const queue: Array<Promise<Buffer>> = [];
  try {
    let next = 0;
    const issue = () => {
      while (queue.length < READS_IN_FLIGHT) {
        queue.push(readAt(sftp, handle, next, READ_CHUNK));
        next += READ_CHUNK;
      }
    };
    for (;;) {
      issue();
      const buf = await (queue.shift() as Promise<Buffer>);
      if (buf.length > 0 && !sink.write(buf)) await drained(sink);
      if (buf.length < READ_CHUNK) break;
    }
  } catch (e) {
    throw describe('read from', src, e);
  } finally {
    await Promise.allSettled(queue);
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
}

async function remoteStat(sftp: SFTPWrapper, remote: string): Promise<Stats | undefined> {
  try {
    return await call<Stats>((cb) => sftp.stat(remote, cb));
  } catch {
    return undefined;
  }
}

/** `mkdir -p` over SFTP; `mode` applies to the directories it creates. */
async function mkdirs(sftp: SFTPWrapper, remote: string, mode: number): Promise<void> {
  const st = await remoteStat(sftp, remote);
  if (st?.isDirectory()) return;
  if (st) throw new Error(`sftp: ${remote} exists and is not a directory`);
  const parent = path.posix.dirname(remote);
  if (parent !== remote && parent !== '.' && parent !== '/') await mkdirs(sftp, parent, 0o755);
  try {
    await call<void>((cb) => sftp.mkdir(remote, { mode }, (err) => cb(err, undefined)));
  } catch (e) {
    if (!(await remoteStat(sftp, remote))?.isDirectory()) throw describe('cannot create directory', remote, e);
  }
}

async function uploadTree(sftp: SFTPWrapper, local: string, remote: string, rel: string, exclude: readonly string[]): Promise<void> {
  for (const name of (await readdir(local)).sort()) {
    const relPath = rel ? `${rel}/${name}` : name;
    if (isExcluded(relPath, exclude)) continue;
    const full = path.join(local, name);
    const target = path.posix.join(remote, name);
    const st = await stat(full);
    if (st.isDirectory()) {
      await mkdirs(sftp, target, st.mode & 0o7777);
      await call<void>((cb) => sftp.chmod(target, st.mode & 0o7777, (err) => cb(err, undefined)));
      await uploadTree(sftp, full, target, relPath, exclude);
    } else {
      await sftpUpload(sftp, target, createReadStream(full), { mode: st.mode & 0o7777, size: st.size });
    }
  }
}

/** Uploads the local directory `src` (Packer's trailing-slash rule) into `dst`. */
export async function sftpUploadDir(sftp: SFTPWrapper, dst: string, src: string, exclude: readonly string[]): Promise<void> {
  const st = await stat(src);
  if (!st.isDirectory()) throw new Error(`${src} is not a directory`);
  const root = sftpPath(dst);
  const target = src.endsWith('/') ? root : path.posix.join(root, path.basename(src));
  await mkdirs(sftp, root, 0o755);
  if (target !== root) {
    await mkdirs(sftp, target, st.mode & 0o7777);
    await call<void>((cb) => sftp.chmod(target, st.mode & 0o7777, (err) => cb(err, undefined)));
  }
  await uploadTree(sftp, src, target, '', exclude);
}

async function downloadTree(sftp: SFTPWrapper, remote: string, local: string, rel: string, exclude: readonly string[]): Promise<void> {
  const entries = await call<Array<{ filename: string; attrs: Stats }>>((cb) => sftp.readdir(remote, cb));
  entries.sort((a, b) => a.filename.localeCompare(b.filename));
  for (const { filename, attrs } of entries) {
    if (filename === '.' || filename === '..') continue;
    const relPath = rel ? `${rel}/${filename}` : filename;
    if (isExcluded(relPath, exclude)) continue;
    const from = path.posix.join(remote, filename);
    const to = path.join(local, filename);
    const st = attrs.isSymbolicLink() ? await call<Stats>((cb) => sftp.stat(from, cb)) : attrs;
    if (st.isDirectory()) {
      await mkdir(to, { recursive: true, mode: st.mode & 0o7777 });
      await downloadTree(sftp, from, to, relPath, exclude);
    } else {
      const out = createWriteStream(to, { mode: st.mode & 0o7777 });
      await sftpDownload(sftp, from, out);
      out.end();
      await finished(out);
    }
  }
}

/** Copies the remote directory `src` (Packer's trailing-slash rule) into the local `dst`. */
export async function sftpDownloadDir(sftp: SFTPWrapper, src: string, dst: string, exclude: readonly string[]): Promise<void> {
  const remote = sftpPath(src.length > 1 ? src.replace(/\/+$/, '') : src);
  const st = await remoteStat(sftp, remote);
  if (!st?.isDirectory()) throw new Error(`sftp: ${src} is not a directory on the remote machine`);
  const local = src.endsWith('/') ? dst : path.join(dst, path.posix.basename(remote));
  await mkdir(local, { recursive: true });
  await downloadTree(sftp, remote, local, '', exclude);
}

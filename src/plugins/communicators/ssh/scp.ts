/**
 * SCP over an SSH exec channel: we speak the classic rcp protocol to the remote
 * `scp -t` (sink, for uploads) or `scp -f` (source, for downloads), as Packer does.
 * Records: `C<mode> <size> <name>` for a file, `D<mode> 0 <name>` / `E` around a
 * directory; every record and every file body is acknowledged with a 0 byte, and a
 * 1 or 2 byte starts an error line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClientChannel } from 'ssh2';
import type { UploadInfo } from '../../../sdk/communicator.js';
import type { ExecChannel } from './exec-channel.js';
import { ByteReader, writeAll } from './byte-reader.js';
import { isExcluded, splitRemoteDir, spoolToTempFile } from './transfer-paths.js';
import { isGlob, shellQuote, shellQuoteGlob } from '../../../support/shell-quote.js';

/** Opens an exec channel running `command` on the connected machine. */
export type OpenExec = (command: string) => Promise<ExecChannel>;

async function status(r: ByteReader): Promise<void> {
  const code = await r.byte();
  if (code === 0) return;
  const message = await r.line();
  throw new Error(message.startsWith("scp:") ? message : `scp: ${message}`);
}

/** The next record line, or the remote's error. */
async function record(r: ByteReader): Promise<string> {
  const first = await r.byte();
  if (first === 1 || first === 2) {
    const message = await r.line();
    throw new Error(message.startsWith("scp:") ? message : `scp: ${message}`);
  }
  return String.fromCharCode(first) + (await r.line());
}

interface FileRecord {
  readonly type: 'C' | 'D';
  readonly mode: number;
  readonly size: number;
  readonly name: string;
}

function parseRecord(line: string): FileRecord {
  const m = /^([CD])([0-7]{3,4}) (\d+) (.+)$/.exec(line);
  if (!m) throw new Error(`scp: can't parse server response (${JSON.stringify(line)})`);
  const name = m[4] ?? '';
  if (name.includes('/') || name === '.' || name === '..') throw new Error(`scp: unsafe file name from server: ${JSON.stringify(name)}`);
  return { type: m[1] === 'D' ? 'D' : 'C', mode: parseInt(m[2] ?? '644', 8), size: Number(m[3]), name };
}

const modeText = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/**
 * Runs `body` against a remote scp, then closes its stdin and waits for it to exit.
 * Errors carry the remote scp's stderr.
 */
async function scpSession(open: OpenExec, command: string, body: (w: ClientChannel, r: ByteReader) => Promise<void>, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const { channel: ch, ended } = await open(command);
  let stderr = '';
  ch.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exit = ended.then((e) => e.status);
  const onAbort = () => ch.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reader = new ByteReader(ch);
    try {
      await body(ch, reader);
    } catch (e) {
      ch.close();
      await reader.rest().catch(() => '');
      signal?.throwIfAborted();
      const code = await exit;
      if (code === 127) throw scpMissing();
      const detail = stderr.trim() ? ` (remote stderr: ${stderr.trim()})` : '';
      throw new Error(`${(e as Error).message}${detail}`, { cause: e });
    }
    ch.end();
    // Read to the end: the channel only reports 'close' once its output is consumed.
    const trailing = await reader.rest();
    if (trailing.trim()) stderr += trailing;
    const code = await exit;
    signal?.throwIfAborted();
    if (code === 127) throw scpMissing();
    if (code !== 0) throw new Error(`scp exited with status ${String(code)}: ${stderr.trim()}`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

const scpMissing = () => new Error('SCP failed to start. This usually means that SCP is not\nproperly installed on the remote system.');

async function sendFile(w: ClientChannel, r: ByteReader, name: string, mode: number, size: number, data: Readable | Buffer): Promise<void> {
  await writeAll(w, `C${modeText(mode)} ${size} ${name}\n`);
  await status(r);
  if (Buffer.isBuffer(data)) {
    await writeAll(w, data);
  } else {
    let sent = 0;
    for await (const chunk of data) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      sent += buf.length;
      if (sent > size) throw new Error(`upload source is longer than the announced ${size} bytes`);
      await writeAll(w, buf);
    }
    if (sent !== size) throw new Error(`upload source ended after ${sent} of ${size} bytes`);
  }
  await writeAll(w, '\0');
  await status(r);
}

/** Uploads one file to `dst` through `scp -t <dirname(dst)>`. */
export async function scpUpload(open: OpenExec, dst: string, source: Readable | Buffer, info: UploadInfo | undefined, signal?: AbortSignal): Promise<void> {
  const mode = info?.mode ?? 0o644;
  let size = Buffer.isBuffer(source) ? source.length : info?.size;
  let data = source;
  let cleanup: (() => Promise<void>) | undefined;
  if (size === undefined && !Buffer.isBuffer(source)) {
    // SCP announces the size first: spool a stream of unknown length, as Packer does.
    const spooled = await spoolToTempFile(source as Readable);
    size = spooled.size;
    data = createReadStream(spooled.path);
    cleanup = spooled.remove;
  }
  const { dir, name } = splitRemoteDir(dst);
  try {
    await scpSession(open, `scp -t ${shellQuote(dir)}`, async (w, r) => {
      await status(r);
      await sendFile(w, r, name, mode, size ?? 0, data);
    }, signal);
  } finally {
    await cleanup?.();
  }
}

async function sendTree(w: ClientChannel, r: ByteReader, dir: string, rel: string, exclude: readonly string[]): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const relPath = rel ? `${rel}/${name}` : name;
    if (isExcluded(relPath, exclude)) continue;
    const full = path.join(dir, name);
    const st = await stat(full); // follows symlinks, as Packer does
    if (st.isDirectory()) {
      await writeAll(w, `D${modeText(st.mode)} 0 ${name}\n`);
      await status(r);
      await sendTree(w, r, full, relPath, exclude);
      await writeAll(w, 'E\n');
      await status(r);
    } else {
      await sendFile(w, r, name, st.mode, st.size, createReadStream(full));
    }
  }
}

/**
 * Uploads the local directory `src` with Packer's rule: `src/` puts its contents into
 * `dst`; `src` creates `dst/<basename src>`. `dst` itself is created when missing.
 */
export async function scpUploadDir(open: OpenExec, dst: string, src: string, exclude: readonly string[], signal?: AbortSignal): Promise<void> {
  const contentsOnly = src.endsWith('/');
  const srcStat = await stat(src);
  if (!srcStat.isDirectory()) throw new Error(`${src} is not a directory`);
  // Wrapping the transfer in a D record for dst makes the sink create it when missing.
  const { dir, name, nestable } = splitRemoteDir(dst);
  await scpSession(open, `scp -r -t ${shellQuote(nestable ? dir : dst)}`, async (w, r) => {
    await status(r);
    if (nestable) {
      await writeAll(w, `D0755 0 ${name}\n`);
      await status(r);
    }
    if (!contentsOnly) {
      await writeAll(w, `D${modeText(srcStat.mode)} 0 ${path.basename(src)}\n`);
      await status(r);
    }
    await sendTree(w, r, src, '', exclude);
    for (let i = (nestable ? 1 : 0) + (contentsOnly ? 0 : 1); i > 0; i--) {
      await writeAll(w, 'E\n');
      await status(r);
    }
  }, signal);
}

/** Streams the remote file `src` into `sink` through `scp -f`. */
export async function scpDownload(open: OpenExec, src: string, sink: Writable, signal?: AbortSignal): Promise<void> {
  await scpSession(open, `scp -f ${shellQuote(src)}`, async (w, r) => {
    await writeAll(w, '\0');
    const rec = parseRecord(await record(r));
    if (rec.type === 'D') throw new Error(`scp: ${src} is a directory`);
    await writeAll(w, '\0');
    await r.copy(rec.size, sink);
    await status(r);
    await writeAll(w, '\0');
  }, signal);
}

/**
 * Copies the remote directory `src` into the local `dst`, with Packer's trailing-slash
 * rule. A `src` with glob characters (`/var/log/*.log`) is expanded by the remote shell,
 * as Packer's unquoted `scp -vrf` does: every match lands in `dst` under its own name.
 */
export async function scpDownloadDir(open: OpenExec, src: string, dst: string, exclude: readonly string[], signal?: AbortSignal): Promise<void> {
  const glob = isGlob(src);
  const contentsOnly = src.endsWith('/') && !glob;
  const remote = src.length > 1 ? src.replace(/\/+$/, '') : src;
  if (glob) await mkdir(dst, { recursive: true });
  await scpSession(open, `scp -r -f ${glob ? shellQuoteGlob(remote) : shellQuote(remote)}`, async (w, r) => {
    await writeAll(w, '\0');
    // Each level: where it lands locally (undefined when excluded) and its relative path.
    const stack: Array<{ local: string | undefined; rel: string }> = [];
    // A glob may match several files and directories: read top-level records to the end.
    const done = async () => stack.length === 0 && (!glob || (await r.atEnd()));
    for (;;) {
      const line = await record(r);
      if (line.startsWith('E')) {
        stack.pop();
        await writeAll(w, '\0');
        if (await done()) return;
        continue;
      }
      if (line.startsWith('T')) {
        await writeAll(w, '\0');
        continue;
      }
      const rec = parseRecord(line);
      const top = stack[stack.length - 1];
      const rel = top === undefined ? '' : top.rel ? `${top.rel}/${rec.name}` : rec.name;
      const skip = top !== undefined && (top.local === undefined || isExcluded(rel, exclude));
      const local = skip ? undefined : top === undefined ? (contentsOnly ? dst : path.join(dst, rec.name)) : path.join(top.local ?? dst, rec.name);
      if (rec.type === 'D') {
        if (local !== undefined) await mkdir(local, { recursive: true, mode: rec.mode });
        stack.push({ local, rel });
        await writeAll(w, '\0');
        continue;
      }
      await writeAll(w, '\0');
      const out = local === undefined ? undefined : createWriteStream(local, { mode: rec.mode });
      await r.copy(rec.size, out);
      if (out) {
        out.end();
        await finished(out);
      }
      await status(r);
      await writeAll(w, '\0');
      if (await done()) return; // src was a single file, or the last match
    }
  }, signal);
}

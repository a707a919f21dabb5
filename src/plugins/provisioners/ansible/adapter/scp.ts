/**
 * The remote end of legacy SCP (`scp -O`, or OpenSSH before 9), served through the
 * build's communicator: `scp -t <target>` receives files (and, with `-r`, folders),
 * `scp -f <source>` sends one file. The protocol: one status byte per step (0 ok,
 * 1 warning, 2 fatal, followed by a message line), `C<mode> <size> <name>` before a
 * file's bytes, `D`/`E` around a folder, `T` with times (acknowledged, not applied).
 */
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Communicator } from '../../../../sdk/communicator.js';
import { shellQuote } from '../../../../support/shell-quote.js';
import { isDir, readRemote, remoteStat, runChecked } from './remote.js';

/** The options and path of an `scp` command line, or undefined when it is not a server-side scp. */
export function parseScp(command: string): { readonly flags: string; readonly target: string } | undefined {
  const words = shellWords(command);
  if (words === undefined || words[0] !== 'scp') return undefined;
  let flags = '';
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-') break;
    flags += w.slice(1);
  }
  const rest = words.slice(i);
  if (!/[tf]/.test(flags) || rest.length !== 1) return undefined;
  return { flags, target: rest[0] ?? '' };
}

/** Splits a POSIX shell command line into words (quotes and backslashes); undefined when it has shell syntax beyond that. */
export function shellWords(line: string): string[] | undefined {
  const words: string[] = [];
  let cur: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) i++;
        s += line[i] ?? '';
      }
      if (i >= line.length) return undefined;
      cur = (cur ?? '') + s;
    } else if (c === '\\') {
      cur = (cur ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (/[;&|<>()`$*?[\]{}~]/.test(c)) {
      return undefined;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

/** Reads lines and byte counts from a stream as the protocol asks for them. */
class Reader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(stream: Readable) {
    stream.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return true;
  }

  /** The next line without its newline; undefined at the end of input. */
  async line(): Promise<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl).toString('utf8');
        this.buf = this.buf.subarray(nl + 1);
        return line;
      }
      if (!(await this.more())) return undefined;
    }
  }

  /** Exactly `n` bytes; undefined when the input ends first. */
  async bytes(n: number): Promise<Buffer | undefined> {
    while (this.buf.length < n) if (!(await this.more())) return undefined;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

const OK = Buffer.from([0]);

/** Runs the server side of `scp <flags> <target>` over `io`; resolves with the exit status. */
export async function serveScp(flags: string, target: string, io: { in: Readable; out: Writable }, comm: Communicator, signal: AbortSignal): Promise<number> {
  const reader = new Reader(io.in);
  const fatal = (message: string): number => {
    io.out.write(`\x02scp: ${message}\n`);
    return 1;
  };
  try {
    return flags.includes('t') ? await sink(flags, target, reader, io.out, comm, signal) : await source(flags, target, reader, io.out, comm, signal);
  } catch (err) {
    return fatal(err instanceof Error ? err.message : String(err));
  }
}

async function sink(flags: string, target: string, reader: Reader, out: Writable, comm: Communicator, signal: AbortSignal): Promise<number> {
  const dirs: string[] = [];
  let targetIsDir: boolean | undefined = flags.includes('d') ? true : undefined;
  const destination = async (name: string): Promise<string> => {
    const top = dirs[dirs.length - 1];
    if (top !== undefined) return path.posix.join(top, name);
    targetIsDir ??= isDir(await remoteStat(comm, target, true, signal));
    return targetIsDir ? path.posix.join(target, name) : target;
  };
  out.write(OK);
  for (;;) {
    const line = await reader.line();
    if (line === undefined) return 0;
    const kind = line[0];
    if (kind === 'T') {
      out.write(OK);
    } else if (kind === 'C' || kind === 'D') {
      const m = /^[CD]([0-7]{4}) (\d+) (.+)$/.exec(line);
      if (!m?.[1] || !m[2] || !m[3] || m[3].includes('/') || m[3] === '..') throw new Error(`protocol error: unexpected <${line}>`);
      const mode = Number.parseInt(m[1], 8);
      const dst = await destination(m[3]);
      if (kind === 'D') {
        if (!flags.includes('r')) throw new Error('received directory without -r');
        const err = await runChecked(comm, `mkdir -p -- ${shellQuote(dst)} && chmod ${mode.toString(8)} -- ${shellQuote(dst)}`, signal);
        if (err) throw new Error(err);
        dirs.push(dst);
        out.write(OK);
        continue;
      }
      out.write(OK);
      const data = await reader.bytes(Number(m[2]));
      const ack = await reader.bytes(1);
      if (!data || !ack) throw new Error('lost connection');
      await comm.upload(dst, data, { mode, size: data.length }, signal);
      out.write(OK);
    } else if (kind === 'E') {
      dirs.pop();
      out.write(OK);
    } else if (kind === '\x01' || kind === '\x02') {
      return 1;
    } else {
      throw new Error(`protocol error: unexpected <${line}>`);
    }
  }
}

async function source(flags: string, target: string, reader: Reader, out: Writable, comm: Communicator, signal: AbortSignal): Promise<number> {
  const expectOk = async (): Promise<void> => {
    const b = await reader.bytes(1);
    if (!b) throw new Error('lost connection');
    if (b[0] !== 0) throw new Error((await reader.line()) ?? 'refused by the client');
  };
  await expectOk();
  const st = await remoteStat(comm, target, true, signal);
  if (!st) throw new Error(`${target}: No such file or directory`);
  if (isDir(st)) throw new Error(`${target}: not a regular file (folders are not served by the proxy)`);
  const data = await readRemote(comm, target, signal);
  if (flags.includes('p')) {
    out.write(`T${st.mtime} 0 ${st.mtime} 0\n`);
    await expectOk();
  }
  out.write(`C${(st.mode & 0o777).toString(8).padStart(4, '0')} ${data.length} ${path.posix.basename(target)}\n`);
  await expectOk();
  out.write(data);
  out.write(OK);
  await expectOk();
  return 0;
}

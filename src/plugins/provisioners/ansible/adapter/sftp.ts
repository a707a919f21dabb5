/**
 * An SFTP server whose files are the machine's, reached through the build's
 * communicator: what `sftp` and OpenSSH 9's `scp` (SFTP underneath) need to move
 * Ansible's modules and files. A file opened for writing is collected and sent with
 * one `upload` when it is closed (its CLOSE answers after the upload, so errors reach
 * the client); a file opened for reading is fetched with one `download`. Metadata
 * requests are single shell commands (`stat`, `mkdir`, `rm`, `mv`, `chmod`).
 *
 * Not served: directory listings (Ansible never asks), symlinks, partial rewrites
 * of an existing file (a write replaces the whole file).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Attributes, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import type { Communicator } from '../../../../sdk/communicator.js';
import { shellQuote } from '../../../../support/shell-quote.js';
import type { RemoteStat } from './remote.js';
import { capture, errorKind, readRemote, remoteStat, runChecked } from './remote.js';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** What the sessions of one proxy share. */
export interface FileContext {
  readonly comm: Communicator;
  readonly signal: AbortSignal;
  /** The machine's working folder (`pwd`), asked once. */
  cwd?: Promise<string>;
  /** Called with a line for the log (PACKER_LOG), never shown by default. */
  readonly log: (line: string) => void;
}

type Handle =
  | { readonly kind: 'write'; readonly path: string; readonly chunks: { offset: number; data: Buffer }[]; mode: number }
  | { readonly kind: 'read'; readonly path: string; readonly data: Buffer; readonly stat: RemoteStat };

/** The machine's working folder, for relative paths. */
export function remoteCwd(ctx: FileContext): Promise<string> {
  ctx.cwd ??= capture(ctx.comm, 'pwd', ctx.signal).then((r) => (r.status === 0 && r.stdout.trim().startsWith('/') ? r.stdout.trim() : '/'));
  return ctx.cwd;
}

async function absolute(ctx: FileContext, p: string): Promise<string> {
  if (p.startsWith('/')) return path.posix.normalize(p);
  return path.posix.normalize(path.posix.join(await remoteCwd(ctx), p === '' ? '.' : p));
}

/** Serves `sftp` (an accepted SFTP subsystem stream) until the client ends it. */
export function serveSftp(sftp: SFTPWrapper, ctx: FileContext): void {
  const handles = new Map<string, Handle>();

  const fail = (id: number, message: string): void => {
    const kind = errorKind(message);
    ctx.log(`sftp: request ${id} failed: ${message}`);
    sftp.status(id, kind === 'missing' ? STATUS_CODE.NO_SUCH_FILE : kind === 'denied' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE, message);
  };
  // Each request is answered in its own promise; a rejected one answers FAILURE.
  const serve = (id: number, work: () => Promise<void>): void => {
    work().catch((err: unknown) => fail(id, err instanceof Error ? err.message : String(err)));
  };
  const newHandle = (h: Handle): Buffer => {
    const key = randomBytes(8);
    handles.set(key.toString('hex'), h);
    return key;
  };
  const handleOf = (id: number, key: Buffer): Handle | undefined => {
    const h = handles.get(key.toString('hex'));
    if (!h) sftp.status(id, STATUS_CODE.FAILURE, 'invalid handle');
    return h;
  };

  // The client's EOF ends the session: answer as sftp-server does, exit status 0 and close.
  sftp.on('end', () => {
    const internal = sftp as unknown as { _protocol?: { exitStatus(id: number, status: number): void }; outgoing?: { id: number; state: string } };
    if (internal.outgoing?.state === 'open') internal._protocol?.exitStatus(internal.outgoing.id, 0);
    sftp.end();
  });
  sftp.on('REALPATH', (id: number, p: string) =>
    serve(id, async () => {
      const abs = await absolute(ctx, p);
      sftp.name(id, [{ filename: abs, longname: abs, attrs: {} as Attributes }]);
    }),
  );
  const stat = (follow: boolean) => (id: number, p: string) =>
    serve(id, async () => {
      const st = await remoteStat(ctx.comm, await absolute(ctx, p), follow, ctx.signal);
      if (!st) sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'No such file');
      else sftp.attrs(id, attrsOf(st));
    });
  sftp.on('STAT', stat(true));
  sftp.on('LSTAT', stat(false));
  sftp.on('OPEN', (id: number, p: string, flags: number, attrs: Partial<Attributes>) =>
    serve(id, async () => {
      const abs = await absolute(ctx, p);
      if (flags & OPEN_MODE.WRITE) {
        sftp.handle(id, newHandle({ kind: 'write', path: abs, chunks: [], mode: (attrs.mode ?? 0o644) & 0o7777 }));
        return;
      }
      const st = await remoteStat(ctx.comm, abs, true, ctx.signal);
      if (!st) return sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'No such file');
      const data = await readRemote(ctx.comm, abs, ctx.signal);
      sftp.handle(id, newHandle({ kind: 'read', path: abs, data, stat: { ...st, size: data.length } }));
    }),
  );
  sftp.on('WRITE', (id: number, key: Buffer, offset: number, data: Buffer) => {
    const h = handleOf(id, key);
    if (!h) return;
    if (h.kind !== 'write') return sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'not open for writing');
    // ssh2 reuses nothing, but copy anyway: the chunk outlives this callback.
    h.chunks.push({ offset, data: Buffer.from(data) });
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('READ', (id: number, key: Buffer, offset: number, length: number) => {
    const h = handleOf(id, key);
    if (!h) return;
    if (h.kind !== 'read') return sftp.status(id, STATUS_CODE.PERMISSION_DENIED, 'not open for reading');
    if (offset >= h.data.length) return sftp.status(id, STATUS_CODE.EOF);
    sftp.data(id, h.data.subarray(offset, Math.min(h.data.length, offset + length)));
  });
  sftp.on('FSTAT', (id: number, key: Buffer) => {
    const h = handleOf(id, key);
    if (!h) return;
    sftp.attrs(id, h.kind === 'read' ? attrsOf(h.stat) : attrsOf({ mode: 0o100000 | h.mode, size: assembledSize(h.chunks), mtime: 0 }));
  });
  sftp.on('FSETSTAT', (id: number, key: Buffer, attrs: Partial<Attributes>) => {
    const h = handleOf(id, key);
    if (!h) return;
    if (h.kind === 'write' && attrs.mode !== undefined) h.mode = attrs.mode & 0o7777;
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('CLOSE', (id: number, key: Buffer) => {
    const h = handleOf(id, key);
    if (!h) return;
    handles.delete(key.toString('hex'));
    if (h.kind === 'read') return sftp.status(id, STATUS_CODE.OK);
    serve(id, async () => {
      const data = assemble(h.chunks);
      await ctx.comm.upload(h.path, data, { mode: h.mode, size: data.length }, ctx.signal);
      sftp.status(id, STATUS_CODE.OK);
    });
  });
  const command = (build: (...paths: string[]) => string) => (id: number, ...paths: string[]) =>
    serve(id, async () => {
      const abs = await Promise.all(paths.map((p) => absolute(ctx, p)));
      const err = await runChecked(ctx.comm, build(...abs.map(shellQuote)), ctx.signal);
      if (err) fail(id, err);
      else sftp.status(id, STATUS_CODE.OK);
    });
  sftp.on('REMOVE', command((p) => `rm -f -- ${p}`));
  sftp.on('RMDIR', command((p) => `rmdir -- ${p}`));
  sftp.on('RENAME', command((from, to) => `mv -f -- ${from} ${to}`));
  sftp.on('MKDIR', (id: number, p: string, attrs: Partial<Attributes>) =>
    command((q) => `mkdir ${attrs.mode !== undefined ? `-m ${(attrs.mode & 0o7777).toString(8)} ` : ''}-- ${q}`)(id, p),
  );
  sftp.on('SETSTAT', (id: number, p: string, attrs: Partial<Attributes>) =>
    command((q) => {
      const parts = [':'];
      if (attrs.mode !== undefined) parts.push(`chmod ${(attrs.mode & 0o7777).toString(8)} -- ${q}`);
      if (attrs.uid !== undefined && attrs.gid !== undefined) parts.push(`chown ${attrs.uid}:${attrs.gid} -- ${q}`);
      return parts.join(' && ');
    })(id, p),
  );
}

function attrsOf(st: RemoteStat): Attributes {
  return { mode: st.mode, size: st.size, uid: 0, gid: 0, atime: st.mtime, mtime: st.mtime };
}

function assembledSize(chunks: readonly { offset: number; data: Buffer }[]): number {
  return chunks.reduce((n, c) => Math.max(n, c.offset + c.data.length), 0);
}

/** The file the writes make, in offset order (a hole reads as zeros, as on disk). */
export function assemble(chunks: readonly { offset: number; data: Buffer }[]): Buffer {
  const out = Buffer.alloc(assembledSize(chunks));
  for (const c of chunks) c.data.copy(out, c.offset);
  return out;
}

/**
 * The ledger's file format: one JSON object per line, appended and fsynced. The first
 * line is the header (who wrote the file); then `intent` lines (written before kiln
 * creates a resource), `identity` lines (its id once known), and `done` / `kept` lines.
 * Reading never throws: a line that does not parse, or a tail cut short by a crash,
 * is reported in `problems` and the rest is used as far as it can be trusted.
 */

/** What kiln created outside its own process, with what is needed to find it again. */
export type Resource =
  | {
      readonly kind: 'container';
      /** The name kiln chose (`docker run --name`): findable even when the id was never seen. */
      readonly name: string;
      readonly executable?: string;
      /** `DOCKER_HOST` of the engine it was created on. */
      readonly host?: string;
    }
  | {
      readonly kind: 'process';
      /** Known when recorded after the spawn; else the identity record holds it, or gc finds it by `match`. */
      readonly pid?: number;
      /** A string unique to the process that its command line contains: a reused pid is never killed. */
      readonly match: string;
      /** What the process is, for messages (`qemu-system-x86_64`, `plugin packer-plugin-x`). */
      readonly name: string;
      /**
       * An environment entry (`NAME=value`) unique to the process, set when kiln spawned it:
       * when the command line is not unique (a plugin's), /proc/PID/environ must hold it too.
       */
      readonly env?: string;
      /** A socket or pid file the process leaves when killed hard. */
      readonly socket?: string;
      /**
       * The process and everything it started (a shell-local script's tree): gc kills every
       * process whose environment holds `env`, whatever its command line.
       */
      readonly tree?: boolean;
    }
  | {
      /** A docker image tag kiln made (a step cache image, `kiln-cache:<key>`); `kiln gc -kept` untags it. */
      readonly kind: 'image';
      readonly ref: string;
      readonly executable?: string;
      readonly host?: string;
    }
  | {
      /** A file or folder kiln made (temp dir, key file, output folder). */
      readonly kind: 'path';
      readonly path: string;
    };

/**
 * Where a build machine stands (a container or VM the build provisions), written as it
 * goes so that one `-on-error=abort` keeps can be resumed in place (`kiln build -resume`):
 * the build, the step keys of what ran in it, and the step that was running.
 */
export interface MachineMark {
  /** The build's name (`docker.app`). */
  readonly build: string;
  /** The builder type (`docker`). */
  readonly builder: string;
  /** The build's base key (builder config and source identity). */
  readonly base: string;
  /** The keys of the provisioners done in the machine, in order (their count is how many ran). */
  readonly steps: readonly string[];
  /** The provisioner running when the mark was written (1-based), when one was. */
  readonly next?: { readonly step: number; readonly type: string };
  /** Host folders the machine uses (the docker builder's mounted temp dir): a resume needs them. */
  readonly mounts?: readonly string[];
}

/** Who wrote a ledger: enough to tell whether that process still runs. */
export interface LedgerHeader {
  readonly t: 'header';
  readonly v: 1;
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22); catches a reused pid. */
  readonly start?: string;
  /** /proc/sys/kernel/random/boot_id: a ledger of another boot belongs to a dead run. */
  readonly boot?: string;
  readonly argv: readonly string[];
  readonly time: string;
}

export type LedgerLine =
  | LedgerHeader
  | { readonly t: 'intent'; readonly n: number; readonly r: Resource }
  | { readonly t: 'identity'; readonly n: number; readonly id: string; readonly socket?: string }
  | { readonly t: 'done'; readonly n: number }
  | { readonly t: 'kept'; readonly n: number }
  | { readonly t: 'mark'; readonly n: number; readonly m: MachineMark };

export type EntryState = 'pending' | 'done' | 'kept';

/** One resource as the ledger's lines leave it. */
export interface LedgerEntry {
  readonly n: number;
  readonly resource: Resource;
  readonly id?: string;
  /** A socket the process made, known after it started (a plugin's `packer-plugin*` socket). */
  readonly socket?: string;
  readonly state: EntryState;
  /** The last `MachineMark` written for it (a build machine). */
  readonly mark?: MachineMark;
}

/** A ledger file read back. */
export interface LedgerContents {
  readonly header?: LedgerHeader;
  readonly entries: readonly LedgerEntry[];
  /** Lines that could not be trusted, with their line number: `line 7: truncated`, ... */
  readonly problems: readonly string[];
}

/** The text of a record, newline included. */
export function formatLine(line: LedgerLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** Reads a ledger's text; never throws. */
export function parseLedger(text: string): LedgerContents {
  const problems: string[] = [];
  const entries = new Map<number, { resource: Resource; id?: string; socket?: string; state: EntryState; mark?: MachineMark }>();
  let header: LedgerHeader | undefined;
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  for (const [i, raw] of lines.entries()) {
    const where = `line ${i + 1}`;
    if (raw.trim() === '') continue;
    const line = decodeLine(raw);
    if (line === undefined) {
      problems.push(`${where}: not a ledger record: ${raw.slice(0, 60)}`);
      continue;
    }
    if (line.t === 'header') {
      if (i !== 0 || header !== undefined) problems.push(`${where}: header out of place`);
      else header = line;
      continue;
    }
    if (line.t === 'intent') {
      if (entries.has(line.n)) problems.push(`${where}: record ${line.n} written twice`);
      else entries.set(line.n, { resource: line.r, state: 'pending' });
      continue;
    }
    const entry = entries.get(line.n);
    if (!entry) {
      problems.push(`${where}: ${line.t} for unknown record ${line.n}`);
      continue;
    }
    if (line.t === 'identity') {
      entry.id = line.id;
      if (line.socket !== undefined) entry.socket = line.socket;
    } else if (line.t === 'mark') entry.mark = line.m;
    else entry.state = line.t;
  }
  if (last !== '') problems.push(`line ${lines.length + 1}: truncated record ignored (the run stopped while writing it)`);
  if (header === undefined) problems.unshift('no header: the writing process cannot be identified');
  return { ...(header ? { header } : {}), entries: [...entries].map(([n, e]) => ({ n, ...e })), problems };
}

function decodeLine(raw: string): LedgerLine | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  switch (o['t']) {
    case 'header':
      return typeof o['pid'] === 'number' && Array.isArray(o['argv']) ? (o as unknown as LedgerHeader) : undefined;
    case 'intent':
      return typeof o['n'] === 'number' && isResource(o['r']) ? (o as unknown as LedgerLine) : undefined;
    case 'identity':
      return typeof o['n'] === 'number' && typeof o['id'] === 'string' && (o['socket'] === undefined || isAbsolutePath(o['socket'])) ? (o as unknown as LedgerLine) : undefined;
    case 'done':
    case 'kept':
      return typeof o['n'] === 'number' ? (o as unknown as LedgerLine) : undefined;
    case 'mark':
      return typeof o['n'] === 'number' && isMark(o['m']) ? (o as unknown as LedgerLine) : undefined;
    default:
      return undefined;
  }
}

function isResource(v: unknown): v is Resource {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  switch (r['kind']) {
    case 'container':
      return typeof r['name'] === 'string' && r['name'] !== '';
    case 'process':
      return (
        (r['pid'] === undefined || (typeof r['pid'] === 'number' && r['pid'] > 1)) &&
        typeof r['match'] === 'string' &&
        r['match'] !== '' &&
        typeof r['name'] === 'string' &&
        (r['env'] === undefined || (typeof r['env'] === 'string' && r['env'].includes('='))) &&
        (r['socket'] === undefined || isAbsolutePath(r['socket']))
      );
    case 'image':
      return typeof r['ref'] === 'string' && r['ref'] !== '';
    case 'path':
      return isAbsolutePath(r['path']);
    default:
      return false;
  }
}

function isMark(v: unknown): v is MachineMark {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const next = m['next'] as Record<string, unknown> | undefined;
  return (
    typeof m['build'] === 'string' &&
    typeof m['builder'] === 'string' &&
    typeof m['base'] === 'string' &&
    Array.isArray(m['steps']) &&
    m['steps'].every((k) => typeof k === 'string') &&
    (next === undefined || (typeof next === 'object' && next !== null && typeof next['step'] === 'number' && typeof next['type'] === 'string')) &&
    (m['mounts'] === undefined || (Array.isArray(m['mounts']) && m['mounts'].every(isAbsolutePath)))
  );
}

/** An absolute path other than `/`: what a record may name for removal. */
function isAbsolutePath(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('/') && v !== '/';
}

/** One line for the user: `container kiln-abc-1`, `folder /tmp/kiln-docker-x`. */
export function describeResource(r: Resource, id?: string, socket?: string): string {
  switch (r.kind) {
    case 'container':
      return `container ${r.name}${id !== undefined ? ` (${id.slice(0, 12)})` : ''}`;
    case 'process': {
      const sock = socket ?? r.socket;
      return `process ${r.pid ?? id ?? '?'} (${r.name}, command line with ${r.match}${sock !== undefined ? `, socket ${sock}` : ''})`;
    }
    case 'image':
      return `image ${r.ref}`;
    case 'path':
      return `path ${r.path}`;
  }
}

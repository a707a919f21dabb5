/**
 * The per-run ledger of what kiln creates outside its own process (Packer has none):
 * before a step creates a container, VM process, temp folder or key file it calls
 * `intent` — the record is on disk (written and fsynced) before the creation starts —
 * then `identify` once the id is known, and `done` when cleanup removed it or `kept`
 * when the user keeps it on purpose (`-on-error=abort`). `kiln gc` removes what runs
 * that died left; cancellation cleanup reads `pending` to say what remains.
 *
 * The file is `$XDG_STATE_HOME/kiln/runs/<run id>.jsonl` (default
 * `~/.local/state/kiln`), made on the first intent (a run that creates nothing writes
 * nothing), and removed at `close` when nothing is pending or kept.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootId, processStartTime } from './process-identity.js';
import { describeResource, formatLine, type EntryState, type LedgerLine, type MachineMark, type Resource } from './record.js';

/** A recorded resource: tell the ledger what became of it. */
export interface LedgerHandle {
  /**
   * The resource's id once known (a container id, a process's pid); for a process,
   * `details.socket` is the socket it made once known (a plugin's): gc removes it.
   */
  identify(id: string, details?: { readonly socket?: string }): void;
  /** Cleanup removed it (or found it gone). */
  done(): void;
  /** Left in place on purpose (`-on-error=abort`, a cached layer): `kiln gc` leaves it unless asked. */
  kept(): void;
  /** Where the build machine this records stands now (replaces the last mark): see `MachineMark`. */
  mark(mark: MachineMark): void;
}

/** What a run's components record their resources in. */
export interface Ledger {
  /** Short and unique to the run: container names are made from it. */
  readonly runId: string;
  /** Records that `resource` is about to be created; durable when this returns. */
  intent(resource: Resource): LedgerHandle;
  /** What is recorded and neither done nor kept, for "still to clean up" messages. */
  pending(): readonly string[];
  /** Marks every pending resource kept: the run skipped cleanup on purpose (`-on-error=abort`). */
  keepPending(): void;
  /** The resources kept so far (by their component or by `keepPending`), this view's and its scopes'. */
  keptResources(): readonly Resource[];
  /** A view sharing the file whose `pending`/`keepPending` cover its own records only (one build's). */
  scope(): Ledger;
  /**
   * Counts resources left pending or kept (`skipped`: of the kept ones, those `keepPending`
   * kept because cleanup was skipped); on the run's ledger, closes the file and removes it
   * when nothing is pending or kept.
   */
  close(): LedgerCounts;
}

/** What a run or build left: see `Ledger.close`. */
export interface LedgerCounts {
  readonly pending: number;
  readonly kept: number;
  readonly skipped: number;
}

/** `$XDG_STATE_HOME/kiln` (default `~/.local/state/kiln`) of `env`. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_STATE_HOME'];
  return path.join(xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] ?? os.homedir(), '.local', 'state'), 'kiln');
}

/** The folder of run ledgers under `stateDir`. */
export function ledgerDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'runs');
}

/** A fresh run id: time, pid and randomness, usable in a docker container name. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/** The ledger of this run, a file in `dir` (see `ledgerDir`). */
export function openRunLedger(dir: string, argv: readonly string[] = process.argv): Ledger {
  const runId = newRunId();
  const file = path.join(dir, `${runId}.jsonl`);
  let fd: number | undefined;
  let closed = false;
  const append = (line: LedgerLine): void => {
    // A record settled after close (a process reaped at exit) is not worth a new file: gc finds it gone.
    if (closed) return;
    if (fd === undefined) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      fd = openSync(file, 'a', 0o600);
      const start = processStartTime(process.pid);
      const boot = bootId();
      writeSync(fd, formatLine({ t: 'header', v: 1, pid: process.pid, ...(start ? { start } : {}), ...(boot ? { boot } : {}), argv: [...argv], time: new Date().toISOString() }));
      // The new file's name must survive a crash too.
      const dirFd = openSync(dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    }
    writeSync(fd, formatLine(line));
    // Only what gc must never miss is forced to disk: an intent (the resource may exist) and a kept
    // mark (gc must not remove it). A lost identity or done line after a power cut costs gc a
    // lookup by name or command line, or an 'already gone'; a kill -9 loses neither (page cache).
    if (line.t === 'intent' || line.t === 'kept') fsyncSync(fd);
  };
  return trackingLedger(runId, append, () => {
    closed = true;
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  }, () => rmSync(file, { force: true }));
}

/** A ledger that writes nothing: for components run without one (unit tests). */
export function memoryLedger(): Ledger {
  return trackingLedger(newRunId(), () => {}, () => {}, () => {});
}

interface Tracked {
  readonly resource: Resource;
  id?: string;
  socket?: string;
  state: EntryState;
  /** Kept by `keepPending` (cleanup skipped), not by its component. */
  skipped?: boolean;
  readonly settle: (state: 'done' | 'kept') => void;
}

/** What a ledger and its scopes share: the file and the record numbers. */
interface Sink {
  readonly append: (line: LedgerLine) => void;
  next: number;
}

function trackingLedger(runId: string, append: (line: LedgerLine) => void, closeFile: () => void, removeFile: () => void): Ledger {
  const sink: Sink = { append, next: 1 };
  const root = scopedLedger(runId, sink);
  return {
    ...root,
    close() {
      const counts = root.close();
      closeFile();
      if (counts.pending === 0 && counts.kept === 0) removeFile();
      return counts;
    },
  };
}

function scopedLedger(runId: string, sink: Sink): Ledger & { entries(): Tracked[] } {
  const own: Tracked[] = [];
  const scopes: (Ledger & { entries(): Tracked[] })[] = [];
  const all = (): Tracked[] => [...own, ...scopes.flatMap((s) => s.entries())];
  return {
    runId,
    entries: all,
    intent(resource) {
      const n = sink.next++;
      sink.append({ t: 'intent', n, r: resource });
      const entry: Tracked = {
        resource,
        state: 'pending',
        settle(state) {
          if (entry.state !== 'pending') return;
          entry.state = state;
          sink.append({ t: state, n });
        },
      };
      own.push(entry);
      return {
        identify(id, details) {
          const socket = details?.socket;
          if (entry.id === id && (socket === undefined || entry.socket === socket)) return;
          entry.id = id;
          if (socket !== undefined) entry.socket = socket;
          sink.append({ t: 'identity', n, id, ...(socket !== undefined ? { socket } : {}) });
        },
        done: () => entry.settle('done'),
        kept: () => entry.settle('kept'),
        mark: (m) => {
          if (entry.state === 'pending') sink.append({ t: 'mark', n, m });
        },
      };
    },
    pending() {
      return all()
        .filter((e) => e.state === 'pending')
        .map((e) => describeResource(e.resource, e.id, e.socket));
    },
    keptResources() {
      return all()
        .filter((e) => e.state === 'kept')
        .map((e) => e.resource);
    },
    keepPending() {
      for (const e of all()) {
        if (e.state !== 'pending') continue;
        e.skipped = true;
        e.settle('kept');
      }
    },
    scope() {
      const child = scopedLedger(runId, sink);
      scopes.push(child);
      return child;
    },
    close() {
      const entries = all();
      return {
        pending: entries.filter((e) => e.state === 'pending').length,
        kept: entries.filter((e) => e.state === 'kept').length,
        skipped: entries.filter((e) => e.state === 'kept' && e.skipped === true).length,
      };
    },
  };
}

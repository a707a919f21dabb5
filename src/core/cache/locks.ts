/**
 * Work in flight and layers in use, between kiln processes sharing one cache folder.
 *
 * - A step lock `locks/<key>.lock` is created with O_EXCL by the build that is about to
 *   compute that step, and removed once its entry is published (or the step failed). A
 *   lock whose process is gone (pid dead, reused, or another boot) is stale and broken.
 * - A lease `leases/<pid>-<rand>.json` lists the keys a running build reads or made:
 *   `prune` never removes them. Leases of dead processes are ignored and swept.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bootId, processStartTime, sameProcessAlive } from '../../sdk/ledger/process-identity.js';
import { safeReaddir } from './store.js';

interface Owner {
  readonly pid: number;
  readonly start?: string;
  readonly boot?: string;
}

function me(): Owner {
  const start = processStartTime(process.pid);
  const boot = bootId();
  return { pid: process.pid, ...(start !== undefined ? { start } : {}), ...(boot !== undefined ? { boot } : {}) };
}

function ownerOf(text: string): Owner | undefined {
  try {
    const j = JSON.parse(text) as Partial<Owner>;
    return typeof j.pid === 'number' ? { pid: j.pid, ...(typeof j.start === 'string' ? { start: j.start } : {}), ...(typeof j.boot === 'string' ? { boot: j.boot } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

function alive(o: Owner | undefined): o is Owner {
  return o !== undefined && sameProcessAlive(o.pid, o.start, o.boot);
}

export interface StepLock {
  release(): void;
}

/** Takes `key`'s step lock: the lock, or the pid of the live process holding it. */
export function tryLockStep(dir: string, key: string): StepLock | { readonly heldBy: number } {
  const folder = path.join(dir, 'locks');
  const file = path.join(folder, `${key}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    // The lock appears whole or not at all: written aside, then linked to its name (O_EXCL's rule: EEXIST if taken).
    const tmp = path.join(folder, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(tmp, JSON.stringify(me()), { flag: 'wx' });
      linkSync(tmp, file);
      let held = true;
      return {
        release() {
          if (held) rmSync(file, { force: true });
          held = false;
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return { heldBy: -1 };
    } finally {
      rmSync(tmp, { force: true });
    }
    const text = readOrUndefined(file);
    if (text === undefined) continue; // Released meanwhile: try again.
    const owner = ownerOf(text);
    if (alive(owner)) return { heldBy: owner.pid };
    rmSync(file, { force: true }); // Stale: its build died.
  }
  return { heldBy: -1 };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The keys a running build uses; `add` as it records more, `release` at its end. */
export interface Lease {
  add(keys: readonly string[]): void;
  release(): void;
}

/** Opens a lease on `keys` in `dir` (best-effort: an I/O failure leaves it unwritten). */
export function openLease(dir: string, keys: readonly string[]): Lease {
  const folder = path.join(dir, 'leases');
  const file = path.join(folder, `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const held = new Set(keys);
  const write = (): void => {
    try {
      mkdirSync(folder, { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...me(), keys: [...held] }));
      renameSync(tmp, file);
    } catch {
      // Best-effort.
    }
  };
  write();
  return {
    add(more) {
      const before = held.size;
      for (const k of more) held.add(k);
      if (held.size !== before) write();
    },
    release() {
      rmSync(file, { force: true });
    },
  };
}

/** Keys leased by running builds; leases of dead processes are removed on the way. */
export function leasedKeys(dir: string): Set<string> {
  const folder = path.join(dir, 'leases');
  const keys = new Set<string>();
  for (const name of safeReaddir(folder)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(folder, name);
    const text = readOrUndefined(file);
    if (text === undefined) continue;
    const owner = ownerOf(text);
    if (!alive(owner)) {
      rmSync(file, { force: true });
      continue;
    }
    try {
      const list = (JSON.parse(text) as { keys?: unknown }).keys;
      if (Array.isArray(list)) for (const k of list) if (typeof k === 'string') keys.add(k);
    } catch {
      // Unreadable: its owner is alive, so it is being rewritten; next time.
    }
  }
  return keys;
}

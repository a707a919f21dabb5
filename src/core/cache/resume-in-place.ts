/**
 * Resuming a build in the machine a failed `-on-error=abort` run kept (`kiln build
 * -resume`): core's side of `BuildContext.inPlace` (sdk/in-place.ts).
 *
 * - While a build with `-on-error=abort` (or `ask`) or `-resume` provisions, each step
 *   writes a `MachineMark` on the machine's ledger record: the build, its base key and
 *   the keys of the steps done in the machine, and the step running. When the build fails
 *   and keeps the machine, its record says where it stopped.
 * - With `-resume`, `start` reads the ledgers of dead runs for the newest kept machine of
 *   the same build, and resumes in it only when its base key and the keys of every step
 *   that ran in it equal this build's (same builder config and source, same template up
 *   to the failed step) and the builder finds it alive; otherwise it says why in one line
 *   and the build goes on as without it (the step cache's resume, or every step).
 * - `adopt` records the machine and its mounts in this run's ledger and settles the dead
 *   run's records, so the build's cleanup removes them as its own and `kiln gc` finds
 *   nothing left.
 */
import { statSync } from 'node:fs';
import type { AdoptedMachine, InPlaceResume, KeptMachine, MachineCheck } from '../../sdk/in-place.js';
import type { Ledger, LedgerHandle } from '../../sdk/ledger/ledger.js';
import type { LedgerEntry, MachineMark, Resource } from '../../sdk/ledger/record.js';
import { listRuns, takeOverRecords, type RunRecord } from '../../sdk/ledger/runs.js';
import type { MachineSnapshots } from '../../sdk/component.js';
import type { Ui } from '../../sdk/ui.js';
import type { PreparedBuild } from '../prepare.js';
import type { BuildIdentity, StepCacheHooks } from './engine.js';
import type { StepKeyer } from './keyer.js';

/** A run's in-place settings (`kiln build -on-error=abort`, `-resume`). */
export interface InPlaceSettings {
  /** `-resume`: look for a kept machine to go on in. */
  readonly resume: boolean;
  /** The folder of run ledgers. */
  readonly ledgers: string;
  /** Whether the run has a step cache to fall back to (for the message). */
  readonly cache: boolean;
  keyer(build: PreparedBuild): StepKeyer;
}

interface Keys {
  readonly base: string;
  readonly steps: readonly string[];
}

/** One build's in-place resume and progress marks. */
export class BuildInPlace implements InPlaceResume {
  readonly #settings: InPlaceSettings;
  readonly #build: BuildIdentity;
  readonly #keyer: StepKeyer;
  readonly #ledger: Ledger;
  readonly #ui: Ui;
  #keys: Keys | undefined;
  #handle: LedgerHandle | undefined;
  #mounts: readonly string[] = [];
  #last: MachineMark | undefined;
  /** Provisioners that ran in the adopted machine. */
  #live: number | undefined;
  readonly #runs = new Map<KeptMachine, { readonly run: RunRecord; readonly entry: LedgerEntry }>();

  constructor(settings: InPlaceSettings, build: BuildIdentity, keyer: StepKeyer, ledger: Ledger, ui: Ui) {
    this.#settings = settings;
    this.#build = build;
    this.#keyer = keyer;
    this.#ledger = ledger;
    this.#ui = ui;
  }

  async start(identity: string, check: MachineCheck, signal: AbortSignal): Promise<KeptMachine | undefined> {
    try {
      const base = (await this.#keyer.base(identity)).key;
      const steps: string[] = [];
      for (let i = 0, parent = base; i < this.#build.provisioners.length; i++) {
        parent = (await this.#keyer.step(i, parent)).key;
        steps.push(parent);
      }
      this.#keys = { base, steps };
    } catch (err) {
      // Keying trouble (an unreadable file, a bad KILN_CACHE_SECRET) must not fail the build: it only goes without marks.
      if (this.#settings.resume) this.#ui.error(`Warning: cannot key the build to find a kept machine: ${(err as Error).message}`);
      return undefined;
    }
    if (!this.#settings.resume) return undefined;
    const found = this.#newestKept();
    if (found === undefined) return undefined;
    const machine: KeptMachine = { resource: found.entry.resource, ...(found.entry.id !== undefined ? { id: found.entry.id } : {}), mark: found.mark, runId: found.run.runId };
    const why = this.#mismatch(found.mark) ?? (await check(machine, signal)) ?? missingMount(found.mark);
    if (why !== undefined) {
      this.#ui.say(`Not resuming in the kept ${machineName(machine)}: ${why}; ${this.#settings.cache ? 'resuming from the step cache instead' : 'running every step'}.`);
      return undefined;
    }
    this.#runs.set(machine, { run: found.run, entry: found.entry });
    return machine;
  }

  adopt(machine: KeptMachine): AdoptedMachine | undefined {
    const origin = this.#runs.get(machine);
    if (origin === undefined) return undefined;
    const handle = this.#ledger.intent(machine.resource);
    if (machine.id !== undefined) handle.identify(machine.id);
    const folders = adoptedFolders(origin.run, machine.mark.mounts ?? []).map((e) => ({ path: (e.resource as Extract<Resource, { kind: 'path' }>).path, handle: this.#ledger.intent(e.resource), n: e.n }));
    if (!takeOverRecords(origin.run, [origin.entry.n, ...folders.map((f) => f.n)])) {
      handle.done();
      for (const f of folders) f.handle.done();
      this.#ui.say(`Not resuming in the kept ${machineName(machine)}: another kiln process is using its run's records; ${this.#settings.cache ? 'resuming from the step cache instead' : 'running every step'}.`);
      return undefined;
    }
    const done = machine.mark.steps.length;
    this.#live = done;
    const next = this.#build.provisioners[done];
    const from = next !== undefined ? `from step ${done + 1} (${next})` : 'after its last provisioner';
    const ran = done === 0 ? 'no step ran in it' : done === 1 ? 'step 1 ran in it' : `steps 1–${done} ran in it`;
    this.#ui.say(`Resuming in ${machineName(machine)} ${from}: ${ran} before run ${machine.runId} failed.`);
    return { handle, folders: folders.map(({ path, handle: h }) => ({ path, handle: h })), provisioners: done };
  }

  track(handle: LedgerHandle, mounts: readonly string[]): void {
    this.#handle = handle;
    this.#mounts = mounts;
  }

  /** The provision hook's steps, with `engine` (the step cache) when there is one. */
  hooks(engine: StepCacheHooks | undefined): StepCacheHooks {
    return {
      begin: (machine: MachineSnapshots | undefined) => (engine ? engine.begin(machine) : (this.#live ?? 0)),
      before: (i: number) => {
        engine?.before(i);
        this.#mark(i, this.#build.provisioners[i]);
      },
      after: async (i: number, machine: MachineSnapshots | undefined, continued: boolean, signal: AbortSignal) => {
        await engine?.after(i, machine, continued, signal);
        this.#mark(i + 1, undefined);
      },
      end: () => engine?.end(),
    };
  }

  /** Records that `done` steps ran in the machine, and which one runs now. */
  #mark(done: number, running: string | undefined): void {
    const keys = this.#keys;
    if (keys === undefined || this.#handle === undefined) return;
    const mark: MachineMark = {
      build: this.#build.name,
      builder: this.#build.builderType,
      base: keys.base,
      steps: keys.steps.slice(0, done),
      ...(running !== undefined ? { next: { step: done + 1, type: running } } : {}),
      ...(this.#mounts.length > 0 ? { mounts: this.#mounts } : {}),
    };
    this.#handle.mark(mark);
    this.#last = mark;
  }

  /**
   * After the build failed and kept its machine: where it stopped and how to go on in it
   * (`The machine is kept after step 2: fix step 3 (shell) and run kiln build -resume ...`).
   */
  failureHint(): string | undefined {
    const m = this.#last;
    if (m === undefined) return undefined;
    const done = m.steps.length;
    const after = done === 0 ? 'before its first step' : `after step ${done}`;
    const fix = m.next !== undefined ? `fix step ${m.next.step} (${m.next.type}) and run` : 'run';
    return `The build's machine is kept ${after}: ${fix} kiln build -resume to go on in it.`;
  }

  /** The newest kept machine of this build in the ledgers of dead runs. */
  #newestKept(): { run: RunRecord; entry: LedgerEntry; mark: MachineMark } | undefined {
    const runs = listRuns(this.#settings.ledgers, this.#ledger.runId).filter((r) => !r.alive && r.claimedBy === undefined);
    runs.sort((a, b) => (a.header?.time ?? '').localeCompare(b.header?.time ?? ''));
    for (const run of runs.reverse()) {
      for (const entry of [...run.entries].reverse()) {
        const mark = entry.mark;
        if (entry.state === 'kept' && mark !== undefined && mark.build === this.#build.name && mark.builder === this.#build.builderType) return { run, entry, mark };
      }
    }
    return undefined;
  }

  /** Why the keys of `mark` do not match this build's; undefined when they do. */
  #mismatch(mark: MachineMark): string | undefined {
    const keys = this.#keys;
    if (keys === undefined) return 'the build was not keyed';
    if (mark.base !== keys.base) return "the builder's configuration or its source image changed since it was kept";
    if (mark.steps.length > keys.steps.length) return `${mark.steps.length} steps ran in it, the template now has ${keys.steps.length}`;
    const changed = mark.steps.findIndex((k, i) => k !== keys.steps[i]);
    if (changed >= 0) return `step ${changed + 1} (${this.#build.provisioners[changed] ?? '?'}) changed since it was kept`;
    return undefined;
  }
}

/** `container 1a2b3c4d5e6f`, `process 1234 (qemu)`. */
function machineName(m: KeptMachine): string {
  const r = m.resource;
  if (r.kind === 'container') return `container ${(m.id ?? r.name).slice(0, 12)}`;
  if (r.kind === 'process') return `VM (${r.name}, pid ${r.pid ?? m.id ?? '?'})`;
  return r.kind === 'image' ? `image ${r.ref}` : `folder ${r.path}`;
}

function missingMount(mark: MachineMark): string | undefined {
  const gone = (mark.mounts ?? []).find((p) => !folderExists(p));
  return gone !== undefined ? `its folder ${gone} is gone` : undefined;
}

/**
 * The kept folder records of `run` to adopt with the machine: each mount, and the
 * folders around it (the run's private temp folder) that hold no other kept record.
 */
function adoptedFolders(run: RunRecord, mounts: readonly string[]): LedgerEntry[] {
  const paths = run.entries.filter((e): e is LedgerEntry & { resource: Extract<Resource, { kind: 'path' }> } => e.state === 'kept' && e.resource.kind === 'path');
  const inside = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);
  const mine = paths.filter((e) => mounts.includes(e.resource.path));
  const around = paths.filter((e) => !mine.includes(e) && mine.some((m) => inside(m.resource.path, e.resource.path)));
  const others = paths.filter((e) => !mine.includes(e) && !around.includes(e));
  const free = around.filter((e) => !others.some((o) => inside(o.resource.path, e.resource.path)) && !run.entries.some((o) => o.state === 'kept' && o.resource.kind !== 'path' && o.mark?.mounts?.some((m) => inside(m, e.resource.path) && !mounts.includes(m))));
  // Innermost first: removed in this order at cleanup.
  return [...mine, ...free].sort((a, b) => b.resource.path.length - a.resource.path.length);
}

function folderExists(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

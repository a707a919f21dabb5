/**
 * Resuming a build in the machine a failed `-on-error=abort` run kept (`kiln build
 * -resume`), as a builder meets it: `BuildContext.inPlace` (core's
 * `core/cache/resume-in-place.ts` implements it).
 *
 * A builder that supports it:
 * 1. once it knows its source's content identity (the identity it gives the step cache)
 *    and before it creates a machine, calls `start(identity, check, signal)`; with
 *    `-resume` this may answer with a kept machine of the same build whose step keys
 *    still match, alive by `check`;
 * 2. when it got one, calls `adopt` and goes on with that machine instead of creating
 *    one, telling the step cache `CacheBase.live` (the hook then skips what ran in it);
 * 3. calls `track` with the ledger record of each machine it provisions (created or
 *    adopted), so the ledger says what ran in it should the build fail and keep it.
 */
import type { LedgerHandle } from './ledger/ledger.js';
import type { MachineMark, Resource } from './ledger/record.js';

/** A machine a dead run kept, as its ledger records it. */
export interface KeptMachine {
  readonly resource: Resource;
  /** The id the run recorded (a container id, a pid). */
  readonly id?: string;
  readonly mark: MachineMark;
  /** The run that kept it. */
  readonly runId: string;
}

/** What `adopt` recorded in this run's ledger: release each when cleanup removed it. */
export interface AdoptedMachine {
  /** The machine's record in this run's ledger. */
  readonly handle: LedgerHandle;
  /** The machine's mounts (and the run folders around them), innermost first, each recorded in this run's ledger. */
  readonly folders: readonly { readonly path: string; readonly handle: LedgerHandle }[];
  /** How many provisioners ran in it: the build goes on from the next. */
  readonly provisioners: number;
}

/**
 * Resolves undefined when `machine` can be resumed, else why not in a few words
 * (`it is gone`, `it is not running`).
 */
export type MachineCheck = (machine: KeptMachine, signal: AbortSignal) => Promise<string | undefined>;

export interface InPlaceResume {
  /** See the module comment; says in one line why a kept machine of this build is not used. */
  start(identity: string, check: MachineCheck, signal: AbortSignal): Promise<KeptMachine | undefined>;
  /**
   * Takes `machine` over: records it and its mounts in this run's ledger and settles the
   * dead run's records; undefined (and said why) when another process took it first.
   */
  adopt(machine: KeptMachine): AdoptedMachine | undefined;
  /** The ledger record of the machine being provisioned now (`mounts`: host folders it uses). */
  track(handle: LedgerHandle, mounts: readonly string[]): void;
}

/**
 * The plugin processes of one kiln command: started on demand (one per component
 * instance, as Packer does), kept while anything they serve may still be used (a
 * builder's or post-processor's artifact lives in its process), and all ended when the
 * command finishes — or, whatever happens, when kiln exits (see rpc/process.ts).
 */
import type { Ledger } from '../../sdk/ledger/ledger.js';
import { launchKey, PluginInstance, type Launch } from './instance.js';

/**
 * How many unconfigured instances of a component are kept starting ahead of demand once
 * a template has asked for a second instance of it. Core prepares components one after
 * another; a plugin takes ~100 ms from spawn to handshake, so starting the next few
 * while the current one is configured overlaps those waits (as Packer does not).
 */
const PREFETCH = 4;

/** How plugin processes of a command are started and ended. */
export class PluginHost {
  private readonly live = new Set<PluginInstance>();
  /** Unconfigured instances (started or starting) per launch key. */
  private readonly spares = new Map<string, Promise<PluginInstance | undefined>[]>();
  private readonly taken = new Map<string, number>();

  constructor(
    readonly env: NodeJS.ProcessEnv,
    /** PACKER_LOG lines (`<name> plugin: <line>`). */
    readonly log?: (line: string) => void,
    /** The run's ledger: each plugin process is recorded in it (kiln build). */
    readonly ledger?: Ledger,
  ) {}

  /** Starts a new instance of `launch`. */
  async start(launch: Launch): Promise<PluginInstance> {
    const inst = await PluginInstance.start(launch, this.env, this.log, this.ledger);
    this.live.add(inst);
    void inst.process.waitExit().then(() => this.live.delete(inst));
    return inst;
  }

  /**
   * An instance nobody has configured yet (the one that answered ConfigSpec, or one
   * started ahead), else a new one. From the second take of a component on, keeps
   * PREFETCH more starting.
   */
  async take(launch: Launch): Promise<PluginInstance> {
    const key = launchKey(launch);
    const count = (this.taken.get(key) ?? 0) + 1;
    this.taken.set(key, count);
    const queue = this.spares.get(key) ?? [];
    this.spares.set(key, queue);
    const next = queue.shift();
    if (count >= 2) {
      while (queue.length < PREFETCH) queue.push(this.start(launch).catch(() => undefined));
    }
    const inst = await next;
    if (inst && !inst.process.exited) return inst;
    return this.start(launch);
  }

  /** Keeps an unconfigured instance for the next `take` of the same component. */
  keepSpare(inst: PluginInstance): void {
    const key = launchKey(inst.launch);
    const queue = this.spares.get(key) ?? [];
    queue.unshift(Promise.resolve(inst));
    this.spares.set(key, queue);
  }

  /** Ends one instance. */
  async stop(inst: PluginInstance): Promise<void> {
    await inst.stop();
    this.live.delete(inst);
  }

  /** Ends every process this host started. */
  async stopAll(): Promise<void> {
    const starting = [...this.spares.values()].flat();
    this.spares.clear();
    await Promise.all(starting);
    await Promise.all([...this.live].map((i) => i.stop()));
    this.live.clear();
  }

  /** How many plugin processes are running now. */
  get running(): number {
    return this.live.size;
  }
}

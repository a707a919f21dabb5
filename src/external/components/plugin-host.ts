/**
 * The plugin processes of one kiln command: started on demand (one per component
 * instance, as Packer does), kept while anything they serve may still be used (a
 * builder's or post-processor's artifact lives in its process), and all ended when the
 * command finishes — or, whatever happens, when kiln exits (see rpc/process.ts).
 */
import { launchKey, PluginInstance, type Launch } from './instance.js';

/** How plugin processes of a command are started and ended. */
export class PluginHost {
  private readonly live = new Set<PluginInstance>();
  private readonly spares = new Map<string, PluginInstance>();

  constructor(
    readonly env: NodeJS.ProcessEnv,
    /** PACKER_LOG lines (`<name> plugin: <line>`). */
    readonly log?: (line: string) => void,
  ) {}

  /** Starts a new instance of `launch`. */
  async start(launch: Launch): Promise<PluginInstance> {
    const inst = await PluginInstance.start(launch, this.env, this.log);
    this.live.add(inst);
    void inst.process.waitExit().then(() => this.live.delete(inst));
    return inst;
  }

  /** An instance nobody has configured yet (the one that answered ConfigSpec), else a new one. */
  async take(launch: Launch): Promise<PluginInstance> {
    const key = launchKey(launch);
    const spare = this.spares.get(key);
    if (spare && !spare.process.exited) {
      this.spares.delete(key);
      return spare;
    }
    return this.start(launch);
  }

  /** Keeps an unconfigured instance for the next `take` of the same component. */
  keepSpare(inst: PluginInstance): void {
    const key = launchKey(inst.launch);
    const old = this.spares.get(key);
    this.spares.set(key, inst);
    if (old && old !== inst) void this.stop(old);
  }

  /** Ends one instance. */
  async stop(inst: PluginInstance): Promise<void> {
    await inst.stop();
    this.live.delete(inst);
  }

  /** Ends every process this host started. */
  async stopAll(): Promise<void> {
    this.spares.clear();
    await Promise.all([...this.live].map((i) => i.stop()));
    this.live.clear();
  }

  /** How many plugin processes are running now. */
  get running(): number {
    return this.live.size;
  }
}

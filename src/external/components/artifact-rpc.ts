/**
 * Artifacts across the process boundary (Packer's `Artifact` service): a plugin's
 * artifact as a kiln Artifact (read once when it arrives: kiln's Artifact is
 * synchronous), and a kiln artifact served to a plugin post-processor.
 */
import type { Artifact } from '../../sdk/artifact.js';
import { RpcClient } from '../rpc/net-rpc.js';
import type { YamuxStream } from '../rpc/yamux.js';
import { bodyError, type ServiceTable } from './serve.js';

/** The state names kiln asks a plugin artifact for up front. */
const KNOWN_STATES = ['generated_data', 'par.artifact.metadata'] as const;

/** Reads a plugin's artifact from its broker stream. `release` runs once it is destroyed. */
export async function pluginArtifact(stream: YamuxStream, label: string): Promise<Artifact> {
  const client = new RpcClient(stream, label);
  const str = async (m: string): Promise<string> => String((await client.call(`Artifact.${m}`)) ?? '');
  const [builderId, id, description, files, ...states] = await Promise.all([
    str('BuilderId'),
    str('Id'),
    str('String'),
    client.call('Artifact.Files'),
    ...KNOWN_STATES.map((s) => client.call('Artifact.State', s).catch(() => undefined)),
  ]);
  const stateMap = new Map<string, unknown>(KNOWN_STATES.map((s, i) => [s, states[i] ?? undefined]));
  return {
    builderId,
    id,
    files: Array.isArray(files) ? files.map(String) : [],
    describe: () => description,
    state: (name) => stateMap.get(name),
    destroy: async () => {
      const reply = await client.call('Artifact.Destroy');
      const err = bodyError(reply);
      if (err) throw new Error(err);
    },
  };
}

/** Adds `Artifact` serving a kiln artifact; errors travel in the rpc header, as Go clients need. */
export function addArtifactService(table: ServiceTable, artifact: Artifact): ServiceTable {
  return table.add('Artifact', {
    BuilderId: () => artifact.builderId,
    Id: () => artifact.id,
    String: () => artifact.describe(),
    Files: () => [...artifact.files],
    State: (name) => artifact.state(String(name)) ?? null,
    Destroy: async () => {
      await artifact.destroy();
      return null;
    },
  });
}

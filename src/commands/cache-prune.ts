/**
 * `kiln cache prune [-all] [-max-size SIZE] [-older-than AGE] [-dry-run] [-cache-dir DIR]`:
 * removes step cache entries least recently used first (core/cache/prune.ts), each with
 * its descendants and its snapshot (the files named by its key in `layers/`, and a
 * docker step image); never one a running build uses. Exit 1 on a bad flag or when a
 * removal failed.
 */
import { cacheDir } from '../core/cache/paths.js';
import { applyPrune, parseAge, parseSize, planPrune, type PrunePolicy } from '../core/cache/prune.js';
import { leasedKeys } from '../core/cache/locks.js';
import { listUnnamedLayers } from '../core/cache/prune-layers.js';
import { StepStore } from '../core/cache/store.js';
import type { SnapshotRef } from '../sdk/component.js';
import { DockerDriver } from '../sdk/docker/driver.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';
import { humanBytes } from './cache-ls.js';

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.flags.values;
  const maxSize = v.get('max-size') as string | undefined;
  const olderThan = v.get('older-than') as string | undefined;
  const policy: { -readonly [K in keyof PrunePolicy]: PrunePolicy[K] } = { all: v.get('all') === true };
  if (maxSize !== undefined) {
    const bytes = parseSize(maxSize);
    if (bytes === undefined) return usage(ctx, `invalid -max-size "${maxSize}": use a size such as 10GiB, 500MB or a number of bytes`);
    policy.maxBytes = bytes;
  }
  if (olderThan !== undefined) {
    const ms = parseAge(olderThan);
    if (ms === undefined) return usage(ctx, `invalid -older-than "${olderThan}": use an age such as 7d, 12h or 1d12h`);
    policy.olderThanMs = ms;
  }
  if (!policy.all && policy.maxBytes === undefined && policy.olderThanMs === undefined) return usage(ctx, 'say what to remove: -all, -max-size or -older-than');
  const dir = cacheDir(v.get('cache-dir') as string | undefined, ctx.env);
  const store = new StepStore(dir);
  const entries = store.list().entries;
  const plan = planPrune(entries, leasedKeys(dir), policy, listUnnamedLayers(dir, entries));
  for (const e of plan.leased) ctx.stdout(`${e.entry.key.slice(0, 12)} ${e.entry.build} step ${e.entry.index}: in use by a running build; kept\n`);
  const verb = v.get('dry-run') === true ? 'would remove' : 'removed';
  if (v.get('dry-run') !== true) {
    const problems = await applyPrune(store, plan, removeDockerImage(ctx.env));
    for (const p of problems) ctx.stderr(`${p}\n`);
    if (problems.length > 0) return EXIT.error;
  }
  for (const e of plan.remove) ctx.stdout(`${e.entry.key.slice(0, 12)} ${e.entry.build} step ${e.entry.index} (${e.entry.component}): ${verb}\n`);
  for (const l of plan.layers) ctx.stdout(`${l.key.slice(0, 12)} layer without an entry (a qemu base layer), ${humanBytes(l.bytes)}: ${verb}\n`);
  const layers = plan.layers.length > 0 ? ` and ${plan.layers.length} base layer${plan.layers.length === 1 ? '' : 's'}` : '';
  ctx.stdout(`${verb === 'removed' ? 'Removed' : 'Would remove'} ${plan.remove.length} entries${layers}, ${humanBytes(plan.freedBytes)} of ${humanBytes(plan.totalBytes)}\n`);
  return EXIT.ok;
}

function usage(ctx: CommandContext, message: string): number {
  ctx.stderr(`kiln cache prune: ${message}\n`);
  return EXIT.error;
}

/**
 * A docker step image goes with `docker rmi` (an image already gone is fine). An entry
 * recorded for a step pulled with -cache-from names the registry's image; the pulled
 * copy is `kiln-cache:<key>` in the engine, so that goes too.
 */
function removeDockerImage(env: NodeJS.ProcessEnv): (ref: SnapshotRef, key: string) => Promise<string | undefined> {
  let driver: DockerDriver | undefined;
  return async (ref, key) => {
    if (ref.builderType !== 'docker') return undefined;
    driver ??= new DockerDriver(env['DOCKER_HOST'] ? { host: env['DOCKER_HOST'] } : {});
    for (const id of new Set([ref.id, `kiln-cache:${key}`])) {
      const gone = await driver.findImage(id);
      if (gone.kind === 'ok' && gone.value === undefined) continue;
      const r = await driver.deleteImage(id);
      if (r.kind === 'error') return r.message;
    }
    return undefined;
  };
}

/**
 * `kiln cache ls [-cache-dir DIR]`: the step cache's entries, one a line — key (12),
 * build, step, component, snapshot size, recorded and last used — oldest use first,
 * then the total; corrupt entry files are named on standard error.
 */
import { cacheDir } from '../core/cache/paths.js';
import { entryBytes } from '../core/cache/prune.js';
import { StepStore } from '../core/cache/store.js';
import type { CommandContext } from './command.js';
import { EXIT } from './command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const dir = cacheDir(ctx.flags.values.get('cache-dir') as string | undefined, ctx.env);
  const { entries, corrupt } = new StepStore(dir).list();
  for (const c of corrupt) ctx.stderr(`corrupt entry ${c.file}: ${c.reason}\n`);
  if (entries.length === 0) {
    ctx.stdout(`The step cache ${dir} is empty.\n`);
    return EXIT.ok;
  }
  const rows = entries
    .sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime())
    .map((e) => [e.entry.key.slice(0, 12), e.entry.build, String(e.entry.index), e.entry.component, e.entry.snapshot.builderType, humanBytes(entryBytes(e)), e.entry.created.slice(0, 19).replace('T', ' '), e.lastUsed.toISOString().slice(0, 19).replace('T', ' ')]);
  const head = ['KEY', 'BUILD', 'STEP', 'TYPE', 'SNAPSHOT', 'SIZE', 'CREATED', 'LAST USED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`;
  ctx.stdout(line(head));
  for (const r of rows) ctx.stdout(line(r));
  ctx.stdout(`${entries.length} entries, ${humanBytes(entries.reduce((n, e) => n + entryBytes(e), 0))} in ${dir}\n`);
  return EXIT.ok;
}

/** `1.2 GiB`, `524 MiB`, `900 B`. */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

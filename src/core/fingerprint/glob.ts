/**
 * Globs in the side file's `inputs` (`"../shared-roles/**"`, `"files/*.tar"`): what they
 * match, so a glob enters a key by the files it matches — their sorted names, modes and
 * contents — never by its text (Earthly's auto-skip keyed globbed inputs by pattern and
 * served stale results, earthly#4046).
 *
 * The syntax is `fileset()`'s (HCL's doublestar globs, `hcl/functions/glob.ts`): per
 * `/`-separated segment `*`, `?`, `[a-z]` / `[!a]` classes and `{a,b}` alternatives, and
 * `**` as a whole segment for any number of folders (none included). A glob keys the
 * files, links and other non-folders it matches (a folder's content is matched by
 * `dir/**`); names starting with a dot are matched like any other, so nothing the step
 * may read is left out by accident. `**` does not walk into linked folders.
 */
import type { Stats } from 'node:fs';
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { DigestCache, DigestEntry } from './files.js';
import { digestPath } from './files.js';
import { BadPatternError, globSync } from '../../hcl/functions/glob.js';
import type { FingerprintInput } from './record.js';

/** Whether an `inputs` entry is a glob rather than a path: it has `*`, `?`, `[` or `{`. */
export function isGlob(entry: string): boolean {
  return /[*?[{]/.test(entry);
}

/**
 * What `pattern` matches under `dir` (the side file's folder), sorted by shown path (relative
 * to `dir`, `/`-separated, or absolute for an absolute pattern);
 * undefined when the pattern is malformed (an unclosed `[` or `{`, a trailing `\\`).
 * Synchronous, so the side file's reader can say at once that a glob matches nothing.
 */
export function expandGlob(dir: string, pattern: string): DigestEntry[] | undefined {
  let found: string[];
  try {
    // fileset()'s `**` at the end matches folders only; here `dir/**` means every file below dir.
    const full = path.resolve(dir, pattern);
    found = globSync(full.endsWith('/**') ? `${full}/*` : full);
  } catch (e) {
    if (e instanceof BadPatternError) return undefined;
    throw e;
  }
  const out: DigestEntry[] = [];
  for (const full of found) {
    let st: Stats;
    try {
      st = lstatSync(full);
    } catch {
      continue;
    }
    if (!st.isDirectory()) out.push({ shown: path.isAbsolute(pattern) ? full : path.relative(dir, full), full, st });
  }
  return out.sort((x, y) => (x.shown < y.shown ? -1 : x.shown > y.shown ? 1 : 0));
}

/** A glob's digest and its matches. */
export interface GlobDigest {
  /** `glob:<hex>`: the digest over the sorted matched paths, modes and contents. */
  readonly digest: string;
  readonly matched: FingerprintInput[];
}

/**
 * What `pattern` matches under `dir`, keyed by the matched set and contents: `glob:` and
 * the sha256 over the lines `<shown> <mode> <digest>` of the sorted matches (a link's
 * digest is its target's), and each match as an input of its own. Nothing matched is
 * `glob:` over no lines — the side file's reader has already said so.
 */
export async function digestGlob(dir: string, pattern: string, cache?: DigestCache): Promise<GlobDigest> {
  const found = expandGlob(dir, pattern) ?? [];
  const matched = await Promise.all(found.map(async (m): Promise<FingerprintInput> => ({ path: m.shown, value: await digestPath(m.full, cache), file: true })));
  const lines = found.map((m, i) => `${m.shown} ${(m.st.mode & 0o7777).toString(8)} ${matched[i]?.value ?? ''}`);
  return { digest: `glob:${createHash('sha256').update(lines.join('\n')).digest('hex')}`, matched };
}


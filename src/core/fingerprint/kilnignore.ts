/**
 * `.kilnignore`: files a folder's digest leaves out (reference §2.2), in gitignore's
 * syntax — `#` comments, `!` negation, a trailing `/` for folders only, `*`, `**`, and
 * a leading `/` anchoring a pattern to the file's own folder. Matching is the `ignore`
 * package's (the gitignore matcher eslint and prettier use).
 *
 * Two files count for a folder hashed whole (a `file` provisioner's source folder, a
 * folder in kiln.hcl's `inputs`):
 * - `.kilnignore` at the root of that folder, its patterns relative to it;
 * - `.kilnignore` in the template's folder, its patterns relative to the template's
 *   folder, when the hashed folder lies inside it.
 * Where both have a verdict for a path, the folder's own wins (as a nested .gitignore
 * does). An ignored folder is not walked, so a file inside it cannot be brought back
 * (as in git). The files themselves are hashed like any other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';

/** The name of the file. */
export const KILNIGNORE = '.kilnignore';

interface Rules {
  readonly dir: string;
  readonly matcher: Ignore;
}

/** Whether the entry at `full` (absolute; `isDir`: a folder, not a link to one) is left out of the digest. */
export type IgnoredTest = (full: string, isDir: boolean) => boolean;

/**
 * The test for the folder `root` (absolute), with the template's folder `templateDir`
 * when known; undefined when no `.kilnignore` applies. An unreadable file is as none.
 */
export function kilnignoreFor(root: string, templateDir?: string): IgnoredTest | undefined {
  const all: Rules[] = [];
  const own = load(root);
  if (templateDir !== undefined) {
    const rel = path.relative(templateDir, root);
    const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    const outer = inside ? load(templateDir) : undefined;
    if (outer) all.push(outer);
  }
  if (own) all.push(own);
  if (all.length === 0) return undefined;
  // Deepest first: the first file with a verdict decides.
  all.reverse();
  return (full, isDir) => {
    for (const r of all) {
      const rel = path.relative(r.dir, full).split(path.sep).join('/');
      const verdict = r.matcher.test(isDir ? `${rel}/` : rel);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  };
}

function load(dir: string): Rules | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, KILNIGNORE), 'utf8');
  } catch {
    return undefined;
  }
  return { dir, matcher: ignore().add(text) };
}

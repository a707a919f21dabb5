/**
 * The external test data in `../shared/` beside the checkout (conformance vectors,
 * the template corpus, references). A test that cannot find it fails loudly: it
 * never skips. `KILN_SHARED` overrides the location.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of `parts` inside the shared data folder; throws a clear error when missing. */
export function sharedPath(...parts: string[]): string {
  const root = process.env['KILN_SHARED'] ?? path.resolve(REPO_ROOT, '..', 'shared');
  const full = path.join(root, ...parts);
  if (!existsSync(full)) {
    throw new Error(
      `kiln test data not found: ${full}\n` +
        `The tests read ../shared/ beside the checkout (or the folder in KILN_SHARED). ` +
        `Clone or copy the shared data there; tests never skip without it.`,
    );
  }
  return full;
}

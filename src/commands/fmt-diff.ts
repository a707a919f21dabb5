/**
 * The unified diff `fmt -diff` prints. Packer runs the system `diff -u` on two
 * temporary files with `old/PATH` and `new/PATH` labels; doing the same gives the
 * same hunks byte for byte, including `\ No newline at end of file`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The diff text, or an error message when `diff` could not be run. */
export type DiffResult = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'error'; readonly message: string };

/** Unified diff of `before` → `after`, labelled with `file` (as given on the command line). */
export function unifiedDiff(before: string, after: string, file: string): DiffResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-fmt-'));
  try {
    const a = path.join(dir, 'old');
    const b = path.join(dir, 'new');
    writeFileSync(a, before);
    writeFileSync(b, after);
    const r = spawnSync('diff', [`--label=old/${file}`, `--label=new/${file}`, '-u', a, b], { encoding: 'utf8', maxBuffer: 1 << 30 });
    // Like Go's CombinedOutput: stdout and stderr together; a non-zero exit with
    // output is the normal "files differ".
    const text = (r.stdout ?? '') + (r.stderr ?? '');
    if (text.length > 0) return { kind: 'ok', text };
    if (r.error) return { kind: 'error', message: `exec: "diff": ${r.error.message}` };
    return { kind: 'ok', text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

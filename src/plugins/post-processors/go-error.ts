/**
 * Node's file-system errors in the shape of Go's `*fs.PathError` text
 * (`open /x/y: no such file or directory`), which Packer's messages embed.
 */
export function goPathError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as NodeJS.ErrnoException;
  if (e.syscall === undefined || e.path === undefined) return e.message;
  // Node: "ENOENT: no such file or directory, open '/x/y'"; Go: "open /x/y: no such file or directory".
  const m = /^[A-Z0-9_]+: (.*?), [a-z_]+\b/.exec(e.message);
  const description = m?.[1] ?? e.code ?? e.message;
  return `${GO_OP[e.syscall] ?? e.syscall} ${e.path}: ${description}`;
}

/** Node's syscall names where Go's operation names differ. */
const GO_OP: Readonly<Record<string, string>> = { lstat: 'lstat', fstat: 'stat', scandir: 'open', rmdir: 'remove', unlink: 'remove' };

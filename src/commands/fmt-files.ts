/**
 * What `fmt` does to the paths it is given (Packer's `HCL2Formatter`): walk files and
 * directories, refuse files that do not parse, format the rest, print each changed
 * file's name, and write, diff or only count the changes. Failures become
 * diagnostics; the walk goes on past them, as Packer's does.
 */
import type { Dirent } from 'node:fs';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../hcl/diagnostic.js';
import { errorDiag } from '../hcl/diagnostic.js';
import { lexConfig } from '../hcl/syntax/lex.js';
import { parseConfigTokens } from '../hcl/syntax/parse.js';
import { formatTokens } from '../hcl/write/format-tokens.js';
import { diagnosticError } from '../hcl/diagnostic.js';
import { multiErrorText } from './fmt-diagnostics.js';
import { unifiedDiff } from './fmt-diff.js';

export interface FmtOptions {
  /** Print a unified diff of each change (turned off for good once `-` is read, as in Packer). */
  showDiff: boolean;
  /** Rewrite changed files; for `-`, print the formatted text. */
  readonly write: boolean;
  /** Descend into subdirectories of a directory argument. */
  readonly recursive: boolean;
  /** Relative paths are resolved against this folder. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly readStdin: () => Buffer;
}

export interface FmtOutcome {
  /** Total bytes of formatted output for the files that changed; 0 means nothing would change. */
  bytesModified: number;
  readonly diagnostics: Diagnostic[];
}

/** Formats `paths` (files, directories, or `-` for standard input) in order. */
export function formatPaths(paths: readonly string[], options: FmtOptions): FmtOutcome {
  const outcome: FmtOutcome = { bytesModified: 0, diagnostics: [] };
  walk(paths, options, outcome);
  return outcome;
}

function walk(paths: readonly string[], options: FmtOptions, outcome: FmtOutcome): void {
  for (const file of paths) {
    const full = path.resolve(options.cwd, file);
    let isDir = false;
    try {
      isDir = file !== '-' && statSync(full).isDirectory();
    } catch {
      // A path that cannot be stat'ed is treated as a file, which reports the problem.
    }
    if (!isDir) {
      formatFile(file, options, outcome);
      continue;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(full, { withFileTypes: true }).sort(byName);
    } catch (err) {
      outcome.diagnostics.push(errorDiag('Cannot read hcl directory', goError('open', file, err)));
      // Packer stops at an unreadable directory, skipping the paths after it.
      return;
    }
    for (const entry of entries) {
      if (isIgnored(entry.name)) continue;
      const child = path.join(file, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive) walk([child], options, outcome);
      } else if (isHclFile(child)) {
        formatFile(child, options, outcome);
      }
    }
  }
}

/** Go's os.ReadDir order: by name, bytewise. */
function byName(a: Dirent, b: Dirent): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

/** Editor and hidden files in directory listings: dotfiles, `foo~`, `#foo#`. */
function isIgnored(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

function isHclFile(file: string): boolean {
  return file.endsWith('.pkr.hcl') || file.endsWith('.pkrvars.hcl');
}

function formatFile(file: string, options: FmtOptions, outcome: FmtOutcome): void {
  const r = processFile(file, options);
  if (r.error !== undefined) {
    outcome.diagnostics.push(errorDiag(`encountered an error while formatting ${file}`, r.error));
  }
  outcome.bytesModified += r.bytes;
}

interface Processed {
  /** Bytes of formatted output when the file changed, else 0. */
  readonly bytes: number;
  /** The Go error text when formatting failed. */
  readonly error?: string;
}

function processFile(file: string, options: FmtOptions): Processed {
  const stdin = file === '-';
  if (!stdin && !isHclFile(file)) return { bytes: 0, error: `file ${file} is not a HCL file` };
  const read = readSource(file, options);
  if (read.kind === 'error') return { bytes: 0, error: read.error };
  if (stdin) options.showDiff = false;
  const input = read.text;
  const lexed = lexConfig(input, file);
  const errors = syntaxErrors(file, parseConfigTokens(lexed).diagnostics, read.bytes, input);
  if (errors.length > 0) return { bytes: 0, error: multiErrorText(errors) };
  const output = formatTokens(lexed.tokens);
  if (output === input) {
    if (stdin) options.stdout(output);
    return { bytes: 0 };
  }
  if (!stdin) options.stdout(`${file}\n`);
  if (options.write) {
    if (stdin) options.stdout(output);
    else {
      try {
        writeFileSync(path.resolve(options.cwd, file), output, { mode: 0o644 });
      } catch (err) {
        return { bytes: 0, error: goError('open', file, err) };
      }
    }
  }
  const bytes = Buffer.byteLength(output);
  if (options.showDiff) {
    const diff = unifiedDiff(input, output, file);
    if (diff.kind === 'error') return { bytes, error: `failed to generate diff for ${file}: ${diff.message}` };
    options.stdout(diff.text);
  }
  return { bytes };
}

type Source = { readonly kind: 'ok'; readonly text: string; readonly bytes: Buffer } | { readonly kind: 'error'; readonly error: string };

function readSource(file: string, options: FmtOptions): Source {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? options.readStdin() : readFileSync(path.resolve(options.cwd, file));
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EISDIR') return { kind: 'error', error: `failed to read ${file}: ${goError('read', file, err)}` };
    return { kind: 'error', error: `failed to open ${file}: ${goError('open', file, err)}` };
  }
  return { kind: 'ok', text: bytes.toString('utf8'), bytes };
}

/** The parse errors that make `fmt` refuse a file, as Go error strings (`diags.Errs()`). */
function syntaxErrors(file: string, diags: readonly Diagnostic[], bytes: Buffer, text: string): string[] {
  const errors = diags.filter((d) => d.severity === 'error').map(diagnosticError);
  // Invalid UTF-8 cannot survive decoding; refuse rather than rewrite the bytes.
  if (errors.length === 0 && text.includes('\ufffd') && !Buffer.from(text).equals(bytes)) {
    errors.push(`${file}: Invalid character encoding; All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.`);
  }
  return errors;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** A Node file-system error as Go's `*PathError` prints it: `open FILE: no such file or directory`. */
function goError(op: string, file: string, err: unknown): string {
  const code = errorCode(err);
  const text = code !== undefined ? ERRNO_TEXT[code] : undefined;
  return `${op} ${file}: ${text ?? (err instanceof Error ? err.message : String(err))}`;
}

/**
 * What the `ssh*` end-to-end tests share: `bin/kiln build` run asynchronously (the
 * test servers need the event loop while it runs, and a test may act on a line of
 * output, such as "rebooting"), templates for the `null` builder over SSH, and a
 * remote folder the test user may write. The machine is this one: "remote" paths are
 * local paths owned by the test user.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/shared.js';
import type { TestServer, TestUser } from '../support/sshd.js';

const bin = path.join(REPO_ROOT, 'bin', 'kiln');

export interface KilnRun {
  readonly status: number | null;
  /** stdout and stderr, in arrival order. */
  readonly out: string;
}

export interface KilnOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Called with every output line as it arrives. */
  readonly onLine?: (line: string) => void;
  readonly timeoutMs?: number;
}

/** `kiln build -color=false .` in `dir`; resolves when it exits (killed after `timeoutMs`, default 3 min). */
export function kilnBuild(dir: string, opts: KilnOptions = {}): Promise<KilnRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['build', '-color=false', '.'], {
      cwd: dir,
      env: { ...process.env, PACKER_NO_COLOR: '1', CHECKPOINT_DISABLE: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let partial = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      partial += d.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) opts.onLine?.(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

/** A fresh folder under the OS temp dir; `owner` makes it the test user's (a "remote" folder). */
export function tempFolder(prefix: string, owner?: TestUser): string {
  const dir = mkdtempSync(path.join(tmpdir(), `kiln-e2e-${prefix}-`));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  return dir;
}

/** Writes `build.pkr.hcl` into a new folder under `parent` and returns the folder. */
export function writeTemplate(parent: string, name: string, text: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'build.pkr.hcl'), text);
  return dir;
}

export type HclValue = string | number | boolean | readonly string[];

function hclValue(v: HclValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/** An HCL block body from attributes, two-space indented. */
export function hclAttrs(attrs: Readonly<Record<string, HclValue>>): string {
  return Object.entries(attrs)
    .map(([k, v]) => `  ${k} = ${hclValue(v)}`)
    .join('\n');
}

export type SshAuth = 'password' | 'key';

/**
 * A `null` source that reaches `server` over SSH as the test user; `extra` adds or
 * overrides attributes (`ssh_port`, `ssh_timeout`, `ssh_file_transfer_method`...).
 */
export function nullSshSource(name: string, server: TestServer | { host: string; port: number }, user: TestUser, auth: SshAuth, extra: Readonly<Record<string, HclValue>> = {}): string {
  const attrs: Record<string, HclValue> = {
    communicator: 'ssh',
    ssh_host: server.host,
    ssh_port: server.port,
    ssh_username: user.name,
    ...(auth === 'password' ? { ssh_password: user.password } : { ssh_private_key_file: user.privateKeyPath }),
    ...extra,
  };
  return `source "null" "${name}" {\n${hclAttrs(attrs)}\n}\n`;
}

/** A provisioner block. */
export function provisioner(type: string, attrs: Readonly<Record<string, HclValue>>): string {
  return `  provisioner "${type}" {\n${hclAttrs(attrs).replace(/^/gm, '  ')}\n  }\n`;
}

/** A template: the sources, then one build over all of them with `provisioners`. */
export function template(sources: readonly string[], names: readonly string[], provisioners: readonly string[]): string {
  return `${sources.join('\n')}\nbuild {\n  sources = [${names.map((n) => `"source.null.${n}"`).join(', ')}]\n${provisioners.join('')}}\n`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Relative paths of the regular files under `dir` (sorted) with their contents' sha256. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out[r] = createHash('sha256').update(readFileSync(path.join(d, e.name))).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

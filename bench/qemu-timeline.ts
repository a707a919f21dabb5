/**
 * Where a qemu build's seconds go: runs one build with the guest's serial console on a
 * unix socket this process listens on (`-serial unix:...` added to qemuargs), and
 * stamps, in milliseconds from the spawn, every line the tool prints, every line the
 * guest prints (its `base: up <uptime>s` line dates the kernel's start), and every
 * process the tool starts (its descendants, seen by polling /proc every 10 ms:
 * qemu-img, QEMU, Packer's plugin processes). Used by bench/qemu.ts for kiln and
 * packer alike, so the two timelines line up.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';

export interface TimelineEvent {
  /** Milliseconds since the tool was spawned. */
  readonly at: number;
  readonly source: 'out' | 'guest' | 'proc' | 'exit';
  readonly text: string;
}

/** Runs `argv` in `cwd` and resolves with its timeline once it exits; rejects when it fails. */
export async function traceRun(argv: readonly string[], cwd: string, env: Readonly<Record<string, string>>, serialSocket: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  const t0 = process.hrtime.bigint();
  const now = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(serialSocket, { force: true });
  const server = net.createServer((sock) => lines(sock, (text) => events.push({ at: now(), source: 'guest', text })));
  await new Promise<void>((resolve) => server.listen(serialSocket, resolve));
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty command');
  const child = spawn(file, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  lines(child.stdout, (text) => events.push({ at: now(), source: 'out', text }));
  const seen = new Set<number>();
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    for (const p of descendants(child.pid)) {
      if (seen.has(p.pid)) continue;
      seen.add(p.pid);
      events.push({ at: now(), source: 'proc', text: `${p.comm} (pid ${p.pid})${p.comm.startsWith('qemu') ? `: ${commandLine(p.pid)}` : ''}` });
    }
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  events.push({ at: now(), source: 'exit', text: `exit ${String(code)}` });
  server.close();
  rmSync(serialSocket, { force: true });
  if (code !== 0) throw new Error(`${argv.join(' ')} failed (exit ${String(code)}): ${stderr.slice(0, 500)}`);
  return events.sort((a, b) => a.at - b.at);
}

function lines(stream: NodeJS.ReadableStream, onLine: (text: string) => void): void {
  let buf = '';
  stream.on('data', (c: Buffer | string) => {
    buf += c.toString();
    let nl: number;
    while ((nl = buf.search(/\r?\n/)) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(buf[nl] === '\r' ? nl + 2 : nl + 1);
      if (line !== '') onLine(line);
    }
  });
}

/** A process's command line, arguments joined by spaces ('' once it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The live descendants of `root` (pid and command name), from /proc. */
function descendants(root: number): { pid: number; comm: string }[] {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      comm.set(pid, stat.slice(stat.indexOf('(') + 1, close));
      parent.set(pid, Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: { pid: number; comm: string }[] = [];
  for (const [pid, ppid] of parent) {
    let p: number | undefined = ppid;
    for (let depth = 0; p !== undefined && p > 1 && depth < 10; depth++, p = parent.get(p)) {
      if (p === root) {
        out.push({ pid, comm: comm.get(pid) ?? '?' });
        break;
      }
    }
  }
  return out;
}

/**
 * The kernel's start on the tool's clock: the arrival of `base: up <s>s` minus that
 * uptime; undefined when it does not fall between the boot loader's banner and that
 * line (on a heavily loaded host the guest's clock jumps ahead under TCG).
 */
export function kernelStart(events: readonly TimelineEvent[]): number | undefined {
  const loader = events.find((e) => e.source === 'guest' && e.text.startsWith('SYSLINUX'))?.at ?? 0;
  for (const e of events) {
    const m = e.source === 'guest' ? /base: up ([\d.]+)s/.exec(e.text) : null;
    if (!m) continue;
    const at = e.at - Number(m[1]) * 1000;
    return at >= loader && at <= e.at ? at : undefined;
  }
  return undefined;
}

/** The events as aligned lines, with the gap since the previous event. */
export function formatTimeline(label: string, events: readonly TimelineEvent[]): string {
  const out = [`timeline of ${label} (ms from spawn, +gap, source, line):`];
  let last = 0;
  const k = kernelStart(events);
  const all = k === undefined ? events : [...events, { at: k, source: 'guest' as const, text: '(kernel start, from the guest uptime in `base: up`)' }].sort((a, b) => a.at - b.at);
  for (const e of all) {
    out.push(`${e.at.toFixed(0).padStart(7)} ${`+${(e.at - last).toFixed(0)}`.padStart(7)}  ${e.source.padEnd(5)} ${e.source === 'proc' ? e.text : e.text.slice(0, 110)}`);
    last = e.at;
  }
  return out.join('\n');
}

/** The phases of a qemu build, each from the previous mark to its own (ms). */
const MARKS: readonly { readonly name: string; readonly find: (e: TimelineEvent) => boolean }[] = [
  { name: 'process start to first output (runtime, module load, template)', find: (e) => e.source === 'out' },
  { name: 'to qemu-img create', find: (e) => e.source === 'proc' && e.text.startsWith('qemu-img') },
  { name: 'to QEMU spawn', find: (e) => e.source === 'proc' && e.text.startsWith('qemu-system') && !e.text.endsWith('-version') },
  { name: 'firmware to boot loader (SYSLINUX banner)', find: (e) => e.source === 'guest' && e.text.startsWith('SYSLINUX') },
  { name: 'boot loader to kernel start (guest uptime; - if unreliable)', find: (e) => e.text.startsWith('(kernel start') },
  { name: 'to init up (base: up: kernel booted, SSH server started)', find: (e) => e.source === 'guest' && e.text.startsWith('base: up') },
  { name: 'to SSH connected', find: (e) => e.source === 'out' && e.text.includes('Connected to SSH!') },
  { name: 'shell provisioner', find: (e) => e.source === 'out' && e.text.includes('Gracefully halting') },
  { name: 'guest shutdown (to power down)', find: (e) => e.source === 'guest' && e.text.includes('reboot: Power down') },
  { name: 'to build finished line', find: (e) => e.source === 'out' && /^Build '.*' finished/.test(e.text) },
  { name: 'to process exit', find: (e) => e.source === 'exit' },
];

/** Per-phase durations of a timeline (a phase whose mark is missing is left out). */
export function phases(events: readonly TimelineEvent[]): Map<string, number> {
  const k = kernelStart(events);
  const all = k === undefined ? events : [...events, { at: k, source: 'guest' as const, text: '(kernel start' }].sort((a, b) => a.at - b.at);
  const out = new Map<string, number>();
  let last = 0;
  for (const m of MARKS) {
    const e = all.find((x) => x.at >= last && m.find(x)) ?? all.find(m.find);
    if (!e) continue;
    out.set(m.name, e.at - last);
    last = e.at;
  }
  return out;
}

/** The tools' phases side by side, one row a phase, with the difference. */
export function formatPhases(a: { label: string; events: readonly TimelineEvent[] }, b: { label: string; events: readonly TimelineEvent[] }): string {
  const pa = phases(a.events);
  const pb = phases(b.events);
  const rows = [`${'phase (ms)'.padEnd(66)} ${a.label.padStart(8)} ${b.label.padStart(8)} ${'diff'.padStart(7)}`];
  for (const m of MARKS) {
    const x = pa.get(m.name);
    const y = pb.get(m.name);
    const cell = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0)).padStart(8);
    rows.push(`${m.name.padEnd(66)} ${cell(x)} ${cell(y)} ${(x !== undefined && y !== undefined ? (x - y).toFixed(0) : '-').padStart(7)}`);
  }
  const total = (evs: readonly TimelineEvent[]) => evs[evs.length - 1]?.at ?? 0;
  rows.push(`${'total'.padEnd(66)} ${total(a.events).toFixed(0).padStart(8)} ${total(b.events).toFixed(0).padStart(8)} ${(total(a.events) - total(b.events)).toFixed(0).padStart(7)}`);
  return rows.join('\n');
}

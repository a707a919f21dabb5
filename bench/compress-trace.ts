/**
 * Where a compress run's time goes, seen from outside: `compress-trace.ts <command...>`
 * runs the command and samples, every 10 ms, the CPU time (utime + stime from
 * /proc/<pid>/task/<tid>/stat, 10 ms ticks) of every thread of it and its descendants,
 * and the whole machine's busy time (/proc/stat). It prints a timeline in 100 ms
 * buckets — the command's cores in use, the main thread's share, the machine's busy
 * cores outside the command (others' load, kernel writeback) — then each thread's
 * total. A bucket where the command uses well under two cores while the machine is not
 * busy elsewhere is time the command waited. `npm run bench -- compress` measures; this
 * only explains.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const HZ = 100;
const BUCKET_MS = 100;

interface ThreadTicks {
  readonly name: string;
  readonly ticks: number;
}

/** Adds `pid`'s threads (name, CPU ticks) to `out` as `pid/tid`; returns their tids. */
function tasksOf(pid: number | string, out: Map<string, ThreadTicks>): string[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${pid}/${tid}`, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return tids;
}

/** Every thread of `root` and of its descendants. */
function threads(root: number): Map<string, ThreadTicks> {
  const out = new Map<string, ThreadTicks>();
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    const pid = pids[i] as number;
    for (const tid of tasksOf(pid, out)) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c.trim()) pids.push(Number(c));
      } catch {
        // No children file (thread gone).
      }
    }
  }
  return out;
}

/** The machine's busy and total jiffies so far (all CPUs). */
function machine(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** Every thread on the machine. */
function everyThread(): Map<string, ThreadTicks> {
  const out = new Map<string, ThreadTicks>();
  for (const p of readdirSync('/proc')) if (/^[0-9]+$/.test(p)) tasksOf(p, out);
  return out;
}

const argv = process.argv.slice(2);
const before = everyThread();
if (argv.length === 0) throw new Error('usage: compress-trace.ts <command> [args...]');
const start = performance.now();
const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const pid = child.pid as number;
interface Sample {
  readonly t: number;
  readonly threads: Map<string, ThreadTicks>;
  readonly machine: { busy: number; total: number };
}
const samples: Sample[] = [];
const last = new Map<string, ThreadTicks>();
let done = false;
child.on('exit', () => {
  done = true;
});
while (!done) {
  const ts = threads(pid);
  for (const [k, v] of ts) last.set(k, v);
  samples.push({ t: performance.now() - start, threads: ts, machine: machine() });
  await new Promise((r) => setTimeout(r, 10));
}
const wall = performance.now() - start;
const after = everyThread();

// Timeline: per bucket, the command's cores, the main thread's, and others' on the machine.
const main = `${pid}/${pid}`;
/** CPU ms from `a` to `b` of the threads in `b` (of `key` only if given); a thread new in `b` counts from 0. */
const cpuBetween = (a: Sample, b: Sample, key?: string): number => {
  let sum = 0;
  for (const [k, v] of b.threads) if (!key || k === key) sum += Math.max(0, v.ticks - (a.threads.get(k)?.ticks ?? 0));
  return sum * (1000 / HZ);
};
console.log('t(ms)   cmd-cores main-core other-cores(machine)');
let prev = samples[0];
for (let b = BUCKET_MS; prev && b <= wall + BUCKET_MS; b += BUCKET_MS) {
  const cur = [...samples].reverse().find((s) => s.t <= b) ?? prev;
  const dt = cur.t - prev.t;
  if (dt <= 0) continue;
  const cmd = cpuBetween(prev, cur) / dt;
  const m = cpuBetween(prev, cur, main) / dt;
  const busyMs = ((cur.machine.busy - prev.machine.busy) * 1000) / HZ;
  const others = Math.max(0, busyMs / dt - cmd);
  console.log(`${String(Math.round(cur.t)).padStart(6)}  ${cmd.toFixed(2).padStart(5)} ${'#'.repeat(Math.round(cmd * 10)).padEnd(20)} ${m.toFixed(2)}  ${others.toFixed(2)}`);
  prev = cur;
}
const totals = [...last].map(([k, v]) => ({ k, name: v.name, ms: v.ticks * (1000 / HZ) })).filter((x) => x.ms > 0);
totals.sort((a, b) => b.ms - a.ms);
const cpu = totals.reduce((a, b) => a + b.ms, 0);
console.log(`wall ${Math.round(wall)} ms, cpu ${cpu} ms (parallelism ${(cpu / wall).toFixed(2)})`);
for (const x of totals) console.log(`  ${x.k.padEnd(14)} ${x.name.padEnd(16)} ${x.ms} ms${x.k === main ? ' (main)' : ''}`);
const mine = new Set(last.keys());
const elsewhere = [...after]
  .filter(([k]) => !mine.has(k) && !k.startsWith(`${process.pid}/`))
  .map(([k, v]) => ({ k, name: v.name, ms: (v.ticks - (before.get(k)?.ticks ?? 0)) * (1000 / HZ) }))
  .filter((x) => x.ms > 0)
  .sort((a, b) => b.ms - a.ms);
console.log(`other threads on the machine meanwhile: ${elsewhere.reduce((a, b) => a + b.ms, 0)} ms`);
for (const x of elsewhere.slice(0, 12)) console.log(`  ${x.k.padEnd(14)} ${x.name.padEnd(16)} ${x.ms} ms`);

/**
 * Resuming a qemu build from a saved RAM state (step-cache.md §3.2 (d)). A migration
 * stream only loads into the same machine: the same QEMU, machine type, memory, CPU and
 * devices. The fingerprint records those from the command line that saved it, less
 * what may differ between runs (file paths of disks, the forwarded host port, the QMP
 * and VNC sockets, the VM name); a restore whose fingerprint differs boots the disk
 * layer cold instead. After a restore the guest clock is set from the host's, since it
 * continues from the moment of the save.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Communicator } from '../../../sdk/communicator.js';

/** What a RAM state needs of the machine that loads it. */
export interface ResumeFingerprint {
  readonly qemu: string;
  /** The command line, normalised (see `normaliseArgv`). */
  readonly argv: readonly string[];
}

let versionMemo: string | undefined;

/** `qemu-system-x86_64 --version`'s first line (memoised per binary). */
export function qemuVersion(binary: string): string {
  versionMemo ??= (() => {
    try {
      return execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
    } catch {
      return '';
    }
  })();
  return versionMemo;
}

/** Switches whose value may differ between the saving and the loading run. */
const VOLATILE = new Set(['-name', '-vnc', '-chardev', '-mon', '-qmp', '-serial', '-pidfile']);

/**
 * The command line with run-specific values blanked: the switches in `VOLATILE`, disk
 * files (`file=` of `-drive`), the `hostfwd` of `-netdev`, and `-fw_cfg` contents
 * (the guest read them at boot; a restored guest does not read them again); `-incoming`
 * is left out (a VM restored from a RAM state saves states its successors load).
 */
export function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const v = argv[i + 1];
    if (!a.startsWith('-') || v === undefined || v.startsWith('-')) {
      out.push(a);
      continue;
    }
    i++;
    if (a === '-incoming') continue;
    if (VOLATILE.has(a)) out.push(a, '*');
    else if (a === '-drive') out.push(a, v.replace(/(^|,)file=[^,]*/, '$1file=*'));
    else if (a === '-netdev') out.push(a, v.replace(/,hostfwd=[^,]*/g, ''));
    else if (a === '-fw_cfg') out.push(a, v.replace(/,(string|file)=.*$/, ''));
    else out.push(a, v);
  }
  return out;
}

/** The fingerprint of a VM started as `binary argv`. */
export function fingerprintOf(binary: string, argv: readonly string[]): ResumeFingerprint {
  return { qemu: qemuVersion(binary), argv: normaliseArgv(argv) };
}

/** The recorded fingerprint at `file`, or undefined when it is missing or unreadable. */
export async function readFingerprint(file: string): Promise<ResumeFingerprint | undefined> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<ResumeFingerprint>;
    return typeof v.qemu === 'string' && Array.isArray(v.argv) ? { qemu: v.qemu, argv: v.argv.map(String) } : undefined;
  } catch {
    return undefined;
  }
}

/** Why `saved` cannot load into a machine of fingerprint `now`; undefined when it can. */
export function fingerprintMismatch(saved: ResumeFingerprint, now: ResumeFingerprint): string | undefined {
  if (saved.qemu !== now.qemu) return `QEMU changed (${saved.qemu} → ${now.qemu})`;
  const a = saved.argv.join(' ');
  const b = now.argv.join(' ');
  if (a === b) return undefined;
  const i = [...a].findIndex((ch, n) => ch !== b[n]);
  return `the machine differs (${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))} → ${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))})`;
}

/** Sets the guest clock to the host's (a restored guest's clock runs from the save). */
export async function setGuestClock(comm: Communicator, signal: AbortSignal): Promise<boolean> {
  const res = await comm.run({ command: `date -s @${Math.round(Date.now() / 1000)} >/dev/null` }, signal).catch(() => undefined);
  return res?.kind === 'exited' && res.exitStatus === 0;
}

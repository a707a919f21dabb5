/**
 * The QEMU command line (packer-plugin-qemu `step_run.go`): Packer's default arguments
 * by switch, then `qemuargs`, where a switch the user gives replaces the default
 * values of that switch (the network device is put back when missing). Unlike Packer,
 * the order is stable (defaults in their order, new switches after), so two builds of
 * one template run the same command.
 */
import { render } from '../../../sdk/interpolate/index.js';
import type { QemuConfig, Resolved } from './config.js';

/** What the command line depends on beyond the config. */
export interface ArgsInput {
  readonly config: QemuConfig;
  readonly r: Resolved;
  readonly diskPaths: readonly string[];
  readonly isoPath: string | undefined;
  readonly cdPath: string | undefined;
  readonly floppyPath: string | undefined;
  /** Forwarded host port; undefined: no forward. */
  readonly commHostPort: number | undefined;
  readonly commGuestPort: number;
  /** VNC port (5900-based); undefined: VNC disabled. */
  readonly vncPort: number | undefined;
  readonly vncPassword: boolean;
  readonly httpIp: string;
  readonly httpPort: number | undefined;
  readonly efivarsPath: string | undefined;
  readonly sshPublicKey: string | undefined;
}

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

/** Packer's default switches and their values, in a stable order. */
export function defaultArgs(a: ArgsInput): Map<string, string[]> {
  const c = a.config;
  const m = new Map<string, string[]>();
  const set = (k: string, ...v: string[]) => m.set(k, v);
  if (c.efi_boot !== true) set('-boot', c.disk_image === true ? 'c' : 'once=d');
  set('-name', a.r.vmName);
  set('-machine', a.r.accelerator === 'none' ? `type=${c.machine_type || 'pc'}` : `type=${c.machine_type || 'pc'},accel=${a.r.accelerator}`);
  if (c.firmware && c.use_pflash !== true) set('-bios', c.firmware);
  const fwd = a.commHostPort !== undefined ? `,hostfwd=tcp:127.0.0.1:${a.commHostPort}-:${a.commGuestPort}` : '';
  set('-netdev', `user,id=user.0${fwd}`);
  if (a.vncPort !== undefined) set('-vnc', `${c.vnc_bind_address || '127.0.0.1'}:${a.vncPort - 5900}${a.vncPassword ? ',password=on' : ''}`);
  set('-m', `${a.r.memory}M`);
  set('-smp', smp(c));
  if (c.cpu_model) set('-cpu', c.cpu_model);
  if (a.floppyPath) set('-fda', a.floppyPath);
  if (c.headless === true || a.vncPort === undefined) {
    // Packer leaves QEMU's default display when headless; kiln asks for none so a
    // headless build never opens a window or needs $DISPLAY.
    if (c.headless === true) set('-display', 'none');
  } else if (c.display && c.display !== 'none') set('-display', c.display);
  else if (c.display === 'none') set('-display', 'none');
  else if (c.use_default_display !== true) set('-display', 'gtk');
  if (c.vga) set('-vga', c.vga);
  const { devices, drives } = deviceAndDriveArgs(a);
  set('-device', ...devices);
  set('-drive', ...drives);
  return m;
}

function smp(c: QemuConfig): string {
  const parts = [`cpus=${c.cpus ?? 1}`];
  if (c.sockets) parts.push(`sockets=${c.sockets}`);
  if (c.cores) parts.push(`cores=${c.cores}`);
  if (c.threads) parts.push(`threads=${c.threads}`);
  return parts.join(',');
}

function deviceAndDriveArgs(a: ArgsInput): { devices: string[]; drives: string[] } {
  const c = a.config;
  const devices: string[] = [];
  const drives: string[] = [];
  const cache = c.disk_cache || 'writeback';
  const discard = c.disk_discard || 'ignore';
  const zeroes = c.disk_detect_zeroes || 'off';
  let scsi = 0;
  for (const [i, disk] of a.diskPaths.entries()) {
    let drive = `file=${disk},if=${a.r.diskInterface},cache=${cache},discard=${discard},format=${a.r.format}`;
    if (a.r.diskInterface === 'virtio-scsi') {
      if (scsi === 0) devices.push('virtio-scsi-pci,id=scsi0');
      devices.push(`scsi-hd,bus=scsi0.0,drive=drive${i}`);
      drive = `if=none,file=${disk},id=drive${i},cache=${cache},discard=${discard},format=${a.r.format}`;
      scsi++;
    }
    if (zeroes !== 'off') drive += `,detect-zeroes=${zeroes}`;
    drives.push(drive);
  }
  devices.push(`${c.net_device || 'virtio-net'},netdev=user.0`);
  const cds = [...(c.disk_image !== true && a.isoPath ? [a.isoPath] : []), ...(a.cdPath ? [a.cdPath] : [])];
  for (const cd of cds) drives.push(`file=${cd},media=cdrom`);
  if (c.firmware && c.use_pflash === true) drives.push(`file=${c.firmware},if=pflash,format=raw,readonly=on`);
  if (c.efi_boot === true && a.efivarsPath) {
    drives.push(`file=${c.efi_firmware_code || OVMF_CODE},if=pflash,unit=0,format=raw,readonly=on`);
    drives.push(`file=${a.efivarsPath},if=pflash,unit=1,format=raw`);
  }
  return { devices, drives };
}

/** The data `qemuargs` templates see (`{{ .HTTPIP }}`, `{{ .SSHHostPort }}`...). */
export function argsTemplateData(a: ArgsInput): Record<string, unknown> {
  return {
    HTTPIP: a.httpIp,
    HTTPPort: a.httpPort ?? 0,
    HTTPDir: a.config.http_directory ?? '',
    HTTPContent: a.config.http_content ?? {},
    OutputDir: a.r.outputDir,
    Name: a.r.vmName,
    SSHHostPort: a.commHostPort ?? 0,
    SSHPublicKey: a.sshPublicKey ?? '',
  };
}

/** The full argument list (without the binary), or an error from a `qemuargs` template. */
export function qemuArgs(a: ArgsInput): { kind: 'ok'; argv: string[] } | { kind: 'error'; message: string } {
  const merged = defaultArgs(a);
  const user = new Map<string, string[]>();
  const data = argsTemplateData(a);
  for (const row of a.config.qemuargs ?? []) {
    const rendered: string[] = [];
    for (const part of row) {
      const r = render(part, { data });
      if (r.kind === 'error') return { kind: 'error', message: `Error processing QemuArgs: ${r.message}` };
      rendered.push(r.value);
    }
    const [key, ...rest] = rendered;
    if (key === undefined) continue;
    const values = user.get(key) ?? [];
    const value = rest.join('');
    if (value !== '') values.push(value);
    user.set(key, values);
  }
  for (const [k, v] of user) merged.set(k, v);
  const net = a.config.net_device || 'virtio-net';
  const devices = merged.get('-device');
  if (devices && !devices.join('').includes(net)) devices.push(`${net},netdev=user.0`);
  const argv: string[] = [];
  for (const [k, values] of merged) {
    if (values.length === 0) argv.push(k);
    for (const v of values) argv.push(k, v);
  }
  return { kind: 'ok', argv };
}

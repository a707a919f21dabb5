/**
 * The qemu builder's options (packer-plugin-qemu `builder/qemu/config.go`), the ones
 * that matter on Linux hosts, and Packer's checks and defaults.
 */
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { communicatorErrors, communicatorSchema, communicatorType } from '../../../sdk/communicator-config.js';
import type { PackerConfig, PrepareDiagnostic, Prepared } from '../../../sdk/component.js';
import { prepareError, prepareWarning, prepared } from '../../../sdk/component.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { block, bool, duration, int, list, str } from '../../../sdk/schema/index.js';
import { httpConfigErrors, httpConfigSchema } from '../../../sdk/steps/http-server.js';
import { cdConfigSchema, floppyConfigSchema } from '../../../sdk/steps/media.js';
import { parseChecksum } from '../../../sdk/steps/checksum.js';
import { parseBootCommand } from '../../../sdk/bootcommand/index.js';

export const qemuSchema = {
  ...communicatorSchema,
  ...httpConfigSchema,
  ...cdConfigSchema,
  ...floppyConfigSchema,
  iso_url: str().localPath().doc('The ISO, or with `disk_image` the disk image, to start from: a URL (downloaded into the cache) or a local path (used in place).'),
  iso_urls: list(str()).localPath().doc('Several sources tried in order.'),
  iso_checksum: str().doc('`none`, `sha256:<hex>` (also md5, sha1, sha512), a bare digest, or `file:<url>` of a checksum file.'),
  iso_target_extension: str().doc('Extension of the cached download; default `iso`.'),
  iso_skip_cache: bool().noEffect().doc('Use a remote `iso_url` without caching it (kiln still downloads it into the cache folder).'),
  disk_image: bool().doc('`iso_url` is a bootable disk image, not an installer ISO.'),
  use_backing_file: bool().doc('With `disk_image` and qcow2: the output is an overlay on `iso_url` instead of a copy.'),
  format: str().doc('`qcow2` (the default) or `raw`.'),
  disk_size: str().doc('Size of the disk, e.g. `40960M`, `20G`; a bare number is MiB. Default 40960M.'),
  disk_additional_size: list(str()).doc('Extra disks, attached after the main one.'),
  disk_interface: str().doc('`virtio` (the default), `ide`, `scsi`, `virtio-scsi`, ...'),
  disk_cache: str().doc('Default `writeback`.'),
  disk_discard: str().doc('`ignore` (the default) or `unmap`.'),
  disk_detect_zeroes: str().doc('`off` (the default), `on` or `unmap`.'),
  skip_compaction: bool().doc('Skip the final `qemu-img convert` that compacts a qcow2.'),
  disk_compression: bool().doc('Compress the qcow2 in the final convert.'),
  skip_resize_disk: bool().doc('Keep a `disk_image` at its own size instead of resizing it to `disk_size`.'),
  net_device: str().doc('Default `virtio-net`.'),
  net_bridge: str().doc('Not supported by kiln.'),
  accelerator: str().doc('`kvm`, `tcg` or `none`; default kvm when usable, else tcg (kiln falls back to tcg with a message when KVM cannot run a guest).'),
  machine_type: str().doc('Default `pc`.'),
  cpus: int().doc('vCPUs (`-smp`); default 1.'),
  sockets: int().doc('CPU sockets in the `-smp` topology; unset leaves it to QEMU.'),
  cores: int().doc('Cores per socket in the `-smp` topology; unset leaves it to QEMU.'),
  threads: int().doc('Threads per core in the `-smp` topology; unset leaves it to QEMU.'),
  memory: int().doc('MiB; default 512.'),
  cpu_model: str().doc('`-cpu`, e.g. `host`, `max`.'),
  firmware: str().doc('A BIOS file (`-bios`), or with `use_pflash` a pflash image.'),
  use_pflash: bool().doc('Load `firmware` as a read-only pflash drive instead of with `-bios`.'),
  efi_boot: bool().doc('Boot with OVMF (`efi_firmware_code`, `efi_firmware_vars`; Debian ovmf defaults).'),
  efi_firmware_code: str().localPath().doc('The OVMF code image for `efi_boot`; default Debian\'s `/usr/share/OVMF/OVMF_CODE_4M.fd`.'),
  efi_firmware_vars: str().localPath().doc('The OVMF variables template copied into the output directory for `efi_boot`; default Debian\'s `/usr/share/OVMF/OVMF_VARS_4M.fd`.'),
  efi_drop_efivars: bool().doc('Leave efivars.fd out of the artifact.'),
  headless: bool().noEffect().doc('No window; connect over VNC to watch.'),
  display: str().noEffect().doc('`-display` when not headless, e.g. `gtk`, `sdl`, `none`.'),
  use_default_display: bool().noEffect().doc('Pass no `-display` when not headless, leaving the choice to QEMU (otherwise `gtk`).'),
  vga: str().doc('The emulated graphics card (`-vga`), e.g. `std`, `virtio`, `qxl`.'),
  vnc_bind_address: str().noEffect().doc('Default 127.0.0.1.'),
  vnc_port_min: int().noEffect().doc('Default 5900.'),
  vnc_port_max: int().noEffect().doc('Default 6000.'),
  vnc_use_password: bool().noEffect().doc('Protect the VNC server with a random password (set over QMP).'),
  vnc_password: str().noEffect().doc('The VNC password to use with `vnc_use_password`; default random.'),
  disable_vnc: bool().noEffect().doc('No VNC server; a boot_command is then typed with QMP send-key.'),
  boot_wait: duration().noEffect().doc('Wait this long after starting the VM before typing `boot_command`; default 10s, a negative value means none.'),
  boot_command: list(str()).late().doc('Keys to type at boot (`<enter>`, `<wait5>`, `{{ .HTTPIP }}`...).'),
  boot_key_interval: duration().noEffect().doc('Pause after each key; default 100ms (env PACKER_KEY_INTERVAL).'),
  qemuargs: list(list(str())).late().doc('Extra or replacing QEMU arguments, e.g. `[["-fw_cfg", "name=opt/x,string=y"]]`; an argument given here replaces the default of the same name, except `-device` and `-drive`, which add.'),
  qemu_img_args: block({
    convert: list(str()).doc('Arguments added to `qemu-img convert` (compaction, `disk_compression`).'),
    create: list(str()).doc('Arguments added to `qemu-img create` (new disks and overlays).'),
    resize: list(str()).doc('Arguments added to `qemu-img resize`.'),
  }).doc('Extra `qemu-img` arguments per subcommand, e.g. `create = ["-F", "qcow2"]`.'),
  qemu_binary: str().doc('Default `qemu-system-x86_64`.'),
  qmp_enable: bool().doc('Accepted for Packer templates; kiln always drives QEMU over a QMP socket of its own and does not offer it to the user yet.'),
  qmp_socket_path: str().noEffect().doc('Accepted for Packer templates; not used yet (see `qmp_enable`).'),
  host_port_min: int().noEffect().doc('Lowest host port forwarded to the communicator port; default 2222.'),
  host_port_max: int().noEffect().doc('Default 4444.'),
  ssh_host_port_min: int().deprecated('use host_port_min').noEffect(),
  ssh_host_port_max: int().deprecated('use host_port_max').noEffect(),
  skip_nat_mapping: bool().doc('Do not forward a host port: the communicator connects to ssh_host:ssh_port itself.'),
  output_directory: str().doc('Default `output-<build name>`; must not exist unless `-force`.'),
  vm_name: str().doc('Name of the disk file in the output directory; default `packer-<build name>`.'),
  shutdown_command: str().doc('Command that powers the guest off, e.g. `poweroff`; without it the VM is stopped abruptly.'),
  shutdown_timeout: duration().noEffect().doc('How long to wait for the VM to stop after shutdown_command; default 5m.'),
};

export type QemuConfig = Infer<typeof qemuSchema>;

/** The config with Packer's defaults applied, as the steps use it. */
export interface Resolved {
  readonly isoUrls: readonly string[];
  readonly format: 'qcow2' | 'raw';
  readonly diskSize: string;
  readonly diskInterface: string;
  readonly accelerator: string;
  /** Why the accelerator differs from the one asked for; undefined when it does not. */
  readonly acceleratorNote: string | undefined;
  readonly outputDir: string;
  readonly vmName: string;
  readonly memory: number;
  readonly bootWaitMs: number;
  readonly keyIntervalMs: number;
  readonly hostPortMin: number;
  readonly hostPortMax: number;
  readonly vncPortMin: number;
  readonly vncPortMax: number;
  readonly skipCompaction: boolean;
  readonly diskCompression: boolean;
  readonly shutdownTimeoutMs: number;
}

const ACCELERATORS = ['kvm', 'tcg', 'xen', 'hax', 'hvf', 'whpx', 'none'];
const DISK_INTERFACES = ['ide', 'sata', 'scsi', 'virtio', 'virtio-scsi'];
const DISK_CACHES = ['writethrough', 'writeback', 'none', 'unsafe', 'directsync'];

/** True when /dev/kvm opens and the CPU has hardware virtualisation (vmx/svm). */
export function kvmUsable(): { ok: true } | { ok: false; why: string } {
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
  } catch (err) {
    return { ok: false, why: `/dev/kvm cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const cpu = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  // A software KVM (nested without VT-x, e.g. kvm-pvm) opens but cannot boot most guests.
  if (!/\b(vmx|svm)\b/.test(cpu)) return { ok: false, why: 'the CPU reports no hardware virtualisation (vmx/svm), so KVM cannot run the guest' };
  return { ok: true };
}

/** The config with Packer's defaults and derived values; `probe` is asked once whether KVM can run a guest. */
export function resolve(c: QemuConfig, packer: PackerConfig, probe: typeof kvmUsable = kvmUsable): Resolved {
  const asked = c.accelerator ?? '';
  let accelerator = asked || 'kvm';
  let acceleratorNote: string | undefined;
  if (accelerator === 'kvm') {
    const kvm = probe();
    if (!kvm.ok) {
      accelerator = 'tcg';
      acceleratorNote = `KVM is not usable here: ${kvm.why}; using tcg (software emulation, slower).`;
    }
  }
  const envInterval = process.env['PACKER_KEY_INTERVAL'];
  const bootWait = c.boot_wait ?? 0;
  const size = c.disk_size ?? '';
  return {
    isoUrls: c.iso_urls && c.iso_urls.length > 0 ? c.iso_urls : c.iso_url ? [c.iso_url] : [],
    format: c.format === 'raw' ? 'raw' : 'qcow2',
    diskSize: size === '' || size === '0' ? '40960M' : /^\d+$/.test(size) ? `${size}M` : size,
    diskInterface: c.disk_interface || 'virtio',
    accelerator,
    acceleratorNote,
    outputDir: c.output_directory || `output-${packer.buildName}`,
    vmName: c.vm_name || `packer-${packer.buildName}`,
    memory: c.memory !== undefined && c.memory >= 10 ? c.memory : 512,
    bootWaitMs: bootWait === 0 ? 10_000 : Math.max(0, bootWait),
    keyIntervalMs: c.boot_key_interval ?? (envInterval ? Number.parseInt(envInterval, 10) : 100),
    hostPortMin: c.host_port_min ?? c.ssh_host_port_min ?? 2222,
    hostPortMax: c.host_port_max ?? c.ssh_host_port_max ?? 4444,
    vncPortMin: c.vnc_port_min ?? 5900,
    vncPortMax: c.vnc_port_max ?? 6000,
    skipCompaction: c.skip_compaction === true || c.format === 'raw' || c.use_backing_file === true,
    diskCompression: c.disk_compression === true && c.format !== 'raw',
    shutdownTimeoutMs: c.shutdown_timeout ?? 5 * 60_000,
  };
}

/** What the qemu builder's run receives: the config and what prepare derived from it (computed once). */
export interface PreparedQemu {
  readonly config: QemuConfig;
  readonly r: Resolved;
}

/** Packer's checks, plus kiln's (boot command syntax, checksum syntax, unsupported options), each at its attribute. */
export function prepareQemu(c: QemuConfig, packer: PackerConfig, probe: typeof kvmUsable = kvmUsable): Prepared<PreparedQemu> {
  const diags: PrepareDiagnostic[] = [...communicatorErrors(c).map((e) => prepareError(e, 'communicator')), ...httpConfigErrors(c).map((e) => prepareError(e))];
  const err = (message: string, attribute?: string) => diags.push(prepareError(message, attribute));
  const r = resolve(c, packer, probe);
  if (r.isoUrls.length === 0) err('One of iso_url or iso_urls must be specified');
  if (c.iso_url && c.iso_urls && c.iso_urls.length > 0) err('Only one of iso_url or iso_urls may be specified', 'iso_urls');
  const checksum = parseChecksum(c.iso_checksum ?? '');
  if (typeof checksum === 'string') err(checksum, 'iso_checksum');
  if (c.format !== undefined && c.format !== 'qcow2' && c.format !== 'raw') err("invalid format, only 'qcow2' or 'raw' are allowed", 'format');
  if (c.use_backing_file === true && !(c.disk_image === true && r.format === 'qcow2')) err('use_backing_file can only be enabled for QCOW2 images and when disk_image is true', 'use_backing_file');
  if (c.skip_resize_disk === true && c.disk_image !== true) err('skip_resize_disk can only be used when disk_image is true', 'skip_resize_disk');
  if (!/^\d+[bkmgt]?$/i.test(r.diskSize)) err('Invalid disk size.', 'disk_size');
  if (!ACCELERATORS.includes(c.accelerator || 'kvm')) err("invalid accelerator, only 'kvm', 'tcg', 'xen', 'hax', 'hvf', 'whpx', or 'none' are allowed", 'accelerator');
  if (!DISK_INTERFACES.includes(r.diskInterface)) err('unrecognized disk interface type', 'disk_interface');
  if (c.disk_cache && !DISK_CACHES.includes(c.disk_cache)) err('unrecognized disk cache type', 'disk_cache');
  if (c.disk_discard && !['unmap', 'ignore'].includes(c.disk_discard)) err('unrecognized disk discard type', 'disk_discard');
  if (c.disk_detect_zeroes && !['unmap', 'on', 'off'].includes(c.disk_detect_zeroes)) err('unrecognized disk detect zeroes setting', 'disk_detect_zeroes');
  for (const [k, v] of [['cpus', c.cpus], ['sockets', c.sockets], ['cores', c.cores], ['threads', c.threads]] as const) {
    if (v !== undefined && v < 0) err(`${k} must be a positive number`, k);
  }
  if (!packer.force && existsSync(r.outputDir)) err(`Output directory '${r.outputDir}' already exists. It must not exist.`, 'output_directory');
  if (r.vncPortMin < 5900) err('vnc_port_min cannot be below 5900', 'vnc_port_min');
  if (r.vncPortMin > 65535 || r.vncPortMax > 65535) err('vmc_port_min and vnc_port_max must both be below 65535 to be valid TCP ports', 'vnc_port_max');
  if (r.vncPortMin > r.vncPortMax) err('vnc_port_min must be less than vnc_port_max', 'vnc_port_min');
  if (r.hostPortMin > r.hostPortMax) err('host_port_min must be less than host_port_max', 'host_port_min');
  if (c.net_bridge) err('net_bridge is not supported by kiln yet; use user-mode networking (the default)', 'net_bridge');
  for (const [i, line] of (c.boot_command ?? []).entries()) {
    const p = parseBootCommand(line);
    if (p.kind === 'error') err(`boot_command[${i}]: ${p.message}`, 'boot_command');
  }
  if (c.disable_vnc === true && c.vnc_use_password === true) err('vnc_use_password cannot be used with disable_vnc', 'vnc_use_password');
  if (communicatorType(c) === 'ssh' && !c.ssh_username) err('An ssh_username must be specified\n  Note: some builders used to default ssh_username to "root".');
  if (c.http_interface) diags.push(prepareWarning('http_interface is not supported by kiln; the HTTP server listens on http_bind_address (default 0.0.0.0)', 'http_interface'));
  if (!c.shutdown_command && communicatorType(c) !== 'none') {
    diags.push(prepareWarning('A shutdown_command was not specified. Without a shutdown command, kiln will forcibly halt the virtual machine, which may result in data loss.'));
  }
  return prepared({ config: c, r }, diags, []);
}

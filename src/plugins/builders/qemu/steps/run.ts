/**
 * Packer's stepRun (and stepPrepareEfivars, stepConfigureQMP): starts QEMU with the
 * builder's command line, a private QMP socket for kiln's own control, the temporary
 * SSH key in fw_cfg, and the VNC password set over QMP. When KVM fails at start it
 * retries once with tcg and says so. The cleanup stops QEMU, whatever happened. The
 * temp folder and the QEMU process (found by its QMP socket path, unique to the run, on
 * its command line) are recorded in the run's ledger before they are made.
 */
import { copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Ledger, LedgerHandle } from '../../../../sdk/ledger/ledger.js';
import { makeRecordedTempDir, type RecordedDir } from '../../../../sdk/ledger/temp-dir.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { OVMF_VARS, qemuArgs } from '../qemu-args.js';
import type { ArgsInput } from '../qemu-args.js';
import type { QemuState } from '../state.js';
import { QemuVm } from '../vm.js';
import { choosePorts, guestCommPort } from './ports.js';
import { awaitRamRestore, ramRestoreArgs } from './ram-restore.js';

/** `keepable`: the build may keep the VM (`-on-error` other than `cleanup`): it is started to outlive kiln (vm.ts). */
export function stepRun(ledger: Ledger, keepable = false): Step<QemuState> {
  let tmpDir: RecordedDir | undefined;
  let vmRecord: LedgerHandle | undefined;
  return {
    name: 'StepRun',
    async run(state, signal) {
      const { config: c } = state;
      let r = state.r;
      if (r.acceleratorNote) state.ui.message(r.acceleratorNote);
      tmpDir = await makeRecordedTempDir(ledger, os.tmpdir(), 'kiln-qemu-');
      const tmp = tmpDir.path;
      let efivarsPath: string | undefined;
      if (c.efi_boot === true) {
        efivarsPath = path.join(r.outputDir, 'efivars.fd');
        try {
          await copyFile(c.efi_firmware_vars || OVMF_VARS, efivarsPath);
        } catch (err) {
          return halt(`Error preparing efivars: ${(err as Error).message} (apt-get install ovmf)`);
        }
      }
      state.ui.say(c.disk_image === true ? 'Starting VM, booting disk image' : 'Starting VM, booting from CD-ROM');
      if (c.headless === true && state.vncPort !== undefined) {
        const where = `${c.vnc_bind_address || '127.0.0.1'}:${state.vncPort}`;
        state.ui.message(
          state.vncPassword
            ? `The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC to vnc://${where}\nwith the password: ${state.vncPassword}`
            : `The VM will be run headless, without a GUI. If you want to\nview the screen of the VM, connect via VNC without a password to\nvnc://${where}`,
        );
      }
      if ((c.qemuargs ?? []).length > 0) state.ui.say('Overriding default Qemu arguments with qemuargs template option...');
      for (let attempt = 1; ; attempt++) {
        const input: ArgsInput = {
          config: c,
          r,
          diskPaths: state.diskPaths,
          isoPath: state.isoPath,
          cdPath: state.cdPath,
          floppyPath: state.floppyPath,
          commHostPort: state.commHostPort,
          commGuestPort: guestCommPort(state),
          vncPort: state.vncPort,
          vncPassword: state.vncPassword !== undefined,
          httpIp: state.httpIp ?? '10.0.2.2',
          httpPort: state.httpPort,
          efivarsPath,
          sshPublicKey: state.sshPublicKey,
        };
        const args = qemuArgs(input);
        if (args.kind === 'error') return halt(args.message);
        const qmpSocket = path.join(tmp, `qmp-${attempt}.sock`);
        const control = ['-chardev', `socket,id=kilnqmp,path=${qmpSocket},server=on,wait=off`, '-mon', 'chardev=kilnqmp,mode=control'];
        const key = state.sshPublicKey ? ['-fw_cfg', `name=opt/ssh_authorized_keys,string=${state.sshPublicKey.replaceAll(',', ',,')}`] : [];
        const binary = c.qemu_binary || 'qemu-system-x86_64';
        const argv = [...args.argv, ...control, ...key];
        const restore = await ramRestoreArgs(state, binary, argv);
        vmRecord?.done();
        vmRecord = ledger.intent({ kind: 'process', match: qmpSocket, name: binary });
        try {
          state.vm = await QemuVm.start(binary, [...argv, ...restore], qmpSocket, signal, keepable ? { keepable: { stderrFile: path.join(tmp, `qemu-${attempt}.stderr`) } } : {});
          if (restore.length > 0 && !(await awaitRamRestore(state, state.vm, signal))) continue;
          break;
        } catch (err) {
          if (signal.aborted) return halt('Build was cancelled.');
          const message = (err as Error).message;
          if (r.accelerator === 'kvm' && /kvm/i.test(message) && attempt === 1) {
            state.ui.message(`KVM failed to start the VM (${message.split('\n')[0] ?? ''}); retrying with tcg.`);
            r = { ...r, accelerator: 'tcg' };
            continue;
          }
          if (/hostfwd|Address already in use|Failed to find an available port/i.test(message) && attempt < 3) {
            // Another process took a port between the probe and QEMU's bind: choose again.
            const error = await choosePorts(state);
            if (error !== undefined) return halt(error);
            continue;
          }
          const text = `Error launching VM: ${message}`;
          state.ui.error(text);
          return halt(text);
        }
      }
      if (state.vncPassword !== undefined) {
        try {
          await state.vm.qmp('change-vnc-password', { password: state.vncPassword });
        } catch (err) {
          return halt(`Error setting the VNC password over QMP: ${(err as Error).message}`);
        }
      }
      if (state.vm.pid !== undefined) vmRecord?.identify(String(state.vm.pid));
      state.instanceId = state.r.vmName;
      return CONTINUE;
    },
    async cleanup(state) {
      const vm = state.vm;
      if (vm?.running) {
        state.ui.say('Stopping the VM...');
        await vm.stop();
      }
      if (!vm?.running) vmRecord?.done();
      await tmpDir?.remove();
      tmpDir = undefined;
    },
  };
}

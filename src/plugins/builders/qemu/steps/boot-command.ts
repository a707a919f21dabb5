/**
 * Packer's stepTypeBootCommand: waits `boot_wait`, then types `boot_command` into the
 * VM over VNC (rfb2; with the QMP-set password when `vnc_use_password`) or, with
 * `disable_vnc`, with QMP `send-key`. `{{ .HTTPIP }}`, `{{ .HTTPPort }}`, `{{ .Name }}`
 * and `{{ .SSHPublicKey }}` are filled in first.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { BootAction, Key, KeyDriver } from '../../../../sdk/bootcommand/index.js';
import { parseBootCommand, typeBootCommand } from '../../../../sdk/bootcommand/index.js';
import { render } from '../../../../sdk/interpolate/index.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import { formatDuration } from '../../../../sdk/duration.js';
import type { QemuState } from '../state.js';
import type { QemuVm } from '../vm.js';

/** The part of rfb2's client kiln uses (its .d.ts omits keyEvent). */
interface RfbClient {
  keyEvent(keysym: number, isDown: number): void;
  end(): void;
  on(event: 'connect', fn: () => void): void;
  on(event: 'error', fn: (err: unknown) => void): void;
}

/** Connects to QEMU's VNC server; rfb2 is loaded here, only by builds that type a boot command. */
async function connectVnc(host: string, port: number, password: string | undefined, signal: AbortSignal): Promise<RfbClient> {
  const { default: rfb } = await import('rfb2');
  return new Promise((resolve, reject) => {
    const client = rfb.createConnection({ host, port, ...(password !== undefined ? { password } : {}) }) as unknown as RfbClient;
    const onAbort = () => {
      client.end();
      reject(new Error('cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    client.on('connect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(client);
    });
    client.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}

function vncDriver(client: RfbClient): KeyDriver {
  return {
    send: async (key: Key, down: boolean) => client.keyEvent(key.keysym, down ? 1 : 0),
  };
}

/** QMP send-key presses and releases together, so a held key is remembered and sent with the next one. */
function qmpDriver(vm: QemuVm): KeyDriver {
  const held: string[] = [];
  return {
    async send(key: Key, down: boolean) {
      if (key.qcode === undefined) throw new Error(`QMP send-key cannot type ${JSON.stringify(key.label)}`);
      const isModifier = /^(shift|ctrl|alt|meta)/.test(key.qcode);
      if (isModifier) {
        if (down) held.push(key.qcode);
        else held.splice(held.indexOf(key.qcode), 1);
        return;
      }
      if (!down) return;
      await vm.qmp('send-key', { keys: [...held, key.qcode].map((q) => ({ type: 'qcode', data: q })) });
    },
  };
}

export function stepBootCommand(): Step<QemuState> {
  return {
    name: 'StepTypeBootCommand',
    async run(state, signal) {
      const { config: c, r } = state;
      const lines = c.boot_command ?? [];
      // A VM restored from a saved RAM state is past its boot.
      if (lines.length === 0 || state.layers?.ramRestored) return CONTINUE;
      if (r.bootWaitMs > 0) {
        state.ui.say(`Waiting ${formatDuration(r.bootWaitMs)} for boot...`);
        try {
          await delay(r.bootWaitMs, undefined, { signal });
        } catch {
          return halt('Build was cancelled.');
        }
      }
      const data = { HTTPIP: state.httpIp ?? '10.0.2.2', HTTPPort: state.httpPort ?? 0, Name: r.vmName, SSHPublicKey: state.sshPublicKey ?? '' };
      const actions: BootAction[] = [];
      for (const line of lines) {
        const text = render(line, { data });
        if (text.kind === 'error') return halt(`Error preparing boot command: ${text.message}`);
        const parsed = parseBootCommand(text.value);
        if (parsed.kind === 'error') return halt(parsed.message);
        actions.push(...parsed.actions);
      }
      const vm = state.vm;
      if (!vm) return halt('no VM to type into');
      let client: RfbClient | undefined;
      try {
        let driver: KeyDriver;
        if (state.vncPort !== undefined) {
          state.ui.say('Connecting to VM via VNC');
          client = await connectVnc(c.vnc_bind_address === '0.0.0.0' || !c.vnc_bind_address ? '127.0.0.1' : c.vnc_bind_address, state.vncPort, state.vncPassword, signal);
          driver = vncDriver(client);
        } else {
          driver = qmpDriver(vm);
        }
        state.ui.say('Typing the boot command...');
        await typeBootCommand(actions, driver, { keyIntervalMs: r.keyIntervalMs, signal });
        return CONTINUE;
      } catch (err) {
        if (signal.aborted) return halt('Build was cancelled.');
        const message = `Error running boot command: ${(err as Error).message}`;
        state.ui.error(message);
        return halt(message);
      } finally {
        client?.end();
      }
    },
  };
}

/**
 * Packer's stepPortForward and stepConfigureVNC: a free host port in
 * `host_port_min`..`host_port_max` forwarded to the guest's communicator port, and a
 * free VNC port in `vnc_port_min`..`vnc_port_max`. Ports are probed by listening on
 * them; QEMU may still lose a race for one, which the run step retries.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { communicatorType, commPort } from '../../../../sdk/communicator-config.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import type { QemuState } from '../state.js';

function listenable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A port of `min`..`max` free on `host`, starting at a random one; undefined when none is. */
export async function freePortIn(host: string, min: number, max: number, avoid: ReadonlySet<number> = new Set()): Promise<number | undefined> {
  const span = max - min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = min + ((start + i) % span);
    if (!avoid.has(port) && (await listenable(host, port))) return port;
  }
  return undefined;
}

/**
 * Chooses the communicator's forwarded host port and the VNC port into `state` (and the
 * VNC password); an error message when a range has no free port. The run step calls it
 * again when QEMU lost a race for a port to another process.
 */
export async function choosePorts(state: QemuState): Promise<string | undefined> {
  const { config: c, r } = state;
  state.commHostPort = undefined;
  state.vncPort = undefined;
  if (communicatorType(c) !== 'none' && c.skip_nat_mapping !== true) {
    const port = await freePortIn('127.0.0.1', r.hostPortMin, r.hostPortMax);
    if (port === undefined) return `Error finding port: no free port in ${r.hostPortMin}..${r.hostPortMax}`;
    state.commHostPort = port;
  }
  if (c.disable_vnc !== true) {
    const host = c.vnc_bind_address || '127.0.0.1';
    const port = await freePortIn(host, r.vncPortMin, r.vncPortMax, new Set(state.commHostPort ? [state.commHostPort] : []));
    if (port === undefined) return `Error finding VNC port between ${r.vncPortMin} and ${r.vncPortMax}`;
    state.vncPort = port;
    if (c.vnc_use_password === true) state.vncPassword ??= c.vnc_password || randomBytes(6).toString('base64url').slice(0, 8);
  }
  return undefined;
}

export function stepPorts(): Step<QemuState> {
  return {
    name: 'StepPortForward',
    async run(state) {
      const { r } = state;
      const error = await choosePorts(state);
      if (error !== undefined) return halt(error);
      if (state.commHostPort !== undefined) {
        state.ui.say(`Looking for available communicator (SSH, WinRM, etc) port between ${r.hostPortMin} and ${r.hostPortMax}`);
        state.ui.message(`Found port for communicator (SSH, WinRM, etc): ${state.commHostPort}.`);
      }
      return CONTINUE;
    },
  };
}

/** The guest port the communicator reaches (22 for SSH unless ssh_port). */
export function guestCommPort(state: QemuState): number {
  return commPort(state.config);
}

/**
 * Waits until the guest's SSH server answers through QEMU's port forward, before the
 * connect step dials. QEMU's user-mode network accepts on the host at once but drops
 * the guest-side SYN until the guest has done DHCP, then retries only after 6 s; a
 * client that dials once early (as Packer does) loses those seconds. Here overlapping
 * probes start every 250 ms, each given 1.5 s to read the server's `SSH-` banner, so
 * the connection is made about as soon as the guest is ready.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { communicatorType } from '../../../../sdk/communicator-config.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import type { QemuState } from '../state.js';

const PROBE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 1500;

/** Resolves true when a server on host:port sends an SSH banner within `timeoutMs`. */
export function probeSshBanner(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let got = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.startsWith('SSH-') || got.includes('\nSSH-')) done(true);
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

export function stepWaitForSsh(): Step<QemuState> {
  return {
    name: 'StepWaitGuestSSH',
    async run(state, signal) {
      const c = state.config;
      if (communicatorType(c) !== 'ssh' || state.commHostPort === undefined) return CONTINUE;
      const timeout = c.ssh_timeout ?? c.ssh_wait_timeout ?? 5 * 60_000;
      const deadline = Date.now() + timeout;
      const port = state.commHostPort;
      let ready = false;
      const inFlight: Promise<void>[] = [];
      while (!ready && Date.now() < deadline && !signal.aborted) {
        if (state.vm && !state.vm.running) return halt(`The VM stopped before SSH became available: ${state.vm.stderr().trim() || 'QEMU exited'}`);
        inFlight.push(probeSshBanner('127.0.0.1', port, PROBE_TIMEOUT_MS).then((ok) => void (ok && (ready = true))));
        await delay(PROBE_EVERY_MS, undefined, { signal }).catch(() => undefined);
      }
      await Promise.allSettled(inFlight);
      if (signal.aborted) return halt('Build was cancelled.');
      // On timeout the connect step still dials, and reports Packer's own timeout.
      return CONTINUE;
    },
  };
}

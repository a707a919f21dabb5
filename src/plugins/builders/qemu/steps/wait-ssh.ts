/**
 * Waits until the guest's SSH server answers through QEMU's port forward, before the
 * connect step dials. QEMU's user-mode network accepts on the host at once but drops
 * the guest-side SYN until the guest has done DHCP, then retries only after 6 s; a
 * client that dials once early (as Packer does) loses those seconds. Here a new probe
 * starts every 250 ms while fewer than two are open, each waiting for the server's
 * `SSH-` banner. A probe the guest has accepted costs the guest a forked server; under
 * TCG on a loaded host that fork can take seconds, and abandoning such probes every
 * 1.5 s to open new ones kept a guest busy for minutes (100 forks in a traced build).
 * So each probe that runs out of time doubles the next ones' time (1.5 s up to 6 s),
 * and once a probe has been refused (closed: the guest's network is up, so a probe left
 * open from then on has been accepted and its banner is coming) probes wait up to 30 s.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { communicatorType } from '../../../../sdk/communicator-config.js';
import type { Step } from '../../../../sdk/multistep/step.js';
import { CONTINUE, halt } from '../../../../sdk/multistep/step.js';
import type { QemuState } from '../state.js';

const PROBE_EVERY_MS = 250;
const MAX_OPEN_PROBES = 2;
const FIRST_PROBE_TIMEOUT_MS = 1500;
const MAX_PROBE_TIMEOUT_MS = 6000;
const ACCEPTED_PROBE_TIMEOUT_MS = 30_000;

/** How a probe ended: the server's banner came, the connection closed, or time ran out. */
export type ProbeOutcome = 'banner' | 'closed' | 'timeout';

/** Connects to host:port and waits up to `timeoutMs` for an SSH banner. */
export function probeSshBanner(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let got = '';
    const done = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(outcome);
    };
    const onAbort = () => done('closed');
    signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.startsWith('SSH-') || got.includes('\nSSH-')) done('banner');
    });
    sock.on('error', () => done('closed'));
    sock.on('close', () => done('closed'));
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
      let open = 0;
      let probeTimeout = FIRST_PROBE_TIMEOUT_MS;
      // Ends the probes still open once one has the banner (or the build stops).
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal.addEventListener('abort', onAbort);
      const inFlight: Promise<void>[] = [];
      while (!ready && Date.now() < deadline && !signal.aborted) {
        if (state.vm && !state.vm.running) {
          stop.abort();
          signal.removeEventListener('abort', onAbort);
          return halt(`The VM stopped before SSH became available: ${state.vm.stderr().trim() || 'QEMU exited'}`);
        }
        if (open < MAX_OPEN_PROBES) {
          open++;
          const probe = probeSshBanner('127.0.0.1', port, Math.min(probeTimeout, Math.max(deadline - Date.now(), 1)), stop.signal).then((outcome) => {
            open--;
            if (outcome === 'banner') {
              ready = true;
              stop.abort();
            } else if (outcome === 'timeout') probeTimeout = Math.max(probeTimeout, Math.min(probeTimeout * 2, MAX_PROBE_TIMEOUT_MS));
            else if (!stop.signal.aborted) probeTimeout = ACCEPTED_PROBE_TIMEOUT_MS;
          });
          inFlight.push(probe);
        }
        await delay(PROBE_EVERY_MS, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      await Promise.allSettled(inFlight);
      if (signal.aborted) return halt('Build was cancelled.');
      // On timeout the connect step still dials, and reports Packer's own timeout.
      return CONTINUE;
    },
  };
}

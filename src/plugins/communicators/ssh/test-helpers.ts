/** Helpers for the SSH communicator's tests (which run against real servers). */
import type { CommunicatorConfig } from '../../../sdk/communicator-config.js';
import { resolveSshConfig } from '../../../sdk/ssh/config.js';
import type { SshLogger } from './connect.js';
import { SshCommunicator } from './ssh-communicator.js';
import type { SshCommunicatorOptions } from './ssh-communicator.js';

/** Resolves `input` (failing on any diagnostic) and connects. */
export async function connectTo(input: CommunicatorConfig, options: SshCommunicatorOptions = {}, signal?: AbortSignal): Promise<SshCommunicator> {
  const { config, diagnostics } = resolveSshConfig(input);
  if (diagnostics.length > 0) throw new Error(`config diagnostics: ${diagnostics.map((d) => `${d.summary} ${d.detail}`).join('; ')}`);
  return await SshCommunicator.connect(config, options, signal);
}

/** A logger that records lines for assertions. */
export function recordingLogger(): { log: SshLogger; lines: string[] } {
  const lines: string[] = [];
  return { log: (level, message) => lines.push(`[${level}] ${message}`), lines };
}

/** Runs `command` and returns its exit status and output as text. */
export async function capture(comm: SshCommunicator, command: string): Promise<{ status: number | 'disconnected'; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const r = await comm.run({ command, onStdout: (d) => (stdout += d.toString()), onStderr: (d) => (stderr += d.toString()) });
  return { status: r.kind === 'exited' ? r.exitStatus : 'disconnected', stdout, stderr };
}

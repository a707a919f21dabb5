/**
 * Exit statuses as the shell provisioners judge them (sdk `shell/exit_code.go`).
 */

/** Packer's sentinel exit status for "the connection dropped" (`packersdk.CmdDisconnect`). */
export const CMD_DISCONNECT = 2300218;

/**
 * Undefined when `code` is allowed; otherwise Packer's error. An empty or absent
 * `valid` list means `[0]`.
 */
export function checkExitCode(code: number, valid: readonly number[] | undefined): Error | undefined {
  const allowed = valid && valid.length > 0 ? valid : [0];
  if (allowed.includes(code)) return undefined;
  return new Error(`Script exited with non-zero exit status: ${code}. Allowed exit codes are: [${allowed.join(' ')}]`);
}

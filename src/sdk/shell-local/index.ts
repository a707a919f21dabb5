/**
 * Packer's shell-local runner (sdk `shell-local/`), shared by the `shell-local`
 * provisioner and post-processor, and the pieces the `shell` provisioner reuses:
 * environment variables, exit codes, output lines, temporary files, run-time templates.
 *
 * ```ts
 * const { settings, errors } = resolveShellLocal(config, { postProcessor: true });
 * const res = await runShellLocal(settings, { ui, signal, packer, generatedData });
 * ```
 */
export { shellLocalSchema, resolveShellLocal, goos, statMessage, toLinuxPath, SUPPORTED_OS } from './config.js';
export type { ShellLocalConfig, ShellLocalSettings, ResolveOptions } from './config.js';
export { runShellLocal } from './run.js';
export type { ShellLocalContext } from './run.js';
export { collectEnvVars, envVarErrors, flattenEnvVars, HTTP_ADDR_NOT_IMPLEMENTED, HTTP_IP_NOT_IMPLEMENTED, HTTP_PORT_NOT_IMPLEMENTED } from './env-vars.js';
export type { EnvVarInput } from './env-vars.js';
export { checkExitCode, CMD_DISCONNECT } from './exit-codes.js';
export { cleanOutputLine, LineSplitter, uiOutput } from './output-lines.js';
export { spawnLocal } from './spawn-local.js';
export type { LocalCommand } from './spawn-local.js';
export { createTempFile, tempDir } from './temp-file.js';
export { renderTemplate, templateContext } from './template-context.js';

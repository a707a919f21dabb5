/**
 * The qemu builder's run (packer-plugin-qemu `builder.go`): download or locate the
 * source, output directory, floppy and CD, disks, HTTP server, ports, temporary key,
 * QEMU, boot command, SSH, provisioning, shutdown, compaction; the artifact lists the
 * output directory's files.
 */
import type { Artifact } from '../../../sdk/artifact.js';
import type { BuildContext } from '../../../sdk/component.js';
import { memoryLedger } from '../../../sdk/ledger/ledger.js';
import { runBuildSteps } from '../../../sdk/multistep/build-steps.js';
import type { Step } from '../../../sdk/multistep/step.js';
import { CONTINUE } from '../../../sdk/multistep/step.js';
import type { Result } from '../../../sdk/result.js';
import type { ConnectExtras } from '../../../sdk/steps/index.js';
import { stepConnect, stepProvision } from '../../../sdk/steps/index.js';
import { stepDownload } from '../../../sdk/steps/download.js';
import { stepHttpServer } from '../../../sdk/steps/http-server.js';
import { stepCreateCd, stepCreateFloppy } from '../../../sdk/steps/media.js';
import { stepOutputDir } from '../../../sdk/steps/output-dir.js';
import { QemuArtifact } from './artifact.js';
import type { PreparedQemu } from './config.js';
import type { QemuState } from './state.js';
import { stepBootCommand } from './steps/boot-command.js';
import { stepCaptureLayers } from './steps/cache-capture.js';
import { machineSnapshots, stepCacheDisk } from './steps/cache-layers.js';
import { stepRestoredClock } from './steps/ram-restore.js';
import { stepConvertDisk, stepCopyDisk, stepCreateDisk, stepResizeDisk } from './steps/disk.js';
import { stepPorts } from './steps/ports.js';
import { stepRun } from './steps/run.js';
import { stepShutdown } from './steps/shutdown.js';
import { stepSshKeyGen } from './steps/ssh-key.js';
import { stepWaitForSsh } from './steps/wait-ssh.js';

/** QEMU's user-mode network: the host as the guest sees it. */
const USER_NET_HOST = '10.0.2.2';

/** The communicator dials the forwarded port and offers the temporary key when there is one. */
function connectExtras(state: QemuState): ConnectExtras {
  const port = state.commHostPort ?? state.config.ssh_port;
  const socket = state.sshProbeSocket;
  state.sshProbeSocket = undefined;
  return {
    ...(socket ? { socket } : {}),
    ...(port === undefined ? {} : { config: { ...state.config, ssh_port: port } }),
    ...(state.sshPrivateKey ? { privateKeys: [state.sshPrivateKey] } : {}),
  };
}

/** Runs `step` unless the build writes its output from a cached capture (no VM at all). */
function unlessCaptured(step: Step<QemuState>): Step<QemuState> {
  return {
    name: step.name,
    run: (state, signal) => (state.layers?.captured !== undefined ? Promise.resolve(CONTINUE) : step.run(state, signal)),
    ...(step.cleanup ? { cleanup: step.cleanup.bind(step) } : {}),
  };
}

export async function runQemuBuild(prepared: PreparedQemu, ctx: BuildContext): Promise<Result<Artifact | undefined>> {
  const ledger = ctx.ledger ?? memoryLedger();
  const { config, r } = prepared;
  const state: QemuState = { ui: ctx.ui, hook: ctx.hook, config, r, diskPaths: [], httpIp: USER_NET_HOST, generatedData: {} };
  const nat = config.skip_nat_mapping !== true;
  const steps: Step<QemuState>[] = [
    stepDownload<QemuState>({ urls: r.isoUrls, checksum: config.iso_checksum ?? '', description: 'ISO', extension: config.iso_target_extension ?? 'iso', onPath: (s, f) => (s.isoPath = f) }),
    stepOutputDir<QemuState>({ path: r.outputDir, force: ctx.packer.force, ledger }),
    stepCreateFloppy<QemuState>(config, (s, f) => (s.floppyPath = f)),
    stepCreateCd<QemuState>(config, (s, f) => (s.cdPath = f)),
    // The step cache's steps only with a cache flag: without one the build is as before.
    ...(ctx.cache ? [stepCacheDisk(ctx.cache, ledger, ctx.cache.ramState === true)] : []),
    stepCreateDisk(),
    stepCopyDisk(),
    stepResizeDisk(),
    // With every provisioner cached and captured, none of these runs: no VM (steps/cache-capture.ts).
    ...[
      stepHttpServer<QemuState>(config),
      stepPorts(),
      stepSshKeyGen(),
      stepRun(ledger, ctx.packer.onError !== 'cleanup'),
      stepBootCommand(),
      stepWaitForSsh(),
      stepConnect<QemuState>({
        config,
        communicators: ctx.communicators,
        host: () => (nat ? '127.0.0.1' : config.ssh_host),
        request: connectExtras,
      }),
      ...(ctx.cache ? [stepRestoredClock()] : []),
    ].map(unlessCaptured),
    stepProvision<QemuState>(machineSnapshots),
    unlessCaptured(stepShutdown()),
    ...(ctx.cache ? [stepCaptureLayers()] : []),
    stepConvertDisk(),
  ];
  const result = await runBuildSteps(
    ctx,
    steps,
    state,
    (s): Artifact =>
      new QemuArtifact(r.outputDir, { diskType: r.format, diskSize: r.diskSize, domainType: r.accelerator, generatedData: { ...s.generatedData } }, config.efi_drop_efivars === true),
  );
  // A VM still running after the steps was kept (cleanup skipped on purpose): kiln may exit without it.
  if (state.vm?.running === true) state.vm.release();
  return result;
}

/**
 * The `docker` connector for the SDK's connect step (Packer's StepConnectDocker): a
 * communicator over `docker exec` and `docker cp` to the build container.
 */
import type { Communicator } from '../../../../sdk/communicator.js';
import type { Connector } from '../../../../sdk/steps/index.js';
import { connectDockerCommunicator } from '../../../communicators/docker/docker-communicator.js';
import type { DockerState } from '../state.js';

/** A connector reading the container from `state` once the run step has started it. */
export function dockerConnector(state: DockerState): Connector {
  return async (): Promise<Communicator> => {
    const { config, driver } = state;
    const host = driver.cli.env['DOCKER_HOST'];
    // With the default run_command the container runs as the image's user: no inspect needed.
    const known = (config.run_command ?? []).length === 0 ? state.source?.user : undefined;
    const r = await connectDockerCommunicator({
      containerId: state.containerId ?? '',
      executable: config.docker_path,
      ...(host !== undefined && host !== '' ? { host } : {}),
      ...(config.exec_user !== undefined ? { execUser: config.exec_user } : {}),
      fixUploadOwner: config.fix_upload_owner,
      ...(known !== undefined ? { containerUser: known } : {}),
      ...(state.tempDir !== undefined ? { hostDir: state.tempDir } : {}),
    });
    if (r.kind === 'error') throw new Error(r.message);
    return r.value;
  };
}

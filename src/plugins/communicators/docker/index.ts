/**
 * The `docker` communicator (Packer's StepConnectDocker): `docker exec` and
 * `docker cp` to the container the builder started, named in the request's
 * `container`.
 */
import type { Communicator, ConnectRequest } from '../../../sdk/communicator.js';
import { defineCommunicator } from '../../../sdk/component.js';
import { connectDockerCommunicator } from './docker-communicator.js';

export { DockerCommunicator, connectDockerCommunicator } from './docker-communicator.js';
export type { DockerCommunicatorOptions } from './docker-communicator.js';

async function connect({ container }: ConnectRequest): Promise<Communicator> {
  if (!container) throw new Error('the docker communicator needs a container: only the docker builder provides one');
  const r = await connectDockerCommunicator({
    containerId: container.containerId,
    ...(container.executable !== undefined ? { executable: container.executable } : {}),
    ...(container.dockerHost !== undefined && container.dockerHost !== '' ? { host: container.dockerHost } : {}),
    ...(container.execUser !== undefined ? { execUser: container.execUser } : {}),
    ...(container.fixUploadOwner !== undefined ? { fixUploadOwner: container.fixUploadOwner } : {}),
    ...(container.containerUser !== undefined ? { containerUser: container.containerUser } : {}),
    ...(container.hostDir !== undefined ? { hostDir: container.hostDir } : {}),
  });
  if (r.kind === 'error') throw new Error(r.message);
  return r.value;
}

export default defineCommunicator({ name: 'docker', schema: {}, connect });

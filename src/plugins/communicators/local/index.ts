/**
 * The `local` communicator: "the machine" is the host kiln runs on. Templates cannot
 * name it (Packer has no such type); tests and components that act on the local host
 * through the communicator contract get it from the registry.
 */
import { defineCommunicator } from '../../../sdk/component.js';
import { LocalCommunicator } from './local-communicator.js';

export { LocalCommunicator } from './local-communicator.js';
export type { LocalCommunicatorOptions } from './local-communicator.js';

export default defineCommunicator({ name: 'local', schema: {}, connect: async () => new LocalCommunicator() });

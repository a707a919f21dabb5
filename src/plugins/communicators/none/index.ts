/**
 * The `none` communicator: nothing to reach. The connect step hands provisioners a
 * communicator whose commands do nothing and whose transfers fail with Packer's message.
 */
import { defineCommunicator } from '../../../sdk/component.js';
import { NoneCommunicator } from './none-communicator.js';

export default defineCommunicator({ name: 'none', schema: {}, connect: async () => new NoneCommunicator() });

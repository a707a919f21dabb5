/** The qemu builder's typed state, shared by its steps. */
import type { Socket } from 'node:net';
import type { CommonState } from '../../../sdk/steps/index.js';
import type { QemuConfig, Resolved } from './config.js';
import type { QemuLayers } from './steps/cache-layers.js';
import type { QemuVm } from './vm.js';

export interface QemuState extends CommonState {
  readonly config: QemuConfig;
  readonly r: Resolved;
  /** The source: ISO or disk image, local (in place) or cached. */
  isoPath?: string;
  /** The VM's disks in the output directory, main disk first. */
  diskPaths: string[];
  floppyPath?: string;
  cdPath?: string;
  /** Host port forwarded to the guest's communicator port. */
  commHostPort?: number;
  /** The wait-for-SSH probe that saw the banner, until the connect step takes it. */
  sshProbeSocket?: Socket;
  vncPort?: number;
  vncPassword?: string;
  /** The running QEMU. */
  vm?: QemuVm;
  /** With the step cache: the layer chain the VM runs on (steps/cache-layers.ts). */
  layers?: QemuLayers;
}

/** What discovery finds: one installed plugin binary. */

/** The four component kinds, as Packer spells them. */
export type ComponentKind = 'builder' | 'provisioner' | 'post-processor' | 'datasource';

/** Component names per kind, as templates spell them (`amazon-ebs`). */
export type ComponentNames = Record<ComponentKind, string[]>;

/** An installed, checked plugin binary. */
export interface InstalledPlugin {
  /** `github.com/hashicorp/amazon` for the installed layout; undefined for legacy single binaries. */
  readonly source?: string;
  /** The plugin name (`amazon`), or for a legacy single binary its component name. */
  readonly name: string;
  /** Without `v` (`1.3.0`); undefined for legacy single binaries. */
  readonly version?: string;
  /** `x5.0`; undefined for legacy single binaries. */
  readonly apiVersion?: string;
  /** Absolute path of the executable. */
  readonly path: string;
  /** `multi`: Packer ≥ 1.7 plugin (`describe`, `start`); `single`: Packer ≤ 1.6 component binary run without arguments. */
  readonly form: 'multi' | 'single';
  /** `describe`'s `protocol_version` (`v2` for protobuf); undefined for gob-only and legacy binaries. */
  readonly protocolVersion?: string;
  /** Component names derived from the plugin name as Packer derives them. */
  readonly components: ComponentNames;
  /**
   * `describe`'s component lists under the plugin's own names (what `start builder <name>`
   * takes), for deriving names under another accessor; undefined for legacy binaries.
   */
  readonly described?: ComponentNames;
}

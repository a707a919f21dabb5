/**
 * The one catalogue of "unknown component" messages, in Packer's words: a component
 * type no built-in or installed plugin provides, named in an HCL2 block, a legacy JSON
 * template, or found missing when core loads it.
 */
import type { Diagnostic } from '../hcl/diagnostic.js';
import { errorDiag } from '../hcl/diagnostic.js';
import type { Range } from '../hcl/pos.js';
import { nameSuggestion } from '../hcl/suggest.js';
import type { ComponentKind, ComponentRegistry } from '../sdk/component.js';

const KIND_TEXT: Record<ComponentKind, string> = { builder: 'builder', provisioner: 'provisioner', 'post-processor': 'post-processor', datasource: 'data source', communicator: 'communicator' };

/**
 * What Packer says about an unknown type: the closest known name, or where to find the
 * plugin (legacy JSON prints this alone as the error line).
 */
export function unknownComponentDetail(kind: ComponentKind, type: string, registry: ComponentRegistry): string {
  if (kind === 'datasource') return `known data sources: [${registry.names('datasource').join(' ')}]`;
  const suggestion = nameSuggestion(type, registry.names(kind));
  if (suggestion !== undefined) return `Did you mean to use ${JSON.stringify(suggestion)}?`;
  return (
    `The ${KIND_TEXT[kind]} ${type} is unknown by Packer, and is likely part of a plugin that is not installed.\n` +
    'You may find the needed plugin along with installation instructions documented on the Packer integrations page.\n\n' +
    `https://developer.hashicorp.com/packer/integrations?filter=${type.split('-')[0] ?? type}`
  );
}

export interface UnknownComponentPlace {
  /** How the block is named in the summary: `source` for a builder, `error-cleanup-provisioner`...; defaults to the kind. */
  readonly label?: string;
  /** Quote the type in the summary (HCL does for provisioners and post-processors, not sources). */
  readonly quote?: boolean;
  readonly subject?: Range;
}

/** `Unknown <label> type <type>` with {@link unknownComponentDetail}; data sources: `Unknown data type <type>`. */
export function unknownComponent(kind: ComponentKind, type: string, registry: ComponentRegistry, at: UnknownComponentPlace = {}): Diagnostic {
  const detail = unknownComponentDetail(kind, type, registry);
  if (kind === 'datasource') return errorDiag(`Unknown data type ${type}`, detail, at.subject);
  const label = at.label ?? KIND_TEXT[kind];
  return errorDiag(`Unknown ${label} type ${at.quote ? `"${type}"` : type}`, detail, at.subject);
}

/**
 * The `packer` block: `required_version`, checked against kiln's Packer compatibility
 * version before anything else is read, and `required_plugins`, recorded for `init`
 * and plugin discovery (hcl2template's sniffCoreVersionRequirements,
 * decodeRequiredPluginsBlock).
 */
import type { Attribute, Block, Body } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { Range } from '../../hcl/pos.js';
import type { RequiredPlugin } from './types.js';
import type { VersionConstraints } from '../../support/version-constraint.js';
import { hasPrerelease, parseConstraints, satisfies } from '../../support/version-constraint.js';

const PACKER_BLOCK_SCHEMA = { attributes: [{ name: 'required_version' }], blocks: [{ type: 'required_plugins' }] };
const CONSTRAINT_DOCS = 'https://packer.io/docs/templates/hcl_templates/blocks/packer#version-constraints';

interface Constraint {
  readonly constraints: VersionConstraints;
  readonly range: Range;
}

function decodeVersionConstraint(attr: Attribute): { constraint?: Constraint; diagnostics: Diagnostic[] } {
  const r = attr.expr.value(undefined);
  const diagnostics = [...r.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };
  const v = cty.convertValue(r.value, cty.stringType);
  if (v instanceof cty.PathError) {
    diagnostics.push(errorDiag('Invalid version constraint', `A string value is required for ${attr.name}.`, attr.expr.range));
    return { diagnostics };
  }
  if (v.isNull() || !v.isWhollyKnown()) return { diagnostics };
  const constraints = parseConstraints(v.asString());
  if (!constraints) {
    diagnostics.push(errorDiag('Invalid version constraint', `This string does not use correct version constraint syntax. Check out the docs: ${CONSTRAINT_DOCS}`, attr.expr.range));
    return { diagnostics };
  }
  return { constraint: { constraints, range: attr.range }, diagnostics };
}

/**
 * Every `required_version` of the files' `packer` blocks checked against `coreVersion`:
 * "Unsupported Packer Core version" for each that does not hold.
 */
export function checkRequiredVersions(bodies: readonly Body[], coreVersion: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const body of bodies) {
    const { content } = body.partialContent({ blocks: [{ type: 'packer' }] });
    for (const block of content.blocks) {
      const inner = block.body.content(PACKER_BLOCK_SCHEMA);
      diagnostics.push(...inner.diagnostics);
      const attr = inner.content.attributes.get('required_version');
      if (!attr) continue;
      const r = decodeVersionConstraint(attr);
      diagnostics.push(...r.diagnostics);
      if (r.constraint && !satisfies(coreVersion, r.constraint.constraints)) {
        diagnostics.push(
          errorDiag(
            'Unsupported Packer Core version',
            `This configuration does not support Packer version ${coreVersion}. To proceed, either choose another supported Packer version or update this version constraint. Version constraints are normally set for good reason, so updating the constraint may lead to other errors or unexpected behavior.`,
            r.constraint.range,
          ),
        );
      }
    }
  }
  return diagnostics;
}

/** The `required_plugins` entries of a `packer` block. */
export function decodeRequiredPlugins(block: Block): { plugins: RequiredPlugin[]; diagnostics: Diagnostic[] } {
  const { content } = block.body.content(PACKER_BLOCK_SCHEMA);
  const plugins: RequiredPlugin[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const req of content.blocks) {
    const { attributes, diagnostics: attrDiags } = req.body.justAttributes();
    diagnostics.push(...attrDiags);
    for (const [name, attr] of attributes) {
      const r = decodeRequirement(name, attr);
      diagnostics.push(...r.diagnostics);
      if (r.plugin) plugins.push(r.plugin);
    }
  }
  return { plugins, diagnostics };
}

function decodeRequirement(name: string, attr: Attribute): { plugin?: RequiredPlugin; diagnostics: Diagnostic[] } {
  const r = attr.expr.value(undefined);
  const diagnostics = [...r.diagnostics];
  const subject = attr.expr.range;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name) && !/^[a-z0-9_]+$/.test(name)) {
    diagnostics.push(errorDiag('Invalid plugin local name', `Plugin names must be normalized. Replace "${name}" with "${name.toLowerCase()}" to fix this error.`, subject));
  }
  const v = r.value;
  if (v.type.kind === 'string' || v.type.kind === 'number' || v.type.kind === 'bool') {
    const c = v.type.kind === 'string' && v.isKnown() && !v.isNull() ? v.asString() : 'version';
    diagnostics.push(
      errorDiag(
        'Invalid plugin requirement',
        `'${name} = "${c}"' plugin requirement calls are not possible. You must define a whole block. For example:\n${name} = {\n  source  = "github.com/hashicorp/${name}"\n  version = "${c}"\n}`,
        attr.range,
      ),
    );
    return { diagnostics };
  }
  if (v.type.kind !== 'object' || !v.isKnown()) {
    diagnostics.push(errorDiag('Invalid required_plugins syntax', 'required_plugins entries must be objects.', subject));
    return { diagnostics };
  }
  const attrs = v.asMap();
  const version = attrs.get('version');
  if (!version) {
    diagnostics.push(
      errorDiag(
        'No version constraint was set',
        'The version field must be specified as a string. Ex: `version = ">= 1.2.0, < 2.0.0". See https://www.packer.io/docs/templates/hcl_templates/blocks/packer#version-constraints for docs',
        subject,
      ),
    );
    return { diagnostics };
  }
  if (version.type.kind !== 'string' || version.isNull() || !version.isKnown()) {
    diagnostics.push(errorDiag('Invalid version constraint', 'Version must be specified as a string. See https://www.packer.io/docs/templates/hcl_templates/blocks/packer#version-constraint-syntax for docs.', subject));
    return { diagnostics };
  }
  const constraints = parseConstraints(version.asString());
  if (!constraints) {
    diagnostics.push(errorDiag('Invalid version constraint', 'This string does not use correct version constraint syntax. See https://www.packer.io/docs/templates/hcl_templates/blocks/packer#version-constraint-syntax for docs.', subject));
    return { diagnostics };
  }
  if (hasPrerelease(constraints)) diagnostics.push(errorDiag('Invalid version constraint', `Unsupported prerelease for constraint "${version.asString()}"`, subject));
  const source = attrs.get('source');
  if (!source) {
    diagnostics.push(
      errorDiag(
        'No source was set',
        'The source field must be specified as a string. Ex: `source = "coolcloud". See https://www.packer.io/docs/templates/hcl_templates/blocks/packer#specifying-plugin-requirements for docs',
        subject,
      ),
    );
    return { diagnostics };
  }
  if (source.type.kind !== 'string' || source.isNull() || !source.isKnown()) {
    diagnostics.push(errorDiag('Invalid source', 'Source must be specified as a string. For example: source = "coolcloud"', subject));
    return { diagnostics };
  }
  const problem = sourceProblem(source.asString());
  if (problem) {
    diagnostics.push(errorDiag('Failed to parse source', problem, attr.range));
    return { diagnostics };
  }
  for (const key of attrs.keys()) {
    if (key !== 'version' && key !== 'source') {
      diagnostics.push(errorDiag('Invalid required_plugins object', 'required_plugins objects can only contain "version" and "source" attributes.', subject));
      break;
    }
  }
  return { plugin: { name, source: source.asString(), version: version.asString(), range: attr.range }, diagnostics };
}

/** Why a plugin source address is invalid (addrs.ParsePluginSourceString); undefined when valid. */
export function sourceProblem(src: string): string | undefined {
  const errs: string[] = [];
  if (src.startsWith('/')) errs.push("A source URL must not start with a '/' character.");
  if (src.endsWith('/')) errs.push("A source URL must not end with a '/' character.");
  if ((src.match(/\//g) ?? []).length < 2) errs.push('A source URL must at least contain a host and a path with 2 components');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(src)) errs.push('A source URL must not contain a scheme (e.g. https://).');
  if (src.includes('?')) errs.push('A source URL must not contain a query (e.g. ?var=val)');
  if (src.includes('#')) errs.push('A source URL must not contain a fragment (e.g. #anchor).');
  if (errs.length > 0) {
    return `The provided source URL is invalid.\nThe following errors have been discovered:\n${errs.map((e) => `* ${e}\n`).join('')}\nA valid source looks like "github.com/hashicorp/happycloud"`;
  }
  const name = src.slice(src.lastIndexOf('/') + 1);
  if (name.startsWith('packer-plugin-')) {
    return `Plugin source has a type with the prefix "packer-plugin-", which isn't valid.\nAlthough that prefix is often used in the names of version control repositories for Packer plugins, plugin source strings should not include it.\n\nDid you mean "${name.slice('packer-plugin-'.length)}"?`;
  }
  if (name.startsWith('packer-')) return `Plugin source has a type with the prefix "packer-", which isn't allowed because it would be redundant to name a Packer plugin with that prefix. If you are the author of this plugin, rename it to not include the prefix.`;
  const parts = src.split('/').filter((p) => p !== '').length;
  if (parts > 16) {
    return `The source URL must have at most 16 components, and the one provided has ${parts}.\nThis is unsupported by Packer, please consider using a source that has less components to it.\nIf this is a blocking issue for you, please open an issue to ask for supporting more components to the source URI.`;
  }
  return undefined;
}

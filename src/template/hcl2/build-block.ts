/**
 * `build` blocks (decodeBuildConfig): `name`, `description` and `sources` read in the
 * data-source context; build-level `source` blocks; provisioners, the error-cleanup
 * provisioner and post-processor chains. `hcp_packer_registry` is parsed and otherwise
 * ignored.
 *
 * `dynamic` blocks are not handled here: the loader reads each file through
 * `expandDynamicBlocks` (as Packer's parseConfig does), so the blocks this module sees
 * are already expanded, and a generated block's attributes evaluate with its iterator.
 */
import type { Block, BodySchema } from '../../hcl/body.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import { exprList } from '../../hcl/expression.js';
import type { Range } from '../../hcl/pos.js';
import { isValidIdentifier } from '../../hcl/syntax/parse.js';
import * as cty from '../../hcl/cty/index.js';
import { decodeString, decodeStringList } from './decode-value.js';
import { checkRegistryBlock } from './hcp-registry.js';
import { decodePostProcessorBlock, decodeProvisionerBlock } from './provisioner-block.js';
import type { TemplateScope } from './scope.js';
import type { BuildBlock, PostProcessorBlock, ProvisionerBlock, SourceUse } from './types.js';

const BUILD_ATTRS = { attributes: [{ name: 'name' }, { name: 'description' }, { name: 'sources' }] };

const BUILD_SCHEMA: BodySchema = {
  blocks: [
    { type: 'from', labelNames: ['type'] },
    { type: 'source', labelNames: ['reference'] },
    { type: 'provisioner', labelNames: ['type'] },
    { type: 'error-cleanup-provisioner', labelNames: ['type'] },
    { type: 'post-processor', labelNames: ['type'] },
    { type: 'post-processors', labelNames: [] },
    { type: 'hcp_packer_registry' },
  ],
};

const POST_PROCESSORS_SCHEMA: BodySchema = { blocks: [{ type: 'post-processor', labelNames: ['type'] }] };

const INVALID_REFERENCE_DETAIL =
  'A source type is made of three parts that are split by a dot `.`; each part must start with a letter and may contain only letters, digits, underscores, and dashes. A valid source reference looks like: `source.type.name`';

/** `source.t.n`, `sources.t.n` or `t.n` as type and name; undefined when malformed. */
export function parseSourceRef(text: string): { type: string; name: string } | undefined {
  let parts = text.split('.');
  if (parts.length < 2) return undefined;
  if (parts.length > 2) parts = parts.slice(1);
  const [type, name] = parts as [string, string];
  if (!isValidIdentifier(type) || !isValidIdentifier(name)) return undefined;
  return { type, name };
}

/** Decodes one `build` block; undefined when its own arguments are invalid. */
export function decodeBuildBlock(block: Block, scope: TemplateScope): { build?: BuildBlock; diagnostics: Diagnostic[] } {
  const localCtx = scope.context('local');
  const { content, remain, diagnostics } = block.body.partialContent(BUILD_ATTRS);
  const attr = (k: string) => content.attributes.get(k);
  const str = (k: string): string => {
    const a = attr(k);
    if (!a) return '';
    const r = decodeString(a.expr, localCtx);
    diagnostics.push(...r.diagnostics);
    return r.value ?? '';
  };
  const name = str('name');
  const description = str('description');
  const sources: SourceUse[] = [];
  let hadSource = false;
  const srcAttr = attr('sources');
  if (srcAttr) {
    const r = decodeStringList(srcAttr.expr, localCtx);
    diagnostics.push(...r.diagnostics);
    const elements = exprList(srcAttr.expr).value;
    (r.value ?? []).forEach((text, i) => {
      hadSource = true;
      const range = elements?.[i]?.range ?? srcAttr.expr.range;
      const ref = parseSourceRef(text);
      if (!ref) diagnostics.push(errorDiag('Invalid source reference', INVALID_REFERENCE_DETAIL, range));
      else sources.push({ ...ref, range });
    });
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  const buildCtx = scope.context('build', { build: cty.objectVal({ name: cty.stringVal(name) }) });
  const body = remain.content(BUILD_SCHEMA);
  diagnostics.push(...body.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const provisioners: ProvisionerBlock[] = [];
  let errorCleanupProvisioner: ProvisionerBlock | undefined;
  const postProcessors: PostProcessorBlock[][] = [];
  let registry: Range | undefined;
  for (const b of body.content.blocks) {
    switch (b.type) {
      case 'source': {
        hadSource = true;
        const r = decodeBuildSource(b);
        diagnostics.push(...r.diagnostics);
        if (r.source) sources.push(r.source);
        break;
      }
      case 'provisioner': {
        const r = decodeProvisionerBlock(b, buildCtx);
        diagnostics.push(...r.diagnostics);
        if (r.provisioner) provisioners.push(r.provisioner);
        break;
      }
      case 'error-cleanup-provisioner': {
        if (errorCleanupProvisioner) {
          diagnostics.push(errorDiag('Only one error-cleanup-provisioner is allowed', '', b.defRange));
          break;
        }
        const r = decodeProvisionerBlock(b, buildCtx);
        diagnostics.push(...r.diagnostics);
        errorCleanupProvisioner = r.provisioner;
        break;
      }
      case 'post-processor': {
        const r = decodePostProcessorBlock(b, buildCtx);
        diagnostics.push(...r.diagnostics);
        if (r.postProcessor) postProcessors.push([r.postProcessor]);
        break;
      }
      case 'post-processors': {
        const chain = decodeChain(b, buildCtx, diagnostics);
        if (chain) postProcessors.push(chain);
        break;
      }
      case 'hcp_packer_registry':
        if (registry) diagnostics.push(errorDiag('Only one hcp_packer_registry is allowed', '', b.defRange));
        else diagnostics.push(...checkRegistryBlock(b, scope.context('build')));
        registry = b.defRange;
        break;
      default:
        break;
    }
  }
  if (!hadSource) diagnostics.push(errorDiag('missing source reference', 'a build block must reference at least one source to be built', block.defRange));
  const build: BuildBlock = {
    name,
    description,
    sources,
    provisioners,
    ...(errorCleanupProvisioner ? { errorCleanupProvisioner } : {}),
    postProcessors,
    range: block.defRange,
  };
  return { build, diagnostics };
}

/**
 * A build-level `source` block. Its `name` is read without a context, as Packer does:
 * only literals and, in a block made by `dynamic`, the iterator.
 */
function decodeBuildSource(block: Block): { source?: SourceUse; diagnostics: Diagnostic[] } {
  const label = block.labels[0] ?? '';
  const { content, remain, diagnostics } = block.body.partialContent({ attributes: [{ name: 'name' }] });
  let localName: string | undefined;
  const n = content.attributes.get('name');
  if (n) {
    const r = decodeString(n.expr, undefined);
    diagnostics.push(...r.diagnostics);
    localName = r.value === '' ? undefined : r.value;
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  const ref = parseSourceRef(label);
  if (!ref) return { diagnostics: [...diagnostics, errorDiag('Invalid source reference', INVALID_REFERENCE_DETAIL, block.labelRanges[0] ?? block.defRange)] };
  return {
    source: { ...ref, ...(localName !== undefined ? { localName } : {}), extra: remain, range: block.defRange },
    diagnostics,
  };
}

function decodeChain(block: Block, buildCtx: EvalContext, diagnostics: Diagnostic[]): PostProcessorBlock[] | undefined {
  const { content, diagnostics: d } = block.body.content(POST_PROCESSORS_SCHEMA);
  diagnostics.push(...d);
  if (hasErrors(d)) return undefined;
  const chain: PostProcessorBlock[] = [];
  for (const b of content.blocks) {
    const r = decodePostProcessorBlock(b, buildCtx);
    diagnostics.push(...r.diagnostics);
    if (!r.postProcessor) return undefined;
    chain.push(r.postProcessor);
  }
  return chain;
}

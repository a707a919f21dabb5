/**
 * `hcp_packer_registry` blocks (decodeHCPRegistry): kiln does not publish to HCP
 * Packer, but reads the block as Packer does so a template Packer rejects is
 * rejected here too, and one it accepts is accepted.
 */
import type { Block } from '../../hcl/body.js';
import * as cty from '../../hcl/cty/index.js';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag, hasErrors } from '../../hcl/diagnostic.js';
import type { EvalContext } from '../../hcl/eval-context.js';
import { convertedValue, decodeString } from './decode-value.js';

const SCHEMA = { attributes: ['bucket_name', 'description', 'labels', 'bucket_labels', 'build_labels', 'channels'].map((name) => ({ name })) };
const BUCKET_NAME = /^[a-zA-Z0-9-]{3,36}$/;
const LABEL = 'hcp_packer_registry';

/** Checks one `hcp_packer_registry` block. */
export function checkRegistryBlock(block: Block, ctx: EvalContext): Diagnostic[] {
  const { content, diagnostics } = block.body.partialContent(SCHEMA);
  const attr = (k: string) => content.attributes.get(k);
  const str = (k: string): string => {
    const a = attr(k);
    if (!a) return '';
    const r = decodeString(a.expr, ctx);
    diagnostics.push(...r.diagnostics);
    return r.value ?? '';
  };
  const typed = (k: string, t: cty.Type): number => {
    const a = attr(k);
    if (!a) return 0;
    const r = convertedValue(a.expr, ctx, t);
    diagnostics.push(...r.diagnostics);
    return r.value?.isKnown() && !r.value.isNull() ? r.value.asMap().size : 0;
  };
  const bucket = str('bucket_name');
  const description = str('description');
  const labels = typed('labels', cty.mapOf(cty.stringType));
  const bucketLabels = typed('bucket_labels', cty.mapOf(cty.stringType));
  typed('build_labels', cty.mapOf(cty.stringType));
  const channels = attr('channels');
  if (channels) diagnostics.push(...convertedValue(channels.expr, ctx, cty.listOf(cty.stringType)).diagnostics);
  if (hasErrors(diagnostics)) return diagnostics;
  if ([...description].length > 255) return [...diagnostics, errorDiag(`${LABEL}.description should have a maximum length of 255 characters`, '', block.defRange)];
  if (bucket !== '' && !BUCKET_NAME.test(bucket)) {
    diagnostics.push(errorDiag(`${LABEL}.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens`, '', block.defRange));
  }
  if (labels > 0 && bucketLabels > 0) {
    return [
      ...diagnostics,
      errorDiag(`${LABEL}.labels and ${LABEL}.bucket_labels are mutually exclusive; please use the recommended argument ${LABEL}.bucket_labels`, '', block.defRange),
    ];
  }
  if (labels > 0) {
    diagnostics.push({
      severity: 'warning',
      summary: `the argument ${LABEL}.labels has been deprecated and will be removed in the next minor release; please use ${LABEL}.bucket_labels`,
      detail: '',
      subject: block.defRange,
    });
  }
  return diagnostics;
}

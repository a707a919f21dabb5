/**
 * The HCL2 half of `inspect` (Packer's `PackerConfig.printVariables` and
 * `printBuilds`); `printVariables` is also the console's `variables` answer.
 */
import type * as cty from '../hcl/cty/index.js';
import { goQuote } from '../hcl/diagnostic-vars.js';
import type { TemplateDescription } from '../template/load-hcl2-template.js';
import { printableValue } from './template-printable.js';

function byName<T extends { readonly name: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Input variables and locals, sorted, each value `%q`-quoted. */
export function printVariables(d: TemplateDescription | undefined): string {
  const line = (prefix: string, v: { readonly name: string; readonly value: cty.Value }): string => `${prefix}.${v.name}: ${goQuote(printableValue(v.value))}\n`;
  let s = '> input-variables:\n\n';
  for (const v of byName(d?.variables ?? [])) s += line('var', v);
  s += '\n> local-variables:\n\n';
  for (const l of byName(d?.locals ?? [])) s += line('local', l);
  return s;
}

/** Each build block: name, description, sources, provisioners, post-processor chains. */
export function printBuilds(d: TemplateDescription | undefined): string {
  let s = '> builds:\n';
  (d?.builds ?? []).forEach((b, i) => {
    s += `\n  > ${b.name !== '' ? b.name : `<unnamed build ${i}>`}:\n`;
    if (b.description !== '') s += `\n  > Description: ${b.description}\n`;
    s += '\n    sources:\n';
    if (b.sources.length === 0) s += '\n      <no source>\n';
    for (const src of b.sources) s += `\n      ${src}\n`;
    s += '\n    provisioners:\n\n';
    if (b.provisioners.length === 0) s += '      <no provisioner>\n';
    for (const p of b.provisioners) s += `      ${p.name ? `${p.type}.${p.name}` : p.type}\n`;
    s += '\n    post-processors:\n';
    if (b.postProcessors.length === 0) s += '\n      <no post-processor>\n';
    b.postProcessors.forEach((chain, j) => {
      s += `\n      ${j}:\n`;
      for (const pp of chain) s += `        ${pp.name ? `${pp.type}.${pp.name}` : pp.type}\n`;
    });
  });
  return s;
}

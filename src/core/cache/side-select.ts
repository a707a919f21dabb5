/**
 * Which provisioners of a build a side file's `step "SELECTOR"` block names. A selector
 * is what users see in kiln build's output (`[3/5] shell`): a position (`3`), a type and
 * position (`shell#3`: position 3, which must be a shell provisioner — a guard against
 * the template changing under the side file), or a provisioner's `name` (HCL templates;
 * Packer allows `name` on any provisioner block).
 */

import { nameSuggestion } from '../../hcl/suggest.js';

/** What the side file needs of a build. */
export interface SideBuild {
  /** As kiln build prints it: `docker.app`, `<build name>.docker.app`. */
  readonly name: string;
  readonly builderType: string;
  readonly sourceName: string;
  readonly provisioners: readonly { readonly type: string; readonly name?: string }[];
}

/** The indexes (0-based) `selector` names in `build`, or why it names none. */
export function selectStep(build: SideBuild, selector: string): number[] | string {
  const count = build.provisioners.length;
  const positional = /^(?:([A-Za-z0-9_-]+)#)?([0-9]+)$/.exec(selector);
  if (positional) {
    const n = Number(positional[2]);
    const type = positional[1];
    if (n < 1 || n > count) return `${build.name} has ${count} provisioner${count === 1 ? '' : 's'}: ${describe(build)}.`;
    const actual = build.provisioners[n - 1]?.type;
    if (type !== undefined && actual !== type) return `Step ${n} of ${build.name} is a ${actual ?? '?'} provisioner, not ${type}.`;
    return [n - 1];
  }
  const named = build.provisioners.flatMap((p, i) => (p.name === selector ? [i] : []));
  if (named.length > 0) return named;
  const guess = nameSuggestion(selector, build.provisioners.flatMap((p) => (p.name !== undefined && p.name !== '' ? [p.name] : [])));
  return `${build.name} has no provisioner named ${JSON.stringify(selector)}${guess !== undefined ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; its steps: ${describe(build)}.`;
}

function describe(build: SideBuild): string {
  if (build.provisioners.length === 0) return 'none';
  return build.provisioners.map((p, i) => `${i + 1} ${p.type}${p.name !== undefined && p.name !== '' ? ` "${p.name}"` : ''}`).join(', ');
}

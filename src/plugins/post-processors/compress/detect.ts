/**
 * How Packer's compress post-processor picks archive and algorithm from the output
 * name (`detectFromFilename`): the last two `.ext` groups of the raw `output` template
 * (with `.format` appended when set), matched by `\.([a-z0-9]+)`.
 */

export type Archive = 'tar' | 'zip';
export type Algorithm = 'pgzip' | 'lz4' | 'bgzf' | 'xz' | 'bzip2';

export interface Detected {
  /** undefined: compress the single input file as is. */
  readonly archive: Archive | undefined;
  /** undefined: no compression (plain tar or zip). */
  readonly algorithm: Algorithm | undefined;
}

const EXTENSIONS: Readonly<Record<string, Algorithm>> = { gz: 'pgzip', lz4: 'lz4', bgzf: 'bgzf', xz: 'xz', bzip2: 'bzip2' };

export function detectFromFilename(output: string, format: string): Detected {
  const subject = format === '' ? output : `${output}.${format}`;
  const groups = [...subject.matchAll(/\.([a-z0-9]+)/g)].map((m) => m[1] as string);
  const last = groups.at(-1);
  if (last === undefined) return { archive: 'tar', algorithm: 'pgzip' };
  if (last === 'zip' || last === 'tar') return { archive: last, algorithm: undefined };
  const archive = groups.at(-2) === 'tar' ? 'tar' : undefined;
  const algorithm = EXTENSIONS[last];
  if (algorithm !== undefined) return { archive, algorithm };
  // An extension nobody knows: tar and gzip, whatever came before.
  return { archive: 'tar', algorithm: 'pgzip' };
}

/**
 * The `file` provisioner's options (Packer's `provisioner/file`) and its checks.
 */
import type { PrepareDiagnostic } from '../../../sdk/component.js';
import { prepareError } from '../../../sdk/component.js';
import { statSync } from 'node:fs';
import { bool, list, str } from '../../../sdk/schema/index.js';
import type { Infer } from '../../../sdk/schema/index.js';
import { statMessage } from '../../../sdk/shell-local/config.js';

export const fileSchema = {
  source: str().localPath().doc('A local file or directory to upload (or a path on the machine to download).'),
  sources: list(str()).localPath().doc('Several sources; `destination` should then end in `/`.'),
  content: str().doc('Text to upload as the file `destination`; exclusive with sources.'),
  destination: str().doc('Where the file goes; a trailing `/` means "into this directory". Required.'),
  direction: str().doc('`upload` (the default) or `download`.'),
  generated: bool().doc('The source is created during the build: skip the existence check at prepare.'),
};

export type FileConfig = Infer<typeof fileSchema>;

export interface FileSettings {
  readonly sources: readonly string[];
  readonly content: string;
  readonly destination: string;
  readonly direction: 'upload' | 'download';
}

/** Packer's `Prepare`: defaults and checks, each at its attribute; the settings are usable only without errors. */
export function resolveFile(config: FileConfig): { settings: FileSettings; diagnostics: PrepareDiagnostic[] } {
  const diagnostics: PrepareDiagnostic[] = [];
  const errors = { push: (message: string, attribute?: string) => void diagnostics.push(prepareError(message, attribute)) };
  const direction = config.direction || 'upload';
  if (direction !== 'download' && direction !== 'upload') errors.push('Direction must be one of: download, upload.', 'direction');
  const sources = [...(config.sources ?? [])];
  if (config.source) sources.push(config.source);
  if (direction === 'upload' && !config.generated) {
    for (const src of sources) {
      try {
        statSync(src);
      } catch (err) {
        errors.push(`Bad source '${src}': ${statMessage(src, err)}`, config.sources?.includes(src) ? 'sources' : 'source');
      }
    }
  }
  const content = config.content ?? '';
  if (sources.length > 0 && content !== '') errors.push('source(s) conflicts with content.', 'content');
  const destination = config.destination ?? '';
  if (destination === '') errors.push('Destination must be specified.');
  return { settings: { sources, content, destination, direction: direction === 'download' ? 'download' : 'upload' }, diagnostics };
}

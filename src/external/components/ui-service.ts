/**
 * The Ui kiln serves to a plugin (Packer's `Ui` service): say, message, error, machine,
 * ask, and progress trackers. Everything goes through kiln's Ui, so the renderer and
 * secret masking apply to plugin output as to kiln's own.
 */
import { randomBytes } from 'node:crypto';
import type { Ui } from '../../sdk/ui.js';
import { field, fieldString, type ServiceTable } from './serve.js';

const text = (arg: unknown): string => (typeof arg === 'string' ? arg : arg instanceof Uint8Array ? Buffer.from(arg).toString('utf8') : String(arg ?? ''));

/** Adds `Ui` (and its dynamic `Ui<id>` trackers) to a service table. */
export function addUiService(table: ServiceTable, ui: Ui, machine?: (category: string, args: readonly string[]) => void): ServiceTable {
  return table.add('Ui', {
    Say: (a) => ui.say(text(a)),
    Message: (a) => ui.message(text(a)),
    Error: (a) => ui.error(text(a)),
    Machine: (a) => {
      const args = field(a, 'Args');
      machine?.(fieldString(a, 'Category'), Array.isArray(args) ? args.map(text) : []);
    },
    Ask: (a) => ui.ask(text(a)),
    NewTrackProgress: (a) => {
      // Go core names the tracker after the source plus six random characters and
      // serves it as `Ui<id>`; kiln shows no progress bar for plugin transfers.
      const id = fieldString(a, 'Src') + randomBytes(3).toString('hex');
      table.add(`Ui${id}`, {
        Add: () => null,
        Close: () => {
          table.remove(`Ui${id}`);
          return null;
        },
      });
      return id;
    },
  });
}

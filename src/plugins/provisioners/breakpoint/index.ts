/**
 * The `breakpoint` provisioner: stops the build until the user presses enter, so they
 * can look at the machine; `disable` turns it into a message.
 */
import { defineProvisioner } from '../../../sdk/component.js';
import { fail, ok } from '../../../sdk/result.js';
import { bool, str } from '../../../sdk/schema/index.js';

export const breakpointSchema = {
  note: str().noEffect().doc('Shown when the build pauses, to say why.'),
  disable: bool().default(false).noEffect().doc('Skip the pause (prints that it was skipped).'),
};

export default defineProvisioner({
  name: 'breakpoint',
  schema: breakpointSchema,
  async provision(config, ctx) {
    const withNote = config.note ? ` with note "${config.note}"` : '';
    if (config.disable) {
      ctx.ui.say(`Breakpoint provisioner${withNote} disabled; continuing...`);
      return ok(undefined);
    }
    ctx.ui.say(`Pausing at breakpoint provisioner${withNote}.`);
    // Packer waits on the answer alone; we also give up when the build is cancelled.
    const cancelled = new Promise<'cancelled'>((resolve) => {
      if (ctx.signal.aborted) resolve('cancelled');
      ctx.signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    try {
      const answer = await Promise.race([ctx.ui.ask('Press enter to continue.'), cancelled]);
      if (answer === 'cancelled' && ctx.signal.aborted) return fail('context canceled');
    } catch (err) {
      return fail(`Error asking for input: ${err instanceof Error ? err.message : String(err)}`);
    }
    return ok(undefined);
  },
});

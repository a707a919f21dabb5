/**
 * The `sleep` provisioner: waits for `duration`, or until the build is cancelled.
 * Says nothing, as in Packer.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { defineProvisioner } from '../../../sdk/component.js';
import { fail, ok } from '../../../sdk/result.js';
import { duration } from '../../../sdk/schema/index.js';

export const sleepSchema = {
  duration: duration().default(0).noEffect().doc('How long to wait, in Go duration syntax (`30s`, `1m30s`).'),
};

export default defineProvisioner({
  name: 'sleep',
  schema: sleepSchema,
  async provision(config, ctx) {
    if (ctx.signal.aborted) return fail('context canceled');
    try {
      await delay(config.duration, undefined, { signal: ctx.signal });
    } catch {
      return fail('context canceled');
    }
    return ok(undefined);
  },
});

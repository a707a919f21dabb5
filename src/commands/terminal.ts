/** Asking the user a question on the terminal (breakpoints, `-on-error=ask`, `-debug`). */
import { createInterface } from 'node:readline/promises';

export async function terminalAsk(query: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question(`${query}\n> `);
  } finally {
    rl.close();
  }
}

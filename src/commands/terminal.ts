/**
 * Asking the user a question (breakpoints, `-on-error=ask`, `-debug`): on a terminal
 * with a prompt, otherwise by reading the next line of standard input, as Packer's
 * BasicUi does, so scripts can answer through a pipe. Lines already piped are kept
 * for the next question; at the end of the input a question rejects, and the asker
 * goes on as it does without a terminal.
 */
import { createInterface } from 'node:readline';
import { createInterface as createPromptInterface } from 'node:readline/promises';
import { writeOutput } from './process-output.js';

export async function terminalAsk(query: string): Promise<string> {
  const rl = createPromptInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question(`${query}\n> `);
  } finally {
    rl.close();
  }
}

interface PipedLines {
  readonly lines: string[];
  readonly waiting: ((line: string | undefined) => void)[];
  ended: boolean;
  resume(): void;
}

let piped: PipedLines | undefined;

/** A pipe's handle keeps the process alive while referenced; only a waiting question should. */
function holdStdin(hold: boolean): void {
  const stdin = process.stdin as { ref?: () => void; unref?: () => void };
  if (hold) stdin.ref?.();
  else stdin.unref?.();
}

/** One reader over stdin for the whole process, paused and released between questions so the process can exit. */
function pipedLines(): PipedLines {
  if (piped) return piped;
  const rl = createInterface({ input: process.stdin, terminal: false });
  const p: PipedLines = {
    lines: [],
    waiting: [],
    ended: false,
    resume: () => {
      holdStdin(true);
      rl.resume();
    },
  };
  rl.on('line', (line) => {
    const waiter = p.waiting.shift();
    if (waiter) waiter(line);
    else p.lines.push(line);
    if (p.waiting.length === 0) {
      rl.pause();
      holdStdin(false);
    }
  });
  rl.on('close', () => {
    p.ended = true;
    for (const waiter of p.waiting.splice(0)) waiter(undefined);
  });
  piped = p;
  return p;
}

export async function pipedAsk(query: string): Promise<string> {
  writeOutput(1, `${query}\n`);
  const p = pipedLines();
  const queued = p.lines.shift();
  if (queued !== undefined) return queued;
  if (p.ended) throw new Error('no more input on stdin');
  const line = await new Promise<string | undefined>((resolve) => {
    p.waiting.push(resolve);
    p.resume();
  });
  if (line === undefined) throw new Error('no more input on stdin');
  return line;
}

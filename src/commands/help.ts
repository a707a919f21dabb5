/** Help text, generated from the command table. */
import type { FlagSpec } from './flags.js';
import type { CommandSpec } from './table.js';
import { COMMANDS } from './table.js';

/** The top-level usage and command list (what `kiln`, `kiln -h` and unknown commands print). */
export function commandList(): string {
  const visible = COMMANDS.filter((c) => !c.hidden && !c.name.includes(' '));
  const width = Math.max(...visible.map((c) => c.name.length)) + 4;
  const lines = visible.map((c) => `    ${c.name.padEnd(width)}${c.synopsis}`);
  return `Usage: kiln [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${lines.join('\n')}\n\n`;
}

function flagHead(f: FlagSpec): string {
  if (f.kind === 'bool') return f.default === true ? `-${f.name}=false` : `-${f.name}`;
  if (f.kind === 'bool-or-string') return `-${f.name}[=${f.value ?? 'value'}]`;
  return `-${f.name}=${f.value ?? 'value'}`;
}

const HEAD_WIDTH = 30;
const LINE_WIDTH = 80;

/** `  -flag=value    usage`, the usage wrapped at 80 columns under its own column. */
function flagRow(head: string, usage: string): string {
  const indent = ' '.repeat(HEAD_WIDTH + 2);
  const lines: string[] = [];
  let line = '';
  for (const word of usage.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  const first = head.length < HEAD_WIDTH ? `  ${head.padEnd(HEAD_WIDTH)}${lines.shift() ?? ''}` : `  ${head}`;
  return [first, ...lines.map((l) => indent + l)].join('\n');
}

/** The help for one command: usage line, description, subcommands, options. */
export function commandHelp(spec: CommandSpec): string {
  let out = `Usage: kiln ${spec.name}${spec.usage ? ` ${spec.usage}` : ''}\n\n  ${spec.description}\n`;
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${spec.name} `));
  if (subs.length > 0) {
    const width = Math.max(...subs.map((c) => c.name.length)) + 4;
    out += `\nSubcommands:\n${subs.map((c) => `    ${c.name.padEnd(width)}${c.synopsis}`).join('\n')}\n`;
  }
  if (spec.flags.length > 0) {
    const rows = spec.flags.map((f) => flagRow(flagHead(f), f.usage));
    out += `\nOptions:\n\n${rows.join('\n')}\n`;
  }
  return out;
}

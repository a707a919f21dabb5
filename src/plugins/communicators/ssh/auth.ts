/**
 * The authentication methods to offer, in Packer's order: agent, private keys,
 * password, keyboard-interactive answering every prompt with the password.
 */
import { open } from 'node:fs/promises';
import readline from 'node:readline';
import type { AnyAuthMethod, AuthenticationType, KeyboardInteractiveCallback, ParsedKey, Prompt } from 'ssh2';

type AuthMethod = AnyAuthMethod;

export interface AuthSpec {
  readonly username: string;
  readonly password: string | undefined;
  /** Key files' contents, or parsed keys (a certificate key from cert-auth.ts). */
  readonly privateKeys: ReadonlyArray<Buffer | ParsedKey>;
  /** An ssh-agent socket to authenticate with (SSH_AUTH_SOCK), or undefined. */
  readonly agent: string | undefined;
  /** Keyboard-interactive prompts answered by a person (`ssh_bastion_interactive`). */
  readonly interactive?: InteractivePrompt | undefined;
}

/** Asks a person one question; `echo` false means a secret. */
export type InteractivePrompt = (question: string, echo: boolean) => Promise<string>;

/** The ssh2 `authHandler` list for `spec`. */
export function authMethods(spec: AuthSpec): AuthMethod[] {
  const out: AuthMethod[] = [];
  const username = spec.username;
  if (spec.agent) out.push({ type: 'agent', username, agent: spec.agent } as AuthMethod);
  for (const key of spec.privateKeys) out.push({ type: 'publickey', username, key } as AuthMethod);
  const password = spec.password;
  if (password !== undefined) {
    out.push({ type: 'password', username, password } as AuthMethod);
    const answerAll = (_name: string, _instr: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) =>
      finish(prompts.map(() => password));
    out.push({ type: 'keyboard-interactive', username, prompt: answerAll } as AuthMethod);
  }
  const ask = spec.interactive;
  if (ask) {
    const prompt = (_name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
      void (async () => {
        const answers: string[] = [];
        for (const p of prompts) answers.push(await ask(instructions ? `${instructions}\n${p.prompt}` : p.prompt, p.echo ?? false));
        finish(answers);
      })();
    };
    out.push({ type: 'keyboard-interactive', username, prompt } as AuthMethod);
  }
  return out;
}

/** Names of the methods offered, for error messages. */
export function methodNames(methods: readonly AuthMethod[]): AuthenticationType[] {
  return [...new Set(methods.map((m) => m.type))];
}

/** Asks on the controlling terminal, as Packer's bastion keyboard-interactive does. */
export const ttyPrompt: InteractivePrompt = async (question, _echo) => {
  const tty = await open('/dev/tty', 'r+');
  try {
    const input = tty.createReadStream({ autoClose: false });
    const output = tty.createWriteStream({ autoClose: false });
    const rl = readline.createInterface({ input, output, terminal: true });
    const answer = await new Promise<string>((resolve) => rl.question(`${question} `, resolve));
    rl.close();
    return answer;
  } finally {
    await tty.close();
  }
};

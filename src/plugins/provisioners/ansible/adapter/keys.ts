/**
 * The proxy's keys: its host key and the key Ansible logs in with. Either comes from
 * the template (`ssh_host_key_file`, a private key; `ssh_authorized_key_file`, a
 * public key) or is made for the build. A made user key is written to a temp file
 * (0600) for `-e ansible_ssh_private_key_file=`; the caller removes it.
 */
import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import { createTempFile } from '../../../../sdk/shell-local/index.js';
import type { ProxyKeyType } from '../config.js';

export interface ProxyKeys {
  /** PEM/OpenSSH private host key for the server. */
  readonly hostKey: Buffer | string;
  /** The one public key the server accepts. */
  readonly userKey: ParsedKey;
  /** The made user key's private half on disk; undefined when the template gave the public key. */
  readonly userKeyFile: string | undefined;
}

function generate(type: ProxyKeyType): { private: string; public: string } {
  switch (type) {
    case 'ED25519':
      return ssh2.utils.generateKeyPairSync('ed25519');
    case 'RSA':
      return ssh2.utils.generateKeyPairSync('rsa', { bits: 3072 });
    case 'ECDSA':
      return ssh2.utils.generateKeyPairSync('ecdsa', { bits: 384 });
  }
}

function parsed(data: Buffer | string, what: string): ParsedKey {
  const k = ssh2.utils.parseKey(data);
  const key = Array.isArray(k) ? (k[0] as ParsedKey | undefined) : k;
  if (!key || key instanceof Error) throw new Error(`Failed to parse ${what}${key instanceof Error ? `: ${key.message}` : ''}`);
  return key;
}

export async function proxyKeys(opts: { hostKeyFile: string; authorizedKeyFile: string; type: ProxyKeyType }): Promise<ProxyKeys> {
  let hostKey: Buffer | string;
  if (opts.hostKeyFile !== '') {
    hostKey = await readFile(opts.hostKeyFile).catch(() => {
      throw new Error('Failed to load private host key');
    });
    parsed(hostKey, 'private host key');
  } else {
    hostKey = generate(opts.type).private;
  }
  if (opts.authorizedKeyFile !== '') {
    const text = await readFile(opts.authorizedKeyFile, 'utf8').catch(() => {
      throw new Error('Failed to read public key');
    });
    return { hostKey, userKey: parsed(text.trim(), 'authorized key'), userKeyFile: undefined };
  }
  const user = generate(opts.type);
  const file = await createTempFile('ansible-key', user.private, 0o600);
  return { hostKey, userKey: parsed(user.public, 'generated key'), userKeyFile: file };
}

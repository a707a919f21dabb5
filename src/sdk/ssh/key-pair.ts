/**
 * Temporary key pairs (`temporary_key_pair_type`, `temporary_key_pair_bits`): what a
 * builder generates when the template gives no SSH credentials, injects into the
 * machine (cloud-init, metadata, authorized_keys) and hands to the communicator.
 */
import { randomUUID } from 'node:crypto';

export interface KeyPair {
  /** OpenSSH-format private key (`-----BEGIN OPENSSH PRIVATE KEY-----`), unencrypted. */
  readonly privateKey: string;
  /** One authorized_keys line: `<type> <base64> <comment>`, no trailing newline. */
  readonly publicKey: string;
  /** The comment, which `clearAuthorizedKeys` matches to remove the key again. */
  readonly comment: string;
}

export interface KeyPairOptions {
  /** `rsa` (Packer's default) or `ed25519`. */
  readonly type?: 'rsa' | 'ed25519';
  /** RSA modulus size; default 4096, minimum 1024. Ignored for ed25519. */
  readonly bits?: number;
  /** Default: `packer_<uuid>`, as Packer names its temporary keys. */
  readonly comment?: string;
}

/** Generates a key pair off the main thread (RSA-4096 takes a noticeable moment). */
export async function generateKeyPair(options: KeyPairOptions = {}): Promise<KeyPair> {
  const type = options.type ?? 'rsa';
  const comment = options.comment ?? `packer_${randomUUID()}`;
  const bits = options.bits ?? 4096;
  if (type === 'rsa' && bits < 1024) throw new Error('temporary_key_pair_bits: RSA keys must be at least 1024 bits');
  // ssh2 loads on first use (~40 ms of CPU): a builder that imports this module runs
  // before its machine starts, and most builds need no temporary key.
  const { default: ssh2 } = await import('ssh2');
  const pair = await new Promise<{ private: string; public: string }>((resolve, reject) => {
    const done = (err: Error | null, kp: { private: string; public: string }) => (err ? reject(err) : resolve(kp));
    if (type === 'rsa') ssh2.utils.generateKeyPair('rsa', { bits, comment }, done);
    else ssh2.utils.generateKeyPair('ed25519', { comment }, done);
  });
  return { privateKey: pair.private, publicKey: pair.public.trim(), comment };
}

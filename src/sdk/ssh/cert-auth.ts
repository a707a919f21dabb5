/**
 * OpenSSH user certificates (`ssh_certificate_file`) on ssh2 1.17.0, which lacks them
 * (mscdex/ssh2#551): its `Protocol.authPK` labels the signature with the key's algorithm
 * name, but a certificate login must offer `<type>-cert-v01@openssh.com` as the key
 * algorithm and sign as the plain `<type>`.
 *
 * The local workaround: a certificate key is the parsed private key with the
 * certificate's type and blob on top, marked; `Protocol.prototype.authPK` is wrapped once
 * so that, for marked keys only, it writes the request with the two names apart. It
 * leans on ssh2 internals (`_kex.sessionID`, `_packetRW`, `_authsQueue`, `sendPacket`),
 * which is why ssh2 is pinned exactly; the certificate test catches a changed internal.
 */
import { createRequire } from 'node:module';
import type * as Ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

const requireCjs = createRequire(import.meta.url);

const CERT = Symbol('kiln.sshCertificate');

interface CertInfo {
  /** Offered as the public key algorithm, e.g. `ssh-ed25519-cert-v01@openssh.com`. */
  readonly keyAlgo: string;
  /** Names the signature, e.g. `ssh-ed25519` or `rsa-sha2-256`. */
  readonly sigAlgo: string;
  /** The key type ssh2's convertSignature expects (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
  readonly baseType: string;
}

type CertKey = ParsedKey & { readonly [CERT]: CertInfo };

interface ProtocolInternals {
  _server?: boolean;
  _kex: { sessionID: Buffer };
  _packetRW: { write: { allocStart: number; alloc(n: number): Buffer; finalize(p: Buffer): Buffer } };
  _authsQueue: string[];
  _debug?: (msg: string) => void;
}

type AuthPK = (this: ProtocolInternals, username: string, pubKey: unknown, keyAlgo?: unknown, cbSign?: unknown) => void;

/**
 * ssh2's key parser. ssh2 (with asn1, tweetnacl, bcrypt-pbkdf and the cpu-features addon,
 * ~3 ms) is loaded on first use, not when a builder's SSH settings are read: a template
 * without SSH keys (`validate`, a null or docker build) never loads it.
 */
export function parseSshKey(data: Buffer | string): ReturnType<typeof Ssh2.utils.parseKey> {
  return (requireCjs('ssh2') as typeof Ssh2).utils.parseKey(data);
}

/**
 * Combines a private key with its OpenSSH certificate (the `-cert.pub` file's text) into
 * a key ssh2 can authenticate with. Returns an Error for a mismatched or unsupported pair.
 */
export function certificateKey(privateKey: Buffer, certificateText: string): ParsedKey | Error {
  const parsed = parseSshKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) return key ?? new Error('no key');
  const [certType = '', b64 = ''] = certificateText.trim().split(/\s+/);
  const m = /^(.+)-cert-v01@openssh\.com$/.exec(certType);
  if (!m) return new Error(`not an OpenSSH certificate (type "${certType}")`);
  const blob = Buffer.from(b64, 'base64');
  const base = m[1] ?? '';
  if (base !== key.type) return new Error(`the certificate is for a ${base} key, the private key is ${key.type}`);
  // RSA: sign with SHA-256 (OpenSSH refuses SHA-1 "ssh-rsa" signatures by default).
  const rsa = base === 'ssh-rsa';
  const info: CertInfo = { keyAlgo: rsa ? 'rsa-sha2-256-cert-v01@openssh.com' : certType, sigAlgo: rsa ? 'rsa-sha2-256' : base, baseType: base };
  installAuthPkPatch();
  return Object.create(key, {
    type: { value: certType },
    getPublicSSH: { value: () => blob },
    sign: { value: (data: Buffer, algo?: string) => key.sign(data, rsa ? 'sha256' : algo) },
    [CERT]: { value: info },
  }) as CertKey;
}

let installed = false;

function installAuthPkPatch(): void {
  if (installed) return;
  installed = true;
  const Protocol = requireCjs('ssh2/lib/protocol/Protocol.js') as { prototype: { authPK: AuthPK } };
  const { convertSignature, sendPacket } = requireCjs('ssh2/lib/protocol/utils.js') as {
    convertSignature(sig: Buffer, keyType: string): Buffer | false;
    sendPacket(proto: unknown, packet: Buffer): void;
  };
  const original = Protocol.prototype.authPK;
  Protocol.prototype.authPK = function authPK(this: ProtocolInternals, username, pubKey, keyAlgo, cbSign) {
    const info = (pubKey as Partial<CertKey> | undefined)?.[CERT];
    if (!info) return original.call(this, username, pubKey, keyAlgo, cbSign);
    const sign = (typeof keyAlgo === 'function' ? keyAlgo : cbSign) as ((buf: Buffer, cb: (sig: Buffer) => void) => void) | undefined;
    const blob = (pubKey as ParsedKey).getPublicSSH();
    const str = (s: string | Buffer) => {
      const b = typeof s === 'string' ? Buffer.from(s) : s;
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      return Buffer.concat([len, b]);
    };
    const body = (withSig: boolean) =>
      Buffer.concat([Buffer.from([50]), str(username), str('ssh-connection'), str('publickey'), Buffer.from([withSig ? 1 : 0]), str(info.keyAlgo), str(blob)]);
    const send = (payload: Buffer) => {
      const w = this._packetRW.write;
      const packet = w.alloc(payload.length);
      packet.set(payload, w.allocStart);
      this._authsQueue.push('publickey');
      sendPacket(this, w.finalize(packet));
    };
    if (!sign) {
      this._debug?.('Outbound: Sending USERAUTH_REQUEST (publickey certificate -- check)');
      return send(body(false));
    }
    const signed = Buffer.concat([str(this._kex.sessionID), body(true)]);
    sign(signed, (signature) => {
      const sig = convertSignature(signature, info.baseType);
      if (sig === false) throw new Error('Error while converting handshake signature');
      this._debug?.('Outbound: Sending USERAUTH_REQUEST (publickey certificate)');
      send(Buffer.concat([body(true), str(Buffer.concat([str(info.sigAlgo), str(sig)]))]));
    });
  };
}

/**
 * go-cty-funcs' `crypto` package: `md5`, `sha1`, `sha256`, `sha512` (hex digests of the
 * UTF-8 bytes), `bcrypt` and `rsadecrypt`.
 */
import { createHash, createPrivateKey, privateDecrypt, constants } from 'node:crypto';
import { createRequire } from 'node:module';
import type Bcrypt from 'bcryptjs';
import { numberType, stringType } from '../cty/type.js';
import { stringVal } from '../cty/value.js';
import type { CtyFunction } from './function.js';
import { CallError, defineFunction, staticReturnType } from './function.js';
import { NOT_AN_INT64, toInt64 } from './go-int.js';
import { decodePem } from './pem.js';

function hashFunction(algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512', description: string): CtyFunction {
  return defineFunction({
    description,
    params: [{ name: 'str', type: stringType }],
    type: staticReturnType(stringType),
    impl: (args) => stringVal(createHash(algorithm).update(args[0]!.asString(), 'utf8').digest('hex')),
  });
}

/** `md5(str)`: the MD5 digest of the string's UTF-8 bytes, as lowercase hex. */
export const md5Func = hashFunction('md5', 'Computes the MD5 hash of the given string and encodes it with hexadecimal digits.');
/** `sha1(str)`: SHA-1, hex. */
export const sha1Func = hashFunction('sha1', 'Computes the SHA1 hash of the given string and encodes it with hexadecimal digits.');
/** `sha256(str)`: SHA-256, hex. */
export const sha256Func = hashFunction('sha256', 'Computes the SHA256 hash of the given string and encodes it with hexadecimal digits.');
/** `sha512(str)`: SHA-512, hex. */
export const sha512Func = hashFunction('sha512', 'Computes the SHA512 hash of the given string and encodes it with hexadecimal digits.');

// Go's x/crypto/bcrypt limits.
const BCRYPT_MIN_COST = 4n;
const BCRYPT_MAX_COST = 31n;
const BCRYPT_DEFAULT_COST = 10n;
const BCRYPT_MAX_PASSWORD_BYTES = 72;

/**
 * `bcrypt(str[, cost])`: a salted bcrypt hash in Modular Crypt Format. As Go's
 * x/crypto/bcrypt: a cost below 4 silently means the default 10, above 31 is an error,
 * passwords over 72 bytes are refused, and the prefix is `$2a$` (bcryptjs writes the
 * identical `$2b$` algorithm; the two differ only for passwords over 255 bytes).
 */
export const bcryptFunc = defineFunction({
  description: 'Computes a hash of the given string using the Blowfish cipher, returning a string in the Modular Crypt Format.',
  params: [{ name: 'str', type: stringType }],
  varParam: { name: 'cost', type: numberType },
  type: staticReturnType(stringType),
  impl: (args) => {
    let cost = BCRYPT_DEFAULT_COST;
    if (args.length > 1) {
      const c = toInt64(args[1]!);
      if (c === undefined) return new CallError(NOT_AN_INT64);
      cost = c < BCRYPT_MIN_COST ? BCRYPT_DEFAULT_COST : c;
    }
    if (args.length > 2) return new CallError('bcrypt() takes no more than two arguments');
    const input = args[0]!.asString();
    const failed = (why: string): CallError => new CallError(`error occured generating password ${why}`);
    if (Buffer.byteLength(input, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) return failed('bcrypt: password length exceeds 72 bytes');
    if (cost > BCRYPT_MAX_COST) {
      return failed(`crypto/bcrypt: cost ${cost} is outside allowed inclusive range ${BCRYPT_MIN_COST}..${BCRYPT_MAX_COST}`);
    }
    const bcryptjs = bcrypt();
    const hash = bcryptjs.hashSync(input, bcryptjs.genSaltSync(Number(cost)));
    return stringVal(hash.replace(/^\$2b\$/, '$2a$'));
  },
});

/**
 * `rsadecrypt(ciphertext, privatekey)`: decrypts base64 `ciphertext` with a PEM PKCS#1
 * RSA private key (RSAES-PKCS1-v1_5), with go-cty-funcs' and Go's error texts.
 *
 * Node 20 refuses PKCS#1 v1.5 padding in `privateDecrypt` (CVE-2023-46809, the Marvin
 * timing attack), so the RSA primitive runs without padding and the padding is checked
 * here. That is timing-sensitive in the same way Go's is not; it is acceptable for a
 * build-time function over the user's own secrets, not for a network service.
 */
export const rsaDecryptFunc = defineFunction({
  description: 'Decrypts an RSA-encrypted ciphertext, returning the corresponding cleartext.',
  params: [
    { name: 'ciphertext', type: stringType },
    { name: 'privatekey', type: stringType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const s = args[0]!.asString();
    const cipher = decodeStdBase64(s);
    if (cipher === undefined) return new CallError(`failed to decode input ${JSON.stringify(s)}: cipher text must be base64-encoded`);
    const block = decodePem(args[1]!.asString());
    if (block === undefined) return new CallError('failed to parse key: no key found');
    if (block.headers.get('Proc-Type') === '4,ENCRYPTED') {
      return new CallError('failed to parse key: password protected keys are not supported. Please decrypt the key prior to use');
    }
    const key = parsePkcs1PrivateKey(block.bytes);
    if (typeof key === 'string') return new CallError(key);
    const plain = decryptPkcs1v15(key, cipher);
    return plain === undefined ? new CallError('crypto/rsa: decryption error') : stringVal(plain.toString('utf8'));
  },
});

/** Go's base64.StdEncoding.DecodeString: padded standard alphabet, CR/LF ignored. */
function decodeStdBase64(s: string): Buffer | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  return Buffer.from(clean, 'base64');
}

type PrivateKey = ReturnType<typeof createPrivateKey>;

function parsePkcs1PrivateKey(der: Buffer): PrivateKey | string {
  try {
    // OpenSSL would also take PKCS#8 here; Go's ParsePKCS1PrivateKey does not.
    if (!looksLikePkcs1(der)) throw new Error('not PKCS#1');
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    // Go names the right parser when the bytes are another key format.
    try {
      createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      return 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)';
    } catch {
      try {
        createPrivateKey({ key: der, format: 'der', type: 'sec1' });
        return 'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)';
      } catch {
        return 'x509: failed to parse private key';
      }
    }
  }
}

/** DER `SEQUENCE { INTEGER version, INTEGER modulus, ... }`: PKCS#8 has a SEQUENCE second. */
function looksLikePkcs1(der: Buffer): boolean {
  let i = 0;
  const header = (): number | undefined => {
    i++; // tag
    const first = der[i++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    let len = 0;
    for (let k = 0; k < (first & 0x7f); k++) len = len * 256 + (der[i++] ?? 0);
    return len;
  };
  if (der[0] !== 0x30 || header() === undefined) return false;
  if (der[i] !== 0x02) return false;
  const versionLen = header();
  if (versionLen === undefined) return false;
  i += versionLen;
  return der[i] === 0x02;
}

/** RSAES-PKCS1-v1_5 decryption: the raw RSA primitive, then EM = 00 02 PS(>=8 nonzero) 00 M. */
function decryptPkcs1v15(key: PrivateKey, cipher: Buffer): Buffer | undefined {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const k = Math.ceil(bits / 8);
  if (cipher.length !== k || k < 11) return undefined;
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, cipher);
  } catch {
    return undefined;
  }
  if (em[0] !== 0 || em[1] !== 2) return undefined;
  const sep = em.indexOf(0, 2);
  if (sep < 10) return undefined;
  return em.subarray(sep + 1);
}

let bcryptLib: typeof Bcrypt | undefined;

/** bcryptjs, loaded on the first `bcrypt()` call: compiling it cost ~5 ms of every command's start-up. */
function bcrypt(): typeof Bcrypt {
  bcryptLib ??= createRequire(import.meta.url)('bcryptjs') as typeof Bcrypt;
  return bcryptLib;
}

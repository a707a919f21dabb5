import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { test } from 'node:test';
import bcryptjs from 'bcryptjs';
import { mark } from '../cty/marks.js';
import { numberIntVal, stringVal, unknownVal, Value } from '../cty/value.js';
import { stringType } from '../cty/type.js';
import { bcryptFunc, md5Func, rsaDecryptFunc, sha256Func } from './crypto.js';
import type { FunctionError } from './function.js';
import { parseUuid, uuidv4Func, uuidv5Func } from './uuid.js';

function ok(r: Value | FunctionError): Value {
  if (!(r instanceof Value)) assert.fail(`unexpected error: ${r.message}`);
  return r;
}
function fail(r: Value | FunctionError): string {
  if (r instanceof Value) assert.fail(`expected an error, got ${r.toString()}`);
  return r.message;
}

test('hashes digest UTF-8 bytes; marks and unknowns pass through', () => {
  assert.equal(ok(md5Func.call([stringVal('tada')])).asString(), 'ce47d07243bb6eaf5e1322c81baf9bbf');
  assert.equal(ok(sha256Func.call([stringVal('')])).asString(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const marked = ok(sha256Func.call([mark(stringVal('x'), 'sensitive')]));
  assert.ok(marked.marks?.has('sensitive'));
  assert.equal(ok(md5Func.call([unknownVal(stringType)])).isKnown(), false);
});

test('bcrypt: Go prefix $2a$, default cost 10, verifiable, cost rules of x/crypto/bcrypt', () => {
  const h = ok(bcryptFunc.call([stringVal('secret')])).asString();
  assert.match(h, /^\$2a\$10\$/);
  assert.ok(bcryptjs.compareSync('secret', h));
  assert.match(ok(bcryptFunc.call([stringVal('secret'), numberIntVal(5)])).asString(), /^\$2a\$05\$/);
  assert.match(ok(bcryptFunc.call([stringVal('secret'), numberIntVal(2)])).asString(), /^\$2a\$10\$/, 'below 4 means the default');
  assert.equal(fail(bcryptFunc.call([stringVal('s'), numberIntVal(32)])), 'error occured generating password crypto/bcrypt: cost 32 is outside allowed inclusive range 4..31');
  assert.equal(fail(bcryptFunc.call([stringVal('s'), numberIntVal(4), numberIntVal(4)])), 'bcrypt() takes no more than two arguments');
  assert.equal(fail(bcryptFunc.call([stringVal('x'.repeat(73))])), 'error occured generating password bcrypt: password length exceeds 72 bytes');
});

test('rsadecrypt: PKCS#1 v1.5 with a PKCS#1 PEM key, and go-cty-funcs errors', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const cipher = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('message')).toString('base64');
  assert.equal(ok(rsaDecryptFunc.call([stringVal(cipher), stringVal(pem)])).asString(), 'message');
  const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  assert.equal(fail(rsaDecryptFunc.call([stringVal(cipher), stringVal(other)])), 'crypto/rsa: decryption error');
  assert.equal(fail(rsaDecryptFunc.call([stringVal(cipher), stringVal('bad key')])), 'failed to parse key: no key found');
  assert.equal(fail(rsaDecryptFunc.call([stringVal(cipher), stringVal('')])), 'failed to parse key: no key found');
  assert.equal(fail(rsaDecryptFunc.call([stringVal('bad cipher'), stringVal(pem)])), 'failed to decode input "bad cipher": cipher text must be base64-encoded');
  assert.equal(fail(rsaDecryptFunc.call([stringVal(''), stringVal(pem)])), 'crypto/rsa: decryption error');
  const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  assert.equal(fail(rsaDecryptFunc.call([stringVal(cipher), stringVal(pkcs8)])), 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)');
  const encrypted = pem.replace('-----BEGIN RSA PRIVATE KEY-----\n', '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n');
  assert.equal(fail(rsaDecryptFunc.call([stringVal(cipher), stringVal(encrypted)])), 'failed to parse key: password protected keys are not supported. Please decrypt the key prior to use');
});

test('uuidv4 is random and well-formed; uuidv5 accepts the UUID spellings google/uuid parses', () => {
  const a = ok(uuidv4Func.call([])).asString();
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, ok(uuidv4Func.call([])).asString());
  const want = 'faa898db-9b9d-5b75-86a9-149e7bb8e3b8';
  for (const ns of ['{6ba7b810-9dad-11d1-80b4-00c04fd430c8}', 'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8', '6ba7b8109dad11d180b400c04fd430c8']) {
    assert.equal(ok(uuidv5Func.call([stringVal(ns), stringVal('tada')])).asString(), want, ns);
  }
  assert.equal(fail(uuidv5Func.call([stringVal('tada'), stringVal('x')])), "uuidv5() doesn't support namespace tada (invalid UUID length: 4)");
  assert.equal(parseUuid('6ba7b810-9dad-11d1-80b4-00c04fd430cZ'), 'invalid UUID format');
});

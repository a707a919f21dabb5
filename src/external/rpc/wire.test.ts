import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeCommandFinished, encodeCommandFinished } from './gob.js';
import { parseHandshake } from './handshake.js';

test('handshake: SDK 4-part and Packer ≤1.6 3-part lines; bad lines are errors', () => {
  assert.deepEqual(parseHandshake('5|0|unix|/tmp/packer-plugin2940268585\n'), { apiVersion: '5.0', form: 'sdk', network: 'unix', address: '/tmp/packer-plugin2940268585' });
  assert.deepEqual(parseHandshake('5|unix|/tmp/packer-plugin1272268465'), { apiVersion: '5', form: 'legacy', network: 'unix', address: '/tmp/packer-plugin1272268465' });
  assert.deepEqual(parseHandshake('5|0|tcp|127.0.0.1:10000'), { apiVersion: '5.0', form: 'sdk', network: 'tcp', address: '127.0.0.1:10000' });
  assert.match(String(parseHandshake('4|unix|/x')), /incompatible plugin API version 4/);
  assert.match(String(parseHandshake('5|1|unix|/x')), /5\.1/);
  assert.match(String(parseHandshake('5|0|udp|/x')), /unknown plugin address type/);
  assert.match(String(parseHandshake('hello')), /unrecognized plugin handshake/);
});

test('gob CommandFinished: the bytes Go writes, and back', () => {
  // Captured from Go's encoding/gob (plugin-protocol reference §5.6).
  const seven = '2cff810301010f436f6d6d616e6446696e697368656401ff82000101010a45786974537461747573010400000005ff82010e00';
  assert.equal(encodeCommandFinished(7).toString('hex'), seven);
  assert.ok(encodeCommandFinished(0).toString('hex').endsWith('03ff8200'));
  for (const n of [0, 3, 300, -1, 123]) assert.equal(decodeCommandFinished(encodeCommandFinished(n)), n);
});

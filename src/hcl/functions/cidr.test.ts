import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberIntVal, stringVal, Value } from '../cty/value.js';
import { cidrHostFunc, cidrNetmaskFunc, cidrSubnetFunc, cidrSubnetsFunc } from './cidr.js';
import type { CtyFunction } from './function.js';
import { ArgError } from './function.js';

function call(fn: CtyFunction, prefix: string, ...nums: number[]): string {
  const r = fn.call([stringVal(prefix), ...nums.map((n) => numberIntVal(n))]);
  if (!(r instanceof Value)) return `error: ${r.message}`;
  return r.type.kind === 'list' ? r.asArray().map((v) => v.asString()).join(' ') : r.asString();
}

test('cidr functions over IPv6 and IPv4 edge cases (go-cidr arithmetic)', () => {
  const cases: ReadonlyArray<[CtyFunction, string, number[], string]> = [
    [cidrHostFunc, 'fd00:fd12:3456:7890::/56', [16], 'fd00:fd12:3456:7800::10'],
    [cidrHostFunc, 'fd00:fd12:3456:7890::/56', [-1], 'fd00:fd12:3456:78ff:ffff:ffff:ffff:ffff'],
    [cidrHostFunc, '10.0.0.0/8', [16777216], 'error: prefix of 8 does not accommodate a host numbered 16777216'],
    [cidrHostFunc, '10.1.2.3', [1], 'error: invalid CIDR expression: invalid CIDR address: 10.1.2.3'],
    [cidrHostFunc, '010.0.0.0/8', [1], 'error: invalid CIDR expression: invalid CIDR address: 010.0.0.0/8'],
    [cidrNetmaskFunc, '10.0.0.0/1', [], '128.0.0.0'],
    [cidrNetmaskFunc, '::/0', [], '::'],
    [cidrSubnetFunc, '10.0.0.0/8', [8, 255], '10.255.0.0/16'],
    [cidrSubnetFunc, '10.0.0.0/8', [8, 256], 'error: prefix extension of 8 does not accommodate a subnet numbered 256'],
    [cidrSubnetFunc, '10.0.0.0/8', [8, -1], 'error: prefix extension of 8 does not accommodate a subnet numbered -1'],
    [cidrSubnetFunc, 'fe80::/48', [33, 1], 'error: may not extend prefix by more than 32 bits'],
    [cidrSubnetFunc, '2001:db8::/32', [32, 1], '2001:db8:0:1::/64'],
    [cidrSubnetsFunc, 'fd00::/48', [16, 16, 8], 'fd00::/64 fd00:0:0:1::/64 fd00:0:0:100::/56'],
    [cidrSubnetsFunc, '10.1.0.0/16', [], ''],
    [cidrSubnetsFunc, '10.1.0.0/16', [4, 4, 8, 4], '10.1.0.0/20 10.1.16.0/20 10.1.32.0/24 10.1.48.0/20'],
  ];
  for (const [fn, prefix, nums, want] of cases) assert.equal(call(fn, prefix, ...nums), want, `${prefix} ${nums.join(',')}`);
});

test('cidrsubnets reports the failing argument index', () => {
  const r = cidrSubnetsFunc.call([stringVal('10.0.0.0/8'), numberIntVal(1), numberIntVal(0)]);
  assert.ok(r instanceof ArgError && r.index === 2);
  const p = cidrSubnetsFunc.call([stringVal('nope'), numberIntVal(1)]);
  assert.ok(p instanceof ArgError && p.index === 0);
});

/**
 * go-cty-funcs' `cidr` package: `cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets`,
 * for IPv4 and IPv6, with go-cidr's arithmetic and error texts.
 */
import { listOf, numberType, stringType } from '../cty/type.js';
import type { Value } from '../cty/value.js';
import { listVal, listValEmpty, stringVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { NOT_AN_INT64, toInt64 } from './go-int.js';
import type { IP, IPNet } from './ip.js';
import { cidrMask, intToIP, ipEqual, ipMask, ipNetString, ipString, ipToInt, maskSize, netContains, parseCidr, to4 } from './ip.js';

const invalidCidr = (s: string): string => `invalid CIDR expression: invalid CIDR address: ${s}`;

/** `cidrhost(prefix, hostnum)`: the address of host `hostnum` in `prefix`; negative numbers count from the end. */
export const cidrHostFunc = defineFunction({
  description: 'Calculates a full host IP address within a given IP network address prefix.',
  params: [
    { name: 'prefix', type: stringType },
    { name: 'hostnum', type: numberType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const hostNum = toInt64(args[1]!);
    if (hostNum === undefined) return new CallError(NOT_AN_INT64);
    const prefix = args[0]!.asString();
    const network = parseCidr(prefix);
    if (network === undefined) return new CallError(invalidCidr(prefix));
    const [parentLen, addrLen] = maskSize(network.mask);
    const maxHost = (1n << BigInt(addrLen - parentLen)) - 1n;
    let num = hostNum;
    let magnitude = hostNum;
    if (hostNum < 0n) {
      magnitude = -hostNum - 1n;
      num = maxHost - magnitude;
    }
    if (magnitude > maxHost) return new CallError(`prefix of ${parentLen} does not accommodate a host numbered ${hostNum}`);
    return stringVal(ipString(insertNumIntoIP(network.ip, num, to4(network.ip) !== undefined ? 32 : 128)));
  },
});

/** `cidrnetmask(prefix)`: the prefix's mask in address notation. */
export const cidrNetmaskFunc = defineFunction({
  description: 'Converts an IPv4 address prefix given in CIDR notation into a subnet mask address.',
  params: [{ name: 'prefix', type: stringType }],
  type: staticReturnType(stringType),
  impl: (args) => {
    const prefix = args[0]!.asString();
    const network = parseCidr(prefix);
    if (network === undefined) return new CallError(invalidCidr(prefix));
    return stringVal(ipString(network.mask));
  },
});

/** `cidrsubnet(prefix, newbits, netnum)`: subnet `netnum` of `prefix` extended by `newbits` bits. */
export const cidrSubnetFunc = defineFunction({
  description: 'Calculates a subnet address within a given IP network address prefix.',
  params: [
    { name: 'prefix', type: stringType },
    { name: 'newbits', type: numberType },
    { name: 'netnum', type: numberType },
  ],
  type: staticReturnType(stringType),
  impl: (args) => {
    const newBits = toInt64(args[1]!);
    if (newBits === undefined) return new CallError(NOT_AN_INT64);
    const netNum = toInt64(args[2]!);
    if (netNum === undefined) return new CallError(NOT_AN_INT64);
    const prefix = args[0]!.asString();
    const network = parseCidr(prefix);
    if (network === undefined) return new CallError(invalidCidr(prefix));
    if (newBits > 32n) return new CallError('may not extend prefix by more than 32 bits');
    const [parentLen, addrLen] = maskSize(network.mask);
    const newLen = parentLen + Number(newBits);
    if (newLen > addrLen) return new CallError(`insufficient address space to extend prefix of ${parentLen} by ${newBits}`);
    // Go computes this in uint64: a negative newbits or netnum wraps around.
    const maxNetNum = BigInt.asUintN(64, (newBits < 0n ? 0n : 1n << newBits) - 1n);
    if (BigInt.asUintN(64, netNum) > maxNetNum) return new CallError(`prefix extension of ${newBits} does not accommodate a subnet numbered ${netNum}`);
    return stringVal(ipNetString({ ip: insertNumIntoIP(network.ip, netNum, newLen), mask: cidrMask(newLen, addrLen) }));
  },
});

/**
 * `cidrsubnets(prefix, newbits...)`: consecutive subnets of `prefix`, each extended by
 * its own number of bits, packed in order with alignment gaps as needed.
 */
export const cidrSubnetsFunc = defineFunction({
  description: 'Calculates a sequence of consecutive IP address ranges within a particular CIDR prefix.',
  params: [{ name: 'prefix', type: stringType }],
  varParam: { name: 'newbits', type: numberType },
  type: staticReturnType(listOf(stringType)),
  impl: (args) => {
    const prefix = args[0]!.asString();
    const network = parseCidr(prefix);
    if (network === undefined) return new ArgError(0, invalidCidr(prefix));
    const lengths = args.slice(1);
    if (lengths.length === 0) return listValEmpty(stringType);
    const startLen = maskSize(network.mask)[0];
    const first = toInt64(lengths[0]!);
    if (first === undefined) return new ArgError(1, NOT_AN_INT64);
    let current = previousSubnet(network, Number(first) + startLen);
    const out: Value[] = [];
    for (let i = 0; i < lengths.length; i++) {
      const r = nextOf(network, current, lengths[i]!, i + 1, startLen);
      if (r instanceof ArgError) return r;
      current = r;
      out.push(stringVal(ipNetString(current)));
    }
    return listVal(out);
  },
});

function nextOf(network: IPNet, current: IPNet, lengthArg: Value, argIndex: number, startLen: number): IPNet | ArgError {
  const n = toInt64(lengthArg);
  if (n === undefined) return new ArgError(argIndex, NOT_AN_INT64);
  if (n < 1n) return new ArgError(argIndex, 'must extend prefix by at least one bit');
  if (n > 32n) return new ArgError(argIndex, 'may not extend prefix by more than 32 bits');
  const length = Number(n) + startLen;
  const width = network.ip.length * 8;
  if (length > width) {
    const protocol = width === 32 ? 'IPv4' : width === 128 ? 'IPv6' : 'IP';
    return new ArgError(argIndex, `would extend prefix to ${length} bits, which is too long for an ${protocol} address`);
  }
  const [next, rollover] = nextSubnet(current, length);
  if (rollover || !netContains(network, next.ip)) {
    return new ArgError(argIndex, `not enough remaining address space for a subnet with a prefix of ${length} bits after ${ipNetString(current)}`);
  }
  return next;
}

/** go-cidr's insertNumIntoIP: ORs `num` into the address, left-aligned to `prefixLen` bits. */
function insertNumIntoIP(ip: IP, num: bigint, prefixLen: number): IP {
  const [v, total] = ipToInt(ip);
  const shift = BigInt(total - prefixLen);
  const shifted = shift >= 0n ? num << shift : num >> -shift;
  return intToIP(v | BigInt.asUintN(total, shifted), total);
}

function step(ip: IP, delta: 1 | -1): IP {
  const [v, bits] = ipToInt(ip);
  return intToIP(v + BigInt(delta), bits);
}

const IPV4_ZERO = Uint8Array.of(0, 0, 0, 0);
const IPV6_ZERO = new Uint8Array(16);
const isZero = (ip: IP): boolean => ipEqual(ip, IPV4_ZERO) || ipEqual(ip, IPV6_ZERO);

/** go-cidr's PreviousSubnet (the rollover flag is unused by cidrsubnets). */
function previousSubnet(network: IPNet, prefixLen: number): IPNet {
  const start = to4(network.ip) ?? network.ip;
  const mask = cidrMask(prefixLen, start.length * 8);
  return { ip: ipMask(step(start, -1), mask) ?? new Uint8Array(0), mask };
}

/** go-cidr's AddressRange: the last address of the network. */
function lastAddress(n: IPNet): IP {
  const [prefixLen, bits] = maskSize(n.mask);
  if (prefixLen === bits) return n.ip.slice();
  const [first, width] = ipToInt(n.ip);
  const hostLen = BigInt(width - prefixLen);
  return intToIP(((1n << BigInt.asUintN(32, hostLen)) - 1n) | first, width);
}

/** go-cidr's NextSubnet: the subnet of `prefixLen` after `network`, and whether it wrapped to zero. */
function nextSubnet(network: IPNet, prefixLen: number): [IPNet, boolean] {
  const currentLast = lastAddress(network);
  const mask = cidrMask(prefixLen, currentLast.length * 8);
  const currentSubnet: IPNet = { ip: ipMask(currentLast, mask) ?? new Uint8Array(0), mask };
  const last = step(lastAddress(currentSubnet), 1);
  const next: IPNet = { ip: ipMask(last, mask) ?? new Uint8Array(0), mask };
  return [next, isZero(last)];
}

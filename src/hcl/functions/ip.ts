/**
 * Go's `net.IP`/`net.IPNet` arithmetic as go-cty-funcs' cidr functions (and go-cidr)
 * see it: addresses are byte arrays of 4 or 16, masks likewise, and the quirks of
 * mixing the two lengths (IPv4-mapped IPv6) follow Go's rules exactly.
 */

export type IP = Uint8Array;

export interface IPNet {
  readonly ip: IP;
  /** undefined = Go's nil mask (an impossible prefix length). */
  readonly mask: IP | undefined;
}

const V4_IN_V6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);

function hasV4Prefix(ip: IP): boolean {
  return ip.length === 16 && V4_IN_V6.every((b, i) => ip[i] === b);
}

/** Go's IP.To4: the 4-byte form of an IPv4 (or IPv4-mapped) address, else undefined. */
export function to4(ip: IP): IP | undefined {
  if (ip.length === 4) return ip;
  return hasV4Prefix(ip) ? ip.subarray(12) : undefined;
}

/** Go's net.ParseCIDR: the network (address masked), or undefined for Go's ParseError. */
export function parseCidr(s: string): IPNet | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddr(s.slice(0, slash));
  const maskText = s.slice(slash + 1);
  if (addr === undefined || !/^\d+$/.test(maskText) || maskText.length > 8) return undefined;
  const bits = addr.length * 8;
  const n = Number(maskText);
  if (n > bits) return undefined;
  const mask = cidrMask(n, bits)!;
  const ip16 = addr.length === 4 ? Uint8Array.of(...V4_IN_V6, ...addr) : addr;
  return { ip: ipMask(ip16, mask)!, mask };
}

/** netip.ParseAddr without zones: 4 bytes for IPv4, 16 for IPv6; undefined when invalid. */
export function parseAddr(s: string): IP | undefined {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

function parseIPv4(s: string): IP | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): IP | undefined {
  if (s.includes('%')) return undefined;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const groups = (text: string): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  let words: number[];
  if (dbl < 0) {
    const all = groups(s);
    if (all === undefined || all.length !== 8) return undefined;
    words = all;
  } else {
    const head = groups(s.slice(0, dbl));
    const tail = groups(s.slice(dbl + 2));
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Go's net.CIDRMask: undefined (nil) unless bits is 32 or 128 and 0 <= ones <= bits. */
export function cidrMask(ones: number, bits: number): IP | undefined {
  if ((bits !== 32 && bits !== 128) || ones < 0 || ones > bits) return undefined;
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < ones; i++) m[i >> 3]! |= 0x80 >> (i & 7);
  return m;
}

/** Go's IPMask.Size: [ones, bits] of a canonical mask, [0, 0] otherwise. */
export function maskSize(mask: IP | undefined): [number, number] {
  if (mask === undefined) return [0, 0];
  let ones = 0;
  let i = 0;
  for (; i < mask.length && mask[i] === 0xff; i++) ones += 8;
  if (i < mask.length) {
    let b = mask[i]!;
    while (b & 0x80) {
      ones++;
      b = (b << 1) & 0xff;
    }
    if (b !== 0) return [0, 0];
    for (i++; i < mask.length; i++) if (mask[i] !== 0) return [0, 0];
  }
  return [ones, mask.length * 8];
}

/** Go's IP.Mask: undefined (nil) when the lengths cannot be reconciled. */
export function ipMask(ipIn: IP, maskIn: IP | undefined): IP | undefined {
  if (maskIn === undefined) return undefined;
  let ip = ipIn;
  let mask = maskIn;
  if (mask.length === 16 && ip.length === 4 && mask.subarray(0, 12).every((b) => b === 0xff)) mask = mask.subarray(12);
  if (mask.length === 4 && hasV4Prefix(ip)) ip = ip.subarray(12);
  if (ip.length !== mask.length) return undefined;
  return ip.map((b, i) => b & mask[i]!);
}

/** Go's IP.Equal (4- and 16-byte forms of one IPv4 address are equal). */
export function ipEqual(a: IP, b: IP): boolean {
  const x = a.length === b.length ? a : to4(a);
  const y = a.length === b.length ? b : to4(b);
  if (x === undefined || y === undefined || x.length !== y.length) return false;
  return x.every((v, i) => v === y[i]);
}

/** Go's IP.String. */
export function ipString(ip: IP | undefined): string {
  if (ip === undefined || ip.length === 0) return '<nil>';
  if (ip.length !== 4 && ip.length !== 16) return `?${Buffer.from(ip).toString('hex')}`;
  const v4 = to4(ip);
  if (v4 !== undefined) return [...v4].join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip[i]! << 8) | ip[i + 1]!);
  let zs = -1;
  let ze = -1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i >= 2 && j - i > ze - zs) {
      zs = i;
      ze = j;
    }
  }
  if (zs < 0) return words.map((w) => w.toString(16)).join(':');
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  return `${hex(words.slice(0, zs))}::${hex(words.slice(ze))}`;
}

function networkNumberAndMask(n: IPNet): [IP, IP] | undefined {
  const ip = to4(n.ip) ?? n.ip;
  if (ip.length !== 4 && ip.length !== 16) return undefined;
  let m = n.mask;
  if (m === undefined) return undefined;
  if (m.length === 4) {
    if (ip.length !== 4) return undefined;
  } else if (m.length === 16) {
    if (ip.length === 4) m = m.subarray(12);
  } else return undefined;
  return [ip, m];
}

/** Go's IPNet.String: `addr/len`, or `<nil>` when the parts do not fit. */
export function ipNetString(n: IPNet): string {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return '<nil>';
  const [ip, m] = nm;
  const [ones, bits] = maskSize(m);
  if (bits === 0) return `${ipString(ip)}/${Buffer.from(m).toString('hex')}`;
  return `${ipString(ip)}/${ones}`;
}

/** Go's IPNet.Contains. */
export function netContains(n: IPNet, ipIn: IP): boolean {
  const nm = networkNumberAndMask(n);
  if (nm === undefined) return false;
  const [nn, m] = nm;
  const ip = to4(ipIn) ?? ipIn;
  if (ip.length !== nn.length) return false;
  return ip.every((b, i) => (nn[i]! & m[i]!) === (b & m[i]!));
}

/** The address as an unsigned integer and its width in bits (go-cidr's ipToInt). */
export function ipToInt(ip: IP): [bigint, number] {
  let v = 0n;
  for (const b of ip) v = (v << 8n) | BigInt(b);
  return [v, ip.length * 8];
}

/** go-cidr's intToIP: the low `bits` bits of `v` as an address of bits/8 bytes. */
export function intToIP(v: bigint, bits: number): IP {
  const out = new Uint8Array(bits / 8);
  let x = BigInt.asUintN(bits, v);
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * Compact forms of the most numerous structural nodes: attributes, blocks and bodies
 * that keep position slots in the token stream (see `token-range.ts`) and build their
 * ranges when asked. A 5 MB file has ~85,000 attributes and ~30,000 blocks and
 * bodies; as plain objects their ten ranges each were ~400,000 of the objects that
 * survive parsing.
 *
 * They satisfy the `ast.ts` interfaces, so readers see no difference, except that each
 * range read returns a new (equal) object and that spreading a node (`{ ...attr }`)
 * loses its ranges, which are getters, and its `kind`, which is on the prototype.
 * Fields are `declare`d and set in the constructor (no per-object field initializer
 * call). The body parser builds them from token indexes.
 */
import type { Range } from '../pos.js';
import type { Attribute, Block, Body, Expression } from './ast.js';
import { kindOn } from './expr-nodes.js';
import { TokenRange } from './token-range.js';
import type { TokenStream } from './token-stream.js';

export class AttributeNode implements Attribute {
  declare readonly kind: 'attribute';
  declare readonly name: string;
  declare readonly expr: Expression;
  private declare readonly stream: TokenStream;
  private declare readonly nameSlot: number;
  private declare readonly equalsSlot: number;
  private declare readonly endSlot: number;

  constructor(name: string, expr: Expression, stream: TokenStream, nameSlot: number, equalsSlot: number, endSlot: number) {
    this.name = name;
    this.expr = expr;
    this.stream = stream;
    this.nameSlot = nameSlot;
    this.equalsSlot = equalsSlot;
    this.endSlot = endSlot;
  }

  get srcRange(): Range {
    return new TokenRange(this.stream, this.nameSlot, this.endSlot);
  }

  get nameRange(): Range {
    return new TokenRange(this.stream, this.nameSlot, this.nameSlot + 1);
  }

  get equalsRange(): Range {
    return new TokenRange(this.stream, this.equalsSlot, this.equalsSlot + 1);
  }
}

kindOn(AttributeNode, 'attribute');

export class BodyNode implements Body {
  declare readonly kind: 'body';
  declare readonly attributes: ReadonlyMap<string, Attribute>;
  declare readonly blocks: readonly Block[];
  private declare readonly stream: TokenStream;
  private declare readonly startSlot: number;
  private declare readonly endSlot: number;

  constructor(attributes: ReadonlyMap<string, Attribute>, blocks: readonly Block[], stream: TokenStream, startSlot: number, endSlot: number) {
    this.attributes = attributes;
    this.blocks = blocks;
    this.stream = stream;
    this.startSlot = startSlot;
    this.endSlot = endSlot;
  }

  get srcRange(): Range {
    return new TokenRange(this.stream, this.startSlot, this.endSlot);
  }

  get endRange(): Range {
    return new TokenRange(this.stream, this.endSlot, this.endSlot);
  }
}

kindOn(BodyNode, 'body');

export class BlockNode implements Block {
  declare readonly kind: 'block';
  declare readonly type: string;
  declare readonly labels: readonly string[];
  declare readonly labelRanges: readonly Range[];
  declare readonly body: Body;
  private declare readonly stream: TokenStream;
  private declare readonly typeSlot: number;
  private declare readonly openSlot: number;
  private declare readonly closeStartSlot: number;
  private declare readonly closeEndSlot: number;

  constructor(
    type: string, labels: readonly string[], labelRanges: readonly Range[], body: Body,
    stream: TokenStream, typeSlot: number, openSlot: number, closeStartSlot: number, closeEndSlot: number,
  ) {
    this.type = type;
    this.labels = labels;
    this.labelRanges = labelRanges;
    this.body = body;
    this.stream = stream;
    this.typeSlot = typeSlot;
    this.openSlot = openSlot;
    this.closeStartSlot = closeStartSlot;
    this.closeEndSlot = closeEndSlot;
  }

  get srcRange(): Range {
    return new TokenRange(this.stream, this.typeSlot, this.closeEndSlot);
  }

  get typeRange(): Range {
    return new TokenRange(this.stream, this.typeSlot, this.typeSlot + 1);
  }

  get openBraceRange(): Range {
    return new TokenRange(this.stream, this.openSlot, this.openSlot + 1);
  }

  get closeBraceRange(): Range {
    return new TokenRange(this.stream, this.closeStartSlot, this.closeEndSlot);
  }
}

kindOn(BlockNode, 'block');

/**
 * A body's attributes by name, in source order: the first four in fields, more in a
 * `Map` (which then holds them all). Most bodies have one to four attributes; a `Map`
 * and its hash table were ~184 bytes and two objects per body (5.6 MB of the 5 MB
 * validate file's tree), this is one object of 72 bytes, and looking a name up among
 * four compares four strings. The body parser `add`s each attribute once, before the
 * body is read.
 */
export class AttributeMap implements ReadonlyMap<string, Attribute> {
  declare size: number;
  private declare a0: Attribute | undefined;
  private declare a1: Attribute | undefined;
  private declare a2: Attribute | undefined;
  private declare a3: Attribute | undefined;
  private declare more: Map<string, Attribute> | undefined;

  constructor() {
    this.size = 0;
    this.a0 = undefined;
    this.a1 = undefined;
    this.a2 = undefined;
    this.a3 = undefined;
    this.more = undefined;
  }

  /** Appends `attr` under its name (the parser reports and drops a redefinition first). */
  add(attr: Attribute): void {
    const n = this.size;
    if (n === 0) this.a0 = attr;
    else if (n === 1) this.a1 = attr;
    else if (n === 2) this.a2 = attr;
    else if (n === 3) this.a3 = attr;
    else {
      this.more ??= new Map(this.inline().map((a) => [a.name, a]));
      this.more.set(attr.name, attr);
    }
    this.size = n + 1;
  }

  get(name: string): Attribute | undefined {
    if (this.more !== undefined) return this.more.get(name);
    const n = this.size;
    if (n > 0 && this.a0?.name === name) return this.a0;
    if (n > 1 && this.a1?.name === name) return this.a1;
    if (n > 2 && this.a2?.name === name) return this.a2;
    if (n > 3 && this.a3?.name === name) return this.a3;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  forEach(f: (value: Attribute, key: string, map: ReadonlyMap<string, Attribute>) => void, thisArg?: unknown): void {
    for (const a of this.list()) f.call(thisArg, a, a.name, this);
  }

  entries(): MapIterator<[string, Attribute]> {
    return this.list().map((a): [string, Attribute] => [a.name, a]).values();
  }

  keys(): MapIterator<string> {
    return this.list().map((a) => a.name).values();
  }

  values(): MapIterator<Attribute> {
    return this.list().values();
  }

  [Symbol.iterator](): MapIterator<[string, Attribute]> {
    return this.entries();
  }

  /** The attributes in source order. */
  private list(): Attribute[] {
    return this.more !== undefined ? [...this.more.values()] : this.inline();
  }

  private inline(): Attribute[] {
    const out: Attribute[] = [];
    if (this.a0 !== undefined) out.push(this.a0);
    if (this.a1 !== undefined) out.push(this.a1);
    if (this.a2 !== undefined) out.push(this.a2);
    if (this.a3 !== undefined) out.push(this.a3);
    return out;
  }
}

/**
 * The hcldec spec language (HCL's cmd/hcldec spec files): one root spec block
 * (`object`, `array`, `attr`, `block`, `block_list`, `block_set`, `block_map`,
 * `block_attrs`, `default`, `literal`) and optional `variables` blocks whose
 * arguments are the input's variables. HCL's spec suite is written against it.
 * `transform` and `function` blocks are not supported (reported as invalid).
 */
import * as cty from '../cty/index.js';
import type { Block, Body, BodySchema } from '../body.js';
import type { Diagnostic } from '../diagnostic.js';
import { hasErrors } from '../diagnostic.js';
import type { Expression } from '../expression.js';
import type { Range } from '../pos.js';
import { typeConstraint } from '../typeexpr/index.js';
import type { Spec } from './spec.js';
import { impliedType } from './schema.js';

const SPEC_TYPES = ['object', 'array', 'attr', 'block', 'block_list', 'block_set', 'block_map', 'block_attrs', 'default', 'transform', 'literal'];
const UNLABELLED: BodySchema = { blocks: SPEC_TYPES.map((type) => ({ type })) };
const LABELLED: BodySchema = { blocks: SPEC_TYPES.map((type) => ({ type, labelNames: ['key'] })) };

const ERR_SPEC: Spec = { kind: 'literal', value: cty.dynamicVal };

export interface SpecFile {
  readonly spec: Spec;
  /** The input's variables, from `variables` blocks. */
  readonly variables: ReadonlyMap<string, cty.Value>;
  readonly diagnostics: Diagnostic[];
}

/** Reads a spec file's body. Never throws; on errors `spec` is a placeholder. */
export function loadSpecFile(body: Body): SpecFile {
  const diagnostics: Diagnostic[] = [];
  const decls = body.partialContent({ blocks: [{ type: 'variables' }] });
  diagnostics.push(...decls.diagnostics);
  const variables = new Map<string, cty.Value>();
  for (const block of decls.content.blocks) {
    const attrs = block.body.justAttributes();
    diagnostics.push(...attrs.diagnostics);
    for (const [name, attr] of attrs.attributes) {
      const v = attr.expr.value(undefined);
      diagnostics.push(...v.diagnostics);
      variables.set(name, v.value);
    }
  }
  const root = decls.remain.content(UNLABELLED);
  diagnostics.push(...root.diagnostics);
  const [first, second] = root.content.blocks;
  if (first === undefined) {
    if (!hasErrors(diagnostics)) diagnostics.push(err('Missing spec block', 'A spec file must have exactly one root block specifying how to map to a JSON value.', decls.remain.missingItemRange()));
    return { spec: ERR_SPEC, variables, diagnostics };
  }
  if (second !== undefined) {
    diagnostics.push(err('Extraneous spec block', 'A spec file must have exactly one root block specifying how to map to a JSON value.', second.defRange));
    return { spec: ERR_SPEC, variables, diagnostics };
  }
  const spec = specBlock(first, diagnostics);
  return { spec, variables, diagnostics };
}

function err(summary: string, detail: string, subject: Range): Diagnostic {
  return { severity: 'error', summary, detail, subject };
}

interface Args {
  readonly attrs: ReadonlyMap<string, Expression>;
  readonly rest: Body;
}

function readArgs(body: Body, names: readonly string[], diags: Diagnostic[], remain: boolean): Args {
  const schema: BodySchema = { attributes: names.map((name) => ({ name })) };
  const r = remain ? body.partialContent(schema) : { ...body.content(schema), remain: body };
  diags.push(...r.diagnostics);
  return { attrs: new Map([...r.content.attributes].map(([k, a]) => [k, a.expr])), rest: r.remain };
}

function constant(expr: Expression | undefined, type: cty.Type, diags: Diagnostic[]): cty.Value | undefined {
  if (expr === undefined) return undefined;
  const r = expr.value(undefined);
  diags.push(...r.diagnostics);
  const v = cty.convertValue(r.value, type);
  if (v instanceof cty.PathError) {
    diags.push(err('Unsuitable value type', `Unsuitable value: ${v.message}`, expr.range));
    return undefined;
  }
  return v.isNull() || !v.isKnown() ? undefined : v;
}

const str = (e: Expression | undefined, d: Diagnostic[]): string | undefined => constant(e, cty.stringType, d)?.asString();
const bool = (e: Expression | undefined, d: Diagnostic[]): boolean | undefined => constant(e, cty.boolType, d)?.asBool();
function int(e: Expression | undefined, d: Diagnostic[]): number | undefined {
  const v = constant(e, cty.numberType, d);
  return v === undefined ? undefined : cty.toSafeInteger(v.asNumber());
}

function typeOf(expr: Expression | undefined, diags: Diagnostic[]): cty.Type {
  if (expr === undefined) return cty.dynamicType;
  const r = typeConstraint(expr);
  diags.push(...r.diagnostics);
  return r.type;
}

function specBlock(block: Block, diags: Diagnostic[]): Spec {
  const implied = block.labels[0] ?? '';
  switch (block.type) {
    case 'object': {
      const c = block.body.content(LABELLED);
      diags.push(...c.diagnostics);
      return { kind: 'object', attributes: new Map(c.content.blocks.map((b) => [b.labels[0] ?? '', specBlock(b, diags)])) };
    }
    case 'array': {
      const c = block.body.content(UNLABELLED);
      diags.push(...c.diagnostics);
      return { kind: 'tuple', elements: c.content.blocks.map((b) => specBlock(b, diags)) };
    }
    case 'attr': {
      const { attrs } = readArgs(block.body, ['name', 'type', 'required'], diags, false);
      const name = str(attrs.get('name'), diags) ?? implied;
      const type = typeOf(attrs.get('type'), diags);
      if (name === '') {
        diags.push(err('Missing name in attribute spec', 'The name attribute is required, to specify the attribute name that is expected in an input HCL file.', block.body.missingItemRange()));
        return ERR_SPEC;
      }
      return { kind: 'attr', name, type, required: bool(attrs.get('required'), diags) ?? false };
    }
    case 'block':
    case 'block_list':
    case 'block_set':
    case 'block_map':
      return blockSpec(block, implied, diags);
    case 'block_attrs': {
      const { attrs } = readArgs(block.body, ['block_type', 'element_type', 'required'], diags, false);
      const typeName = str(attrs.get('block_type'), diags) ?? implied;
      if (typeName === '') return missingBlockType(block, diags);
      return { kind: 'block-attrs', typeName, elementType: typeOf(attrs.get('element_type'), diags), required: bool(attrs.get('required'), diags) ?? false };
    }
    case 'literal': {
      const { attrs } = readArgs(block.body, ['value'], diags, false);
      const expr = attrs.get('value');
      if (expr === undefined) {
        diags.push(err('Missing required argument', 'The argument "value" is required, but no definition was found.', block.body.missingItemRange()));
        return ERR_SPEC;
      }
      const r = expr.value(undefined);
      diags.push(...r.diagnostics);
      return { kind: 'literal', value: r.value };
    }
    case 'default':
      return defaultSpec(block, diags);
    default:
      diags.push(err('Invalid spec block', `Blocks of type ${JSON.stringify(block.type)} are not expected here.`, block.typeRange));
      return ERR_SPEC;
  }
}

function missingBlockType(block: Block, diags: Diagnostic[]): Spec {
  diags.push(err(`Missing block_type in ${block.type} spec`, 'The block_type attribute is required, to specify the block type name that is expected in an input HCL file.', block.body.missingItemRange()));
  return ERR_SPEC;
}

function blockSpec(block: Block, implied: string, diags: Diagnostic[]): Spec {
  const names = block.type === 'block' ? ['block_type', 'required'] : block.type === 'block_map' ? ['block_type', 'labels'] : ['block_type', 'min_items', 'max_items'];
  const { attrs, rest } = readArgs(block.body, names, diags, true);
  const typeName = str(attrs.get('block_type'), diags) ?? implied;
  const nested = nestedSpec(rest, diags);
  if (typeName === '') return missingBlockType(block, diags);
  switch (block.type) {
    case 'block':
      return { kind: 'block', typeName, nested, required: bool(attrs.get('required'), diags) ?? false };
    case 'block_map': {
      const labels = constant(attrs.get('labels'), cty.listOf(cty.stringType), diags)?.asArray().map((v) => v.asString()) ?? [];
      if (labels.length === 0) {
        diags.push(err('Invalid block label name list', 'A block_map must have at least one label specified.', block.body.missingItemRange()));
        return ERR_SPEC;
      }
      const spec: Spec = { kind: 'block-map', typeName, labelNames: labels, nested };
      if (cty.hasDynamicTypes(impliedType(spec))) {
        diags.push(err('Invalid block_map spec', "A block_map spec may not contain attributes with type 'any'.", block.body.missingItemRange()));
        return ERR_SPEC;
      }
      return spec;
    }
    default:
      return {
        kind: block.type === 'block_list' ? 'block-list' : 'block-set',
        typeName,
        nested,
        minItems: int(attrs.get('min_items'), diags) ?? 0,
        maxItems: int(attrs.get('max_items'), diags) ?? 0,
      };
  }
}

function nestedSpec(body: Body, diags: Diagnostic[]): Spec {
  const c = body.content(UNLABELLED);
  diags.push(...c.diagnostics);
  const [first, second] = c.content.blocks;
  const detail = 'A block spec must have exactly one child spec specifying how to decode block contents.';
  if (first === undefined) {
    diags.push(err('Missing spec block', detail, body.missingItemRange()));
    return ERR_SPEC;
  }
  if (second !== undefined) {
    diags.push(err('Extraneous spec block', detail, second.defRange));
    return ERR_SPEC;
  }
  return specBlock(first, diags);
}

function defaultSpec(block: Block, diags: Diagnostic[]): Spec {
  const c = block.body.content(UNLABELLED);
  diags.push(...c.diagnostics);
  const specs = c.content.blocks.map((b) => specBlock(b, diags));
  const last = specs[specs.length - 1];
  if (last === undefined) {
    diags.push(err('Missing spec block', 'A default block must have at least one nested spec, each specifying a possible outcome.', block.body.missingItemRange()));
    return ERR_SPEC;
  }
  if (specs.length === 1) {
    diags.push({ severity: 'warning', summary: 'Useless default block', detail: 'A default block with only one spec is equivalent to using that spec alone.', subject: block.defRange });
  }
  return specs.slice(0, -1).reduceRight<Spec>((acc, s) => ({ kind: 'default', primary: s, default: acc }), last);
}

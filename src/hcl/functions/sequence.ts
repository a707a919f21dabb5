/** cty stdlib sequence functions. */
import { PathError } from '../cty/conform.js';
import { convertValue } from '../cty/convert/convert.js';
import { unifyUnsafe } from '../cty/convert/unify.js';
import { unionMarks, unmark, unmarkDeep, withMarks } from '../cty/marks.js';
import type { Type } from '../cty/type.js';
import { dynamicType, friendlyName, tupleOf } from '../cty/type.js';
import type { Marks, Value } from '../cty/value.js';
import { listVal, listValEmpty, tupleVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction } from './function.js';

/**
 * `concat(seqs...)`: lists of one unifiable type give a list; otherwise lists and tuples
 * give a tuple of all elements. Marks on the sequences move to the result.
 */
export const concatFunc = defineFunction({
  description: 'Concatenates together all of the given lists or tuples into a single sequence, preserving the input order.',
  params: [],
  varParam: { name: 'seqs', type: dynamicType, allowMarked: true },
  type: (args) => {
    if (args.length === 0) return new CallError('at least one argument is required');
    if (args[0]!.type.kind === 'list' && args.every((a) => a.type.kind === 'list')) {
      const common = unifyUnsafe(args.map((a) => a.type)).type;
      if (common !== undefined) return common;
    }
    const etys: Type[] = [];
    for (let i = 0; i < args.length; i++) {
      const v = unmarkDeep(args[i]!)[0];
      const t = v.type;
      if (t.kind === 'tuple') etys.push(...t.elements);
      else if (t.kind === 'list') {
        if (!v.isKnown()) return dynamicType;
        for (let j = 0; j < v.asArray().length; j++) etys.push(t.element);
      } else {
        return new ArgError(i, `all arguments must be lists or tuples; got ${friendlyName(t)}`);
      }
    }
    return tupleOf(etys);
  },
  impl: (args, retType) => {
    const vals: Value[] = [];
    let marks: Marks | undefined;
    for (let i = 0; i < args.length; i++) {
      let seq = args[i]!;
      if (retType.kind === 'list') {
        const c = convertValue(seq, retType);
        if (c instanceof PathError) return new ArgError(i, c.message);
        seq = c;
      }
      const [plain, m] = unmark(seq);
      if (m.size > 0) marks = unionMarks(marks, m);
      vals.push(...plain.asArray());
    }
    if (retType.kind === 'list') return withMarks(vals.length === 0 ? listValEmpty(retType.element) : listVal(vals), marks);
    if (retType.kind === 'tuple') return withMarks(tupleVal(vals), marks);
    throw new Error('unsupported return type');
  },
});

/**
 * go-cty-yaml's `yamldecode` and `yamlencode`, which Packer exposes unchanged. The
 * decoder and emitter live in `yaml-decode.ts` and `yaml-encode.ts`.
 */
import { dynamicType, stringType } from '../cty/type.js';
import { stringVal, unknownVal } from '../cty/value.js';
import { ArgError, CallError, defineFunction, staticReturnType } from './function.js';
import { decodeYaml } from './yaml-decode.js';
import { encodeYaml } from './yaml-encode.js';

export const yamlDecodeFunc = defineFunction({
  description: 'Parses the given string as YAML and returns a value corresponding to what the YAML document describes.',
  params: [{ name: 'src', type: stringType }],
  type: (args) => {
    const s = args[0]!;
    if (!s.isKnown()) return dynamicType;
    if (s.isNull()) return new ArgError(0, 'YAML source code cannot be null');
    const r = decodeYaml(s.asString());
    return r instanceof CallError ? r : r.type;
  },
  impl: (args) => decodeYaml(args[0]!.asString()),
});

export const yamlEncodeFunc = defineFunction({
  description: 'Returns a string containing a YAML representation of the given value.',
  params: [{ name: 'value', type: dynamicType, allowNull: true, allowDynamicType: true }],
  type: staticReturnType(stringType),
  impl: (args, retType) => {
    const v = args[0]!;
    if (!v.isWhollyKnown()) return unknownVal(retType);
    return stringVal(encodeYaml(v));
  },
});

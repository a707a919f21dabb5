/**
 * Packer's secret functions as cty functions over a {@link SecretResolver}:
 * `vault(path, key)`, `consul_key(key)`, `aws_secretsmanager(name, key)` (key may be
 * null) and `aws_secretsmanager_raw(name)`. As in Packer, the results are plain
 * strings (not marked sensitive).
 */
import { stringType } from '../../hcl/cty/type.js';
import { stringVal } from '../../hcl/cty/value.js';
import type { CtyFunction } from '../../hcl/functions/function.js';
import { CallError, defineFunction, staticReturnType } from '../../hcl/functions/function.js';
import type { SecretResult } from '../../sdk/interpolate/context.js';
import type { SecretResolver } from './secret-resolver.js';

export interface SecretFunctionTable {
  readonly vault: CtyFunction;
  readonly consul_key: CtyFunction;
  readonly aws_secretsmanager: CtyFunction;
  readonly aws_secretsmanager_raw: CtyFunction;
}

const answer = (r: SecretResult): ReturnType<CtyFunction['call']> => (r.kind === 'ok' ? stringVal(r.value) : new CallError(r.message));

/** The four secret functions answering from `resolver`. */
export function secretFunctions(resolver: SecretResolver): SecretFunctionTable {
  return {
    vault: defineFunction({
      description: 'Reads a secret from a HashiCorp Vault KV store (v1 or v2).',
      params: [
        { name: 'path', type: stringType },
        { name: 'key', type: stringType },
      ],
      type: staticReturnType(stringType),
      impl: (args) => answer(resolver.lookup({ kind: 'vault', path: args[0]!.asString(), key: args[1]!.asString() })),
    }),
    consul_key: defineFunction({
      description: 'Reads a value from the Consul KV store.',
      params: [{ name: 'key', type: stringType }],
      type: staticReturnType(stringType),
      impl: (args) => answer(resolver.lookup({ kind: 'consul_key', key: args[0]!.asString() })),
    }),
    aws_secretsmanager: defineFunction({
      description: 'Reads a secret from AWS Secrets Manager; a JSON secret answers the given key (or its only key when null).',
      params: [
        { name: 'name', type: stringType },
        { name: 'key', type: stringType, allowNull: true },
      ],
      type: staticReturnType(stringType),
      impl: (args) => {
        const key = args[1]!.isNull() ? undefined : args[1]!.asString();
        return answer(resolver.lookup({ kind: 'aws_secretsmanager', name: args[0]!.asString(), key }));
      },
    }),
    aws_secretsmanager_raw: defineFunction({
      description: 'Reads a secret from AWS Secrets Manager as stored (JSON secrets are not decoded).',
      params: [{ name: 'name', type: stringType }],
      type: staticReturnType(stringType),
      impl: (args) => answer(resolver.lookup({ kind: 'aws_secretsmanager_raw', name: args[0]!.asString() })),
    }),
  };
}


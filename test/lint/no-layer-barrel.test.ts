import path from 'node:path';
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../../scripts/eslint/no-layer-barrel.js';
import { REPO_ROOT } from '../support/shared.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const file = (rel: string) => path.join(REPO_ROOT, 'src', rel);

tester.run('no-layer-barrel', rule, {
  valid: [
    // Modules of a layer by path, and a folder's own index inside a layer.
    { filename: file('template/hcl2/builds.ts'), code: "import { errorDiag } from '../../hcl/diagnostic.js';" },
    { filename: file('sdk/schema/decode.ts'), code: "import * as cty from '../../hcl/cty/index.js';" },
    { filename: file('hcl/dec/index.ts'), code: "export { decode } from './decode.js';" },
    { filename: file('commands/main.ts'), code: "const m = import('./build.js');" },
  ],
  invalid: [
    // A barrel at a layer's root, and imports of a layer's root.
    { filename: file('hcl/index.ts'), code: "export { EvalContext } from './eval-context.js';", errors: [{ messageId: 'barrelFile' }] },
    { filename: file('template/model.ts'), code: "import type { Range } from '../hcl/index.js';", errors: [{ messageId: 'barrelImport' }] },
    { filename: file('core/build.ts'), code: "import { hasErrors } from '../hcl';", errors: [{ messageId: 'barrelImport' }] },
    { filename: file('commands/build.ts'), code: "const sdk = import('../sdk/index.js');", errors: [{ messageId: 'barrelImport' }] },
  ],
});

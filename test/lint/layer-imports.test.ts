import path from 'node:path';
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../../scripts/eslint/layer-imports.js';
import { REPO_ROOT } from '../support/shared.js';

RuleTester.describe = describe;
RuleTester.it = it;


const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const file = (rel: string) => path.join(REPO_ROOT, 'src', rel);

tester.run('layer-imports', rule, {
  valid: [
    { filename: file('hcl/syntax/parser.ts'), code: "import { x } from '../cty/value.js';" },
    { filename: file('sdk/steps.ts'), code: "import type { Diagnostic } from '../hcl/diagnostic.js';" },
    { filename: file('commands/main.ts'), code: "const m = import('../core/run.js');" },
    { filename: file('plugins/builders/null/index.ts'), code: "import { defineBuilder } from '../../../sdk/builder.js';" },
    { filename: file('hcl/x.ts'), code: "import fs from 'node:fs';" },
  ],
  invalid: [
    { filename: file('hcl/syntax/parser.ts'), code: "import { x } from '../../sdk/steps.js';", errors: [{ messageId: 'upward' }] },
    { filename: file('sdk/steps.ts'), code: "export * from '../plugins/builders/null/index.js';", errors: [{ messageId: 'upward' }] },
    { filename: file('template/load.ts'), code: "import { run } from '../core/run.js';", errors: [{ messageId: 'upward' }] },
    { filename: file('plugins/builders/null/index.ts'), code: "const c = import('../../../commands/main.js');", errors: [{ messageId: 'upward' }] },
    { filename: file('hcl/x.ts'), code: "import { y } from '../support/limiter.js';", errors: [{ messageId: 'upward' }] },
  ],
});

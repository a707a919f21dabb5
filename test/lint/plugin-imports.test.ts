import path from 'node:path';
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../../scripts/eslint/plugin-imports.js';
import { REPO_ROOT } from '../support/shared.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const file = (rel: string) => path.join(REPO_ROOT, 'src', rel);

tester.run('plugin-imports', rule, {
  valid: [
    // Within one component, and from the SDK.
    { filename: file('plugins/builders/docker/steps/pull.ts'), code: "import { haltWith } from '../state.js';" },
    { filename: file('plugins/builders/docker/builder.ts'), code: "import { DockerDriver } from '../../../sdk/docker/driver.js';" },
    // Files shared by one kind of component.
    { filename: file('plugins/post-processors/docker-import/index.ts'), code: "import { ARTIFICE_BUILDER_ID } from '../files-artifact.js';" },
    // Test code may load other components through the registry and use test helpers.
    { filename: file('plugins/builders/null/null.test.ts'), code: "import { builtinRegistry } from '../../registry.js';" },
    { filename: file('plugins/builders/null/null.test.ts'), code: "import { recordingUi } from '../../provisioners/test-helpers.js';" },
    { filename: file('plugins/provisioners/test-helpers.ts'), code: "import { testPackerConfig } from '../../../test/support/packer-config.js';" },
    { filename: file('sdk/docker/driver.test.ts'), code: "import { startDockerEngine } from '../../../test/support/docker.js';" },
    // The registry and the composition root wire components together.
    { filename: file('plugins/registry.ts'), code: "const m = import('./builders/docker/index.js');" },
    { filename: file('commands/build.ts'), code: "import { builtinRegistry } from '../plugins/registry.js';" },
    // Builders run steps through the one runner; types of the engine are fine.
    { filename: file('plugins/builders/qemu/builder.ts'), code: "import { runBuildSteps } from '../../../sdk/multistep/build-steps.js';" },
    { filename: file('plugins/builders/qemu/builder.ts'), code: "import type { OnError } from '../../../sdk/multistep/runner.js';" },
  ],
  invalid: [
    // One component reaching into another, of another kind or the same kind.
    { filename: file('plugins/builders/qemu/builder.ts'), code: "const c = import('../null/ssh-connector.js');", errors: [{ messageId: 'crossPlugin' }] },
    { filename: file('plugins/builders/qemu/steps/ssh-key.ts'), code: "import { generateKeyPair } from '../../../communicators/ssh/index.js';", errors: [{ messageId: 'crossPlugin' }] },
    { filename: file('plugins/post-processors/docker-tag/index.ts'), code: "import { DockerDriver } from '../../builders/docker/driver.js';", errors: [{ messageId: 'crossPlugin' }] },
    { filename: file('plugins/post-processors/docker-import/index.ts'), code: "export { ARTIFICE_BUILDER_ID } from '../artifice/index.js';", errors: [{ messageId: 'crossPlugin' }] },
    // Tests too, and a component may not import the registry.
    { filename: file('plugins/provisioners/shell/shell.test.ts'), code: "import { LocalCommunicator } from '../../communicators/local/local-communicator.js';", errors: [{ messageId: 'crossPlugin' }] },
    { filename: file('plugins/builders/null/index.ts'), code: "import { builtinRegistry } from '../../registry.js';", errors: [{ messageId: 'crossPlugin' }] },
    // Only test code imports test/ or a test helper.
    { filename: file('plugins/provisioners/shell/index.ts'), code: "import { testPackerConfig } from '../../../../test/support/packer-config.js';", errors: [{ messageId: 'testImport' }] },
    { filename: file('plugins/provisioners/shell/index.ts'), code: "import { recordingUi } from '../test-helpers.js';", errors: [{ messageId: 'testImport' }] },
    { filename: file('core/build.ts'), code: "import { mockRegistry } from '../../test/support/mock-components.js';", errors: [{ messageId: 'testImport' }] },
    // A builder calling the engine directly would skip -debug and the wrap-up.
    { filename: file('plugins/builders/docker/builder.ts'), code: "import { runSteps } from '../../../sdk/multistep/runner.js';", errors: [{ messageId: 'oneRunner' }] },
  ],
});

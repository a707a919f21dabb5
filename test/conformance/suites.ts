/**
 * The registered conformance suites, in the order they run. Each issue that brings
 * a suite adds it here and its baseline to baseline.json.
 */
import { hclParseErrorsSuite } from './hcl-parse-errors-suite.js';
import { hclSpecsuiteSuite } from './hcl-specsuite-suite.js';
import type { Suite } from './suite.js';
import { hclFmtSuite } from './hcl-fmt-suite.js';
import { corpusFmtSuite } from './corpus-fmt-suite.js';
import { ctyFunctionsSuite } from './cty-functions-suite.js';
import { CTY_STDLIB } from '../../src/hcl/functions/stdlib.js';
import { hclExpressionsSuite } from './hcl-expressions-suite.js';
import { packerTemplatesSuite } from './packer-templates-suite.js';
import { packerBuildSuite } from './packer-build-suite.js';
import { hcl2UpgradeSuite } from './hcl2-upgrade-suite.js';
import { fixSuite } from './fix-suite.js';
import { hcl2UpgradeRoundTripSuite } from './hcl2-upgrade-roundtrip-suite.js';

export const SUITES: readonly Suite[] = [hclParseErrorsSuite, hclSpecsuiteSuite, ctyFunctionsSuite(CTY_STDLIB, 'in-packer'), ctyFunctionsSuite(CTY_STDLIB, 'internals'), hclFmtSuite, corpusFmtSuite, hclExpressionsSuite, packerTemplatesSuite, packerBuildSuite, hcl2UpgradeSuite, hcl2UpgradeRoundTripSuite, fixSuite];

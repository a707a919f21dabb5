/**
 * The catalogue of kiln's diagnostic codes: every diagnostic and build error that
 * reaches a machine reader (`kiln build -json`, CI annotations, `-metadata-file`)
 * carries a stable `code`, as Rollup's messages do. The wording stays Packer's: the
 * code is found from the summary text, which this module lists once, so no message
 * changes for it. A code, once given, never changes meaning; new messages get new
 * codes. `test/contract/diagnostic-codes.test.ts` checks that every summary written
 * in `src/` has one.
 *
 * Prefixes say where a message comes from: `HCL_` the HCL language, `TEMPLATE_`
 * Packer's template rules, `CONFIG_` a component's configuration, `PLUGIN_` plugins,
 * `COMMAND_` a command's own checks, `BUILD_` a build that failed while running.
 */
import type { Diagnostic } from '../../hcl/diagnostic.js';
import type { DiagnosticInfo } from './events.js';

/** The code of a diagnostic no entry matches (a message from a plugin process, say). */
export const UNCATALOGUED = 'UNCATALOGUED';

/** Diagnostics whose summary is a fixed text, by that text. */
const EXACT: ReadonlyArray<readonly [code: string, summary: string]> = [
  ['COMMAND_CACHE_SIDE_FILE_INVALID_AFFECTS', 'Invalid affects'],
  ['COMMAND_CACHE_SIDE_FILE_INVALID_BUST', 'Invalid bust'],
  ['COMMAND_CACHE_SIDE_FILE_INVALID_CACHE', 'Invalid cache'],
  ['COMMAND_CACHE_SIDE_FILE_INVALID_INPUTS', 'Invalid inputs'],
  ['COMMAND_CACHE_SIDE_FILE_INVALID_TTL', 'Invalid ttl'],
  ['COMMAND_CACHE_SIDE_FILE_GLOB_MATCHES_NOTHING', 'Glob matches nothing'],
  ['COMMAND_CACHE_SIDE_FILE_NO_SUCH_BUILD', 'No such build'],
  ['COMMAND_CACHE_SIDE_FILE_NO_SUCH_STEP', 'No such step'],
  ['COMMAND_CANNOT_READ_CACHE_SIDE_FILE', 'Cannot read the step cache side file'],
  ['COMMAND_CANNOT_READ_HCL_DIRECTORY', 'Cannot read hcl directory'],
  ['COMMAND_FAILED_TO_DELETE_PLUGIN', 'Failed to delete plugin'],
  ['COMMAND_INTERPOLATION_ERROR', 'Interpolation error'],
  ['COMMAND_INVALID_CACHE_TTL', 'Invalid -cache-ttl'],
  ['COMMAND_INVALID_PLUGIN_LOCATION', 'Invalid plugin location'],
  ['COMMAND_NO_BUILDS_TO_RUN', 'No builds to run'],
  ['COMMAND_PLUGINS_NEED_HCL2', 'Packer plugins currently only works with HCL2 configuration templates'],
  ['CONFIG_INVALID_TEMPORARY_KEY_PAIR_BITS', 'Invalid temporary_key_pair_bits'],
  ['CONFIG_SSH_BASTION_AND_PROXY', 'please specify either ssh_bastion_host or ssh_proxy_host, not both'],
  ['CONFIG_SSH_BASTION_AUTH_REQUIRED', 'ssh_bastion_password, ssh_bastion_private_key_file or ssh_bastion_agent_auth must be specified'],
  ['CONFIG_SSH_BASTION_CERTIFICATE_WITHOUT_KEY', 'ssh_bastion_private_key_file must be specified if ssh_bastion_certificate_file is specified'],
  ['CONFIG_SSH_CERTIFICATE_WITHOUT_KEY', 'ssh_private_key_file must be specified if ssh_certificate_file is specified'],
  ['CONFIG_SSH_USERNAME_REQUIRED', 'An ssh_username must be specified'],
  ['HCL_AMBIGUOUS_ATTRIBUTE_KEY', 'Ambiguous attribute key'],
  ['HCL_ARGUMENT_DEFINITION_REQUIRED', 'Argument definition required'],
  ['HCL_ATTRIBUTE_NAME_REQUIRED', 'Attribute name required'],
  ['HCL_ATTRIBUTE_REDEFINED', 'Attribute redefined'],
  ['HCL_CALL_TO_UNKNOWN_FUNCTION', 'Call to unknown function'],
  ['HCL_DUPLICATE_ARGUMENT', 'Duplicate argument'],
  ['HCL_DUPLICATE_ATTRIBUTE_DEFINITION', 'Duplicate attribute definition'],
  ['HCL_DUPLICATE_OBJECT_ATTRIBUTE', 'Duplicate object attribute'],
  ['HCL_ERROR_IN_FUNCTION_CALL', 'Error in function call'],
  ['HCL_EXPRESSION_TOO_COMPLEX', 'Expression too complex'],
  ['HCL_EXTRANEOUS_JSON_OBJECT_PROPERTY', 'Extraneous JSON object property'],
  ['HCL_EXTRA_CHARACTERS_AFTER_EXPRESSION', 'Extra characters after expression'],
  ['HCL_EXTRA_CHARACTERS_AFTER_INTERPOLATION_EXPRESSION', 'Extra characters after interpolation expression'],
  ['HCL_FAILED_TO_EVALUATE_EXPRESSION', 'Failed to evaluate expression'],
  ['HCL_FUNCTION_CALLS_NOT_ALLOWED', 'Function calls not allowed'],
  ['HCL_INCONSISTENT_CONDITIONAL_RESULT_TYPES', 'Inconsistent conditional result types'],
  ['HCL_INCORRECT_ATTRIBUTE_VALUE_TYPE', 'Incorrect attribute value type'],
  ['HCL_INCORRECT_JSON_VALUE_TYPE', 'Incorrect JSON value type'],
  ['HCL_INDEX_VALUE_REQUIRED', 'Index value required'],
  ['HCL_INVALID_ARGUMENT_NAME', 'Invalid argument name'],
  ['HCL_INVALID_ATTRIBUTE_NAME', 'Invalid attribute name'],
  ['HCL_INVALID_ATTRIBUTE_VALUE', 'Invalid attribute value'],
  ['HCL_INVALID_BLOCK_DEFINITION', 'Invalid block definition'],
  ['HCL_INVALID_CHARACTER', 'Invalid character'],
  ['HCL_INVALID_CHARACTER_ENCODING', 'Invalid character encoding'],
  ['HCL_INVALID_DECODER_SPECIFICATION', 'Invalid decoder specification'],
  ['HCL_INVALID_DEFAULT_VALUE_FOR_OPTIONAL_ATTRIBUTE', 'Invalid default value for optional attribute'],
  ['HCL_INVALID_ESCAPE_SEQUENCE', 'Invalid escape sequence'],
  ['HCL_INVALID_EXPANDING_ARGUMENT_VALUE', 'Invalid expanding argument value'],
  ['HCL_INVALID_EXPRESSION', 'Invalid expression'],
  ['HCL_INVALID_FOR_DIRECTIVE', "Invalid 'for' directive"],
  ['HCL_INVALID_FOR_EXPRESSION', "Invalid 'for' expression"],
  ['HCL_INVALID_FUNCTION_ARGUMENT', 'Invalid function argument'],
  ['HCL_INVALID_LEGACY_INDEX_SYNTAX', 'Invalid legacy index syntax'],
  ['HCL_INVALID_MULTI_LINE_STRING', 'Invalid multi-line string'],
  ['HCL_INVALID_NESTED_SPLAT_EXPRESSIONS', 'Invalid nested splat expressions'],
  ['HCL_INVALID_NUMBER_LITERAL', 'Invalid number literal'],
  ['HCL_INVALID_OBJECT_KEY_EXPRESSION', 'Invalid object key expression'],
  ['HCL_INVALID_OPERAND', 'Invalid operand'],
  ['HCL_INVALID_SINGLE_ARGUMENT_BLOCK_DEFINITION', 'Invalid single-argument block definition'],
  ['HCL_INVALID_STRING_LITERAL', 'Invalid string literal'],
  ['HCL_INVALID_TEMPLATE_CONTROL_KEYWORD', 'Invalid template control keyword'],
  ['HCL_INVALID_TEMPLATE_DIRECTIVE', 'Invalid template directive'],
  ['HCL_INVALID_TEMPLATE_INTERPOLATION_VALUE', 'Invalid template interpolation value'],
  ['HCL_MISSING_ARGUMENT_SEPARATOR', 'Missing argument separator'],
  ['HCL_MISSING_ATTRIBUTE_SEPARATOR', 'Missing attribute separator'],
  ['HCL_MISSING_ATTRIBUTE_VALUE', 'Missing attribute value'],
  ['HCL_MISSING_BLOCK_LABEL', 'Missing block label'],
  ['HCL_MISSING_CLOSE_BRACKET_ON_INDEX', 'Missing close bracket on index'],
  ['HCL_MISSING_CLOSE_BRACKET_ON_SPLAT_INDEX', 'Missing close bracket on splat index'],
  ['HCL_MISSING_CLOSING_PARENTHESIS', 'Missing closing parenthesis'],
  ['HCL_MISSING_EXPRESSION', 'Missing expression'],
  ['HCL_MISSING_FALSE_EXPRESSION_IN_CONDITIONAL', 'Missing false expression in conditional'],
  ['HCL_MISSING_FUNCTION_NAME', 'Missing function name'],
  ['HCL_MISSING_ITEM_SEPARATOR', 'Missing item separator'],
  ['HCL_MISSING_KEY_VALUE_SEPARATOR', 'Missing key/value separator'],
  ['HCL_MISSING_NEWLINE_AFTER_BLOCK_DEFINITION', 'Missing newline after block definition'],
  ['HCL_MISSING_OPEN_PARENTHESIS', 'Missing open parenthesis'],
  ['HCL_MISSING_REQUIRED_ARGUMENT', 'Missing required argument'],
  ['HCL_NESTED_SPLAT_EXPRESSION_NOT_ALLOWED', 'Nested splat expression not allowed'],
  ['HCL_NESTING_TOO_DEEP', 'Nesting too deep'],
  ['HCL_NOT_ENOUGH_FUNCTION_ARGUMENTS', 'Not enough function arguments'],
  ['HCL_OPERATION_FAILED', 'Operation failed'],
  ['HCL_ROOT_VALUE_MUST_BE_OBJECT', 'Root value must be object'],
  ['HCL_SPLAT_OF_NULL_VALUE', 'Splat of null value'],
  ['HCL_TOO_MANY_FUNCTION_ARGUMENTS', 'Too many function arguments'],
  ['HCL_TRANSFORM_FUNCTION_FAILED', 'Transform function failed'],
  ['HCL_UNBALANCED_PARENTHESES', 'Unbalanced parentheses'],
  ['HCL_UNCLOSED_CONFIGURATION_BLOCK', 'Unclosed configuration block'],
  ['HCL_UNCLOSED_CONFIGURATION_BODY', 'Unclosed configuration body'],
  ['HCL_UNCLOSED_INDEX_BRACKETS', 'Unclosed index brackets'],
  ['HCL_UNCLOSED_TEMPLATE_INTERPOLATION_SEQUENCE', 'Unclosed template interpolation sequence'],
  ['HCL_UNEXPECTED_ELSE_DIRECTIVE', 'Unexpected else directive'],
  ['HCL_UNEXPECTED_END_OF_TEMPLATE', 'Unexpected end of template'],
  ['HCL_UNSUPPORTED_ARGUMENT', 'Unsupported argument'],
  ['HCL_UNSUPPORTED_BLOCK_TYPE', 'Unsupported block type'],
  ['HCL_UNSUPPORTED_OPERATOR', 'Unsupported operator'],
  ['HCL_UNTERMINATED_FUNCTION_CALL', 'Unterminated function call'],
  ['HCL_UNTERMINATED_OBJECT_CONSTRUCTOR_EXPRESSION', 'Unterminated object constructor expression'],
  ['HCL_UNTERMINATED_STRING_LITERAL', 'Unterminated string literal'],
  ['HCL_UNTERMINATED_TEMPLATE_STRING', 'Unterminated template string'],
  ['HCL_UNTERMINATED_TUPLE_CONSTRUCTOR_EXPRESSION', 'Unterminated tuple constructor expression'],
  ['HCL_USELESS_DEFAULT_BLOCK', 'Useless default block'],
  ['HCL_VARIABLE_NAME_REQUIRED', 'Variable name required'],
  ['PLUGIN_DIRECTORY_UNAVAILABLE', 'Failed to get the plugin directory'],
  ['PLUGIN_MISSING_PLUGINS', 'Missing plugins'],
  ['TEMPLATE_ONLY_AND_EXCEPT', "only one of 'only' or 'except' may be specified"],
  ['TEMPLATE_DUPLICATE_LOCAL_DEFINITION', 'Duplicate local definition'],
  ['TEMPLATE_DUPLICATE_VARIABLE', 'Duplicate variable'],
  ['TEMPLATE_FAILED_TO_GET_LOCAL_VARIABLE', 'failed to get local variable'],
  ['TEMPLATE_FAILED_TO_PARSE_SOURCE', 'Failed to parse source'],
  ['TEMPLATE_FAILED_TO_READ_FILE', 'Failed to read file'],
  ['TEMPLATE_INVALID_DATA_RESOURCE_NAME', 'Invalid data resource name'],
  ['TEMPLATE_INVALID_DATA_SOURCE_NAME', 'Invalid data source name'],
  ['TEMPLATE_INVALID_DEFAULT_VALUE_FOR_VARIABLE', 'Invalid default value for variable'],
  ['TEMPLATE_INVALID_LOCAL_NAME', 'Invalid local name'],
  ['TEMPLATE_INVALID_PLUGIN_LOCAL_NAME', 'Invalid plugin local name'],
  ['TEMPLATE_INVALID_REQUIRED_PLUGINS_OBJECT', 'Invalid required_plugins object'],
  ['TEMPLATE_INVALID_REQUIRED_PLUGINS_SYNTAX', 'Invalid required_plugins syntax'],
  ['TEMPLATE_INVALID_SOURCE', 'Invalid source'],
  ['TEMPLATE_INVALID_SOURCE_REFERENCE', 'Invalid source reference'],
  ['TEMPLATE_INVALID_VALIDATION_ERROR_MESSAGE', 'Invalid validation error message'],
  ['TEMPLATE_INVALID_VALUE_FOR_VARIABLE', 'Invalid value for variable'],
  ['TEMPLATE_INVALID_VARIABLE_NAME', 'Invalid variable name'],
  ['TEMPLATE_INVALID_VARIABLE_VALIDATION_CONDITION', 'Invalid variable validation condition'],
  ['TEMPLATE_INVALID_VARIABLE_VALIDATION_RESULT', 'Invalid variable validation result'],
  ['TEMPLATE_INVALID_VERSION_CONSTRAINT', 'Invalid version constraint'],
  ['TEMPLATE_MAX_DATASOURCE_RECURSION_DEPTH_EXCEEDED', 'Max datasource recursion depth exceeded.'],
  ['TEMPLATE_MAX_LOCAL_RECURSION_DEPTH_EXCEEDED', 'Max local recursion depth exceeded.'],
  ['TEMPLATE_MISSING_SOURCE_REFERENCE', 'missing source reference'],
  ['TEMPLATE_ONLY_ONE_ERROR_CLEANUP_PROVISIONER_IS_ALLOWED', 'Only one error-cleanup-provisioner is allowed'],
  ['TEMPLATE_ONLY_ONE_HCP_PACKER_REGISTRY_IS_ALLOWED', 'Only one hcp_packer_registry is allowed'],
  ['TEMPLATE_UNDEFINED_VARIABLE', 'Undefined variable'],
  ['TEMPLATE_UNSUITABLE_VALUE_TYPE', 'Unsuitable value type'],
];

/** Diagnostics whose summary names something (a block type, a path), by pattern; the first match wins. */
const PATTERNS: ReadonlyArray<readonly [code: string, summary: RegExp]> = [
  ['TEMPLATE_VARIABLE_VALIDATION_FAILED', /^Invalid value for .+ variable$/s],
  ['TEMPLATE_DUPLICATE_REQUIRED_PLUGIN_BLOCK', /^Duplicate required_plugin\..+ block$/s],
  ['CONFIG_COMPONENT_PREPARE_FAILED', /^Failed preparing .+ ".+": .+$/s],
  ['TEMPLATE_UNKNOWN_DATA_TYPE', /^Unknown data type .+$/s],
  ['TEMPLATE_UNKNOWN_SOURCE', /^Unknown source .+$/s],
  ['COMMAND_FORMAT_FAILED', /^encountered an error while formatting .+$/s],
  ['HCL_DUPLICATE_BLOCK', /^Duplicate .+ block$/s],
  ['HCL_EXTRANEOUS_LABEL', /^Extraneous label for .+$/s],
  ['HCL_INSUFFICIENT_BLOCKS', /^Insufficient .+ blocks$/s],
  ['HCL_MISSING_BLOCK', /^Missing .+ block$/s],
  ['HCL_TOO_MANY_BLOCKS', /^Too many .+ blocks$/s],
  ['HCL_UNEXPECTED_BLOCK', /^Unexpected .+ block$/s],
  ['HCL_EXTRA_CHARACTERS_IN_MARKER', /^Extra characters in .+ marker$/s],
  ['HCL_UNEXPECTED_DIRECTIVE', /^Unexpected .+ directive$/s],
  ['CONFIG_SSH_FILE_TRANSFER_METHOD_INVALID', /^ssh_file_transfer_method \(.*\) is invalid, valid methods: .+$/s],
  ['CONFIG_TEMPORARY_KEY_PAIR_TYPE_UNSUPPORTED', /^temporary_key_pair_type '.*' is not supported$/s],
  ['TEMPLATE_INVALID_OVERRIDE', /^provisioner's override(\..+)? block must be an HCL object$/s],
  ['CONFIG_INVALID_SETTING', /^.+ is invalid$/s],
  ['CONFIG_FAILED_PREPARING', /^Failed preparing .+$/s],
  ['CONFIG_INVALID_VALUE_FOR', /^Invalid value for .+$/s],
  ['TEMPLATE_HCP_LABELS_DEPRECATED', /^the argument .+\.labels has been deprecated and will be removed in the next minor release; please use .+\.bucket_labels$/s],
  ['TEMPLATE_HCP_BUCKET_NAME_INVALID', /^.+\.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens$/s],
  ['TEMPLATE_HCP_DESCRIPTION_TOO_LONG', /^.+\.description should have a maximum length of 255 characters$/s],
  ['TEMPLATE_HCP_LABELS_CONFLICT', /^.+\.labels and .+\.bucket_labels are mutually exclusive; please use the recommended argument .+\.bucket_labels$/s],
  ['TEMPLATE_NO_CONFIG_FILE', /^Could not find any config file in .+$/s],
  ['TEMPLATE_UNKNOWN_FORMAT', /^Could not guess format of .+$/s],
  ['TEMPLATE_COULD_NOT_READ', /^Could not read .+$/s],
  ['TEMPLATE_FAILED_TO_PARSE_DURATION', /^Failed to parse .+ duration$/s],
  ['TEMPLATE_UNKNOWN_COMPONENT_TYPE', /^Unknown .+ type .+$/s],
  ['CONFIG_UNKNOWN_CONFIGURATION_KEY', /^unknown configuration key: '".+"'$/s],
  ['CONFIG_DEPRECATED_CONFIGURATION_KEY', /^Deprecated configuration key: '.+'$/s],
  ['CONFIG_UNSUPPORTED_VALUES', /^Unsupported .+: .+$/s],
  ['PLUGIN_START_FAILED', /^Failed to start the plugin of .+ ".+"$/s],
  ['TEMPLATE_FAILED_TO_INITIALIZE_BUILD', /^Failed to initialize build ".+"$/s],
  ['TEMPLATE_UNSET_VARIABLE', /^Unset variable ".+"$/s],
  ['TEMPLATE_UNHANDLED_BUILDVAR_TYPE', /^unhandled buildvar type: .+$/s],
  ['TEMPLATE_DATASOURCE_START_FAILED', /^failed to start datasource plugin ".+\..+"$/s],
  ['HCL_MISSING_LABEL', /^Missing .+ for .+$/s],
];

/** The plain error lines a command prints instead of diagnostics (`failureInfo`), by pattern. */
const FAILURES: ReadonlyArray<readonly [code: string, message: RegExp]> = [
  ['TEMPLATE_JSON_PARSE_FAILED', /^Failed to parse file as legacy JSON template/s],
  ['COMMAND_INVALID_VAR_FLAG', /^invalid value ".*" for flag -var: /s],
  ['COMMAND_PATH_NOT_FOUND', /: no such file or directory$/s],
  ['COMMAND_PATH_UNREADABLE', /^(stat|open) .+: /s],
];

/** Build errors (runtime failures, not template diagnostics), by pattern; the first match wins. */
const BUILD_ERRORS: ReadonlyArray<readonly [code: string, message: RegExp]> = [
  ['BUILD_CANCELLED', /^Build was cancelled\.$/s],
  ['BUILD_PROVISIONING_CANCELLED', /^provisioning cancelled$/s],
  ['BUILD_SCRIPT_EXIT_STATUS', /Script exited with non-zero exit status/s],
  ['BUILD_PROVISIONER_TIMED_OUT', /\(provisioner timed out after .+\)$/s],
  ['BUILD_POST_PROCESSOR_FAILED', /^\d+ error\(s\) occurred:/s],
  ['BUILD_NO_COMMUNICATOR', /^No communicator found for provisioners!/s],
];

/** The code of any build error no entry names more precisely. */
export const BUILD_FAILED = 'BUILD_FAILED';

const exact = new Map(EXACT.map(([code, summary]) => [summary, code]));

/** The stable code of a diagnostic's summary, or {@link UNCATALOGUED}. */
export function diagnosticCode(summary: string): string {
  const hit = exact.get(summary);
  if (hit !== undefined) return hit;
  for (const [code, pattern] of PATTERNS) if (pattern.test(summary)) return code;
  return UNCATALOGUED;
}

/** The catalogue as a table, for docs/events.md: each code with its wording (or pattern) and what it covers. */
export function catalogueEntries(): readonly { readonly code: string; readonly matches: string; readonly of: 'diagnostic' | 'failure' | 'build error' }[] {
  return [
    ...EXACT.map(([code, summary]) => ({ code, matches: summary, of: 'diagnostic' as const })),
    ...PATTERNS.map(([code, p]) => ({ code, matches: `/${p.source}/`, of: 'diagnostic' as const })),
    ...FAILURES.map(([code, p]) => ({ code, matches: `/${p.source}/`, of: 'failure' as const })),
    ...BUILD_ERRORS.map(([code, p]) => ({ code, matches: `/${p.source}/`, of: 'build error' as const })),
  ];
}

/** Every code of the catalogue, for documentation and tests. */
export function allCodes(): readonly string[] {
  return [...new Set([...EXACT.map(([c]) => c), ...PATTERNS.map(([c]) => c), ...FAILURES.map(([c]) => c), ...BUILD_ERRORS.map(([c]) => c), BUILD_FAILED, UNCATALOGUED])];
}

/** A diagnostic as machines read it: code, wording, and where it points (1-based). */
export function diagnosticInfo(d: Diagnostic): DiagnosticInfo {
  const at = d.subject;
  return {
    severity: d.severity,
    code: diagnosticCode(d.summary),
    summary: d.summary,
    detail: d.detail,
    ...(at ? { file: at.filename, line: at.start.line, column: at.start.column, endLine: at.end.line, endColumn: at.end.column } : {}),
  };
}

/** A build's error (a runtime failure) as machines read it; its message is the summary. */
export function buildErrorInfo(message: string): DiagnosticInfo {
  const code = BUILD_ERRORS.find(([, pattern]) => pattern.test(message))?.[0] ?? BUILD_FAILED;
  return { severity: 'error', code, summary: message, detail: '' };
}

/**
 * A plain error line a command prints instead of a diagnostic (a bad `-var`, a path that
 * cannot be read): its code when the catalogue knows the text, else {@link UNCATALOGUED}.
 */
export function failureInfo(message: string): DiagnosticInfo {
  const code = FAILURES.find(([, pattern]) => pattern.test(message))?.[0] ?? diagnosticCode(message);
  return { severity: 'error', code, summary: message, detail: '' };
}

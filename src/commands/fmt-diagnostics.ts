/**
 * The Go error text `packer fmt` folds parse errors into (go-multierror's list); the
 * diagnostics themselves render through `src/hcl/diagnostic-text.ts`.
 */

/** go-multierror's default text for a list of error strings. */
export function multiErrorText(errors: readonly string[]): string {
  if (errors.length === 1) return `1 error occurred:\n\t* ${errors[0] ?? ''}\n\n`;
  return `${errors.length} errors occurred:\n\t${errors.map((e) => `* ${e}`).join('\n\t')}\n\n`;
}

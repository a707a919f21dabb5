/**
 * The loader's diagnostics that have no place in a file to point at: what is wrong is
 * a command-line input (`-var`, `-only`, `-except`, the template path) or something a
 * template lacks. Packer gives them no subject either. The summaries stay Packer's
 * (scripts and Packer's own tests look for them); the details keep Packer's text and
 * add what kiln knows — the names that were possible, the files that were read — and
 * what to do about it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../hcl/diagnostic.js';
import { errorDiag } from '../../hcl/diagnostic.js';
import { nameSuggestion } from '../../hcl/suggest.js';

const PACKER_NO_CONFIG = 'A config file must be suffixed with `.pkr.hcl` or `.pkr.json`. A folder can be referenced.';

/** Files in `dir` that look like templates under another name, and sub-folders holding templates. */
function nearMisses(dir: string): { files: string[]; folders: string[] } {
  const files: string[] = [];
  const folders: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { files, folders };
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      try {
        if (readdirSync(path.join(dir, e.name)).some((n) => n.endsWith('.pkr.hcl') || n.endsWith('.pkr.json'))) folders.push(e.name);
      } catch {
        // An unreadable sub-folder is simply not suggested.
      }
    } else if (/\.(hcl|json)$/.test(e.name) && !/\.pkrvars\.(hcl|json)$/.test(e.name)) files.push(e.name);
  }
  return { files: files.sort(), folders: folders.sort() };
}

/** "Could not find any config file": `target` is a folder without templates, or a file not named like one. */
export function noConfigFile(target: string, isDir: boolean): Diagnostic {
  let advice: string;
  if (!isDir) {
    const base = path.basename(target);
    const stem = base.replace(/\.(hcl|json)$/, '');
    advice = `${base} is not named like an HCL2 template. Rename it to ${stem}.pkr.hcl (or ${stem}.pkr.json for JSON syntax), or pass the folder that holds it.`;
  } else {
    const { files, folders } = nearMisses(target);
    const lines = ['Sub-folders are not read.'];
    if (files.length > 0) lines.push(`Files here that may be templates: ${files.join(', ')}. Rename them to end in .pkr.hcl or .pkr.json.`);
    if (folders.length > 0) lines.push(`Templates were found in: ${folders.map((f) => path.join(target, f)).join(', ')}. Pass one of those folders instead.`);
    if (files.length + folders.length === 0) lines.push('Write the template into a file such as build.pkr.hcl here, or pass the folder or file that holds it.');
    advice = lines.join(' ');
  }
  return errorDiag(`Could not find any config file in ${target}`, `${PACKER_NO_CONFIG} ${advice}`);
}

/** "Missing build block", naming the files read and the sources a build could use. */
export function missingBuildBlock(files: readonly string[], sources: readonly string[]): Diagnostic {
  const where = files.length === 1 ? `${files[0]} has no build block` : `None of ${files.join(', ')} has a build block`;
  const example =
    sources.length > 0
      ? `build {\n  sources = [${sources.map((s) => `"source.${s}"`).join(', ')}]\n}`
      : 'source "<type>" "<name>" {\n  ...\n}\n\nbuild {\n  sources = ["source.<type>.<name>"]\n}';
  return errorDiag(
    'Missing build block',
    `A build block with one or more sources is required for executing a build. ${where}; add one that names the sources to build, for example:\n\n${example}`,
  );
}

/** "Invalid -only pattern" / "Invalid -except pattern". */
export function invalidPattern(option: 'only' | 'except', pattern: string, message: string): Diagnostic {
  return errorDiag(
    `Invalid -${option} pattern ${pattern}: ${message}`,
    `-${option} takes glob patterns matched against build names such as happycloud.amazon-ebs.ubuntu: * matches any characters (dots too), ? one character, [abc] or [a-z] one of a class, {a,b} either alternative, and \\ makes the next character literal. Close the bracket or brace, or escape it with \\.`,
  );
}

/** The warning when `-only`/`-except` did not match as often as given (Packer's count rule). */
export function filterWarning(option: 'only' | 'except', unmatched: readonly string[], possible: readonly string[]): Diagnostic {
  const summary =
    option === 'only' ? "an 'only' option was passed, but not all matches were found for the given build." : "an 'except' option was passed, but did not match any build.";
  const none = unmatched.map((p) => {
    const s = nameSuggestion(p, possible);
    return `-${option} ${JSON.stringify(p)} matched nothing${s !== undefined ? `; did you mean ${JSON.stringify(s)}?` : '; check it against the names below.'}\n`;
  });
  return {
    severity: 'warning',
    summary,
    detail: `${none.join('')}Possible build names: [${possible.join(' ')}].\nThese could also be matched with a glob pattern like: 'happycloud.*'`,
  };
}

/** "Undefined -var variable", with the declared name it may have meant. */
export function undefinedVar(name: string, declared: readonly string[]): Diagnostic {
  const suggestion = nameSuggestion(name, declared);
  return errorDiag(
    'Undefined -var variable',
    `A "${name}" variable was passed in the command line but was not found in known variables. To declare variable "${name}", place this block in one of your .pkr files, such as variables.pkr.hcl:\n\nvariable "${name}" {\n  type = string\n}` +
      (suggestion !== undefined ? `\n\nOr did you mean -var ${suggestion}=...?` : ''),
  );
}

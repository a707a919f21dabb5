/**
 * The legacy JSON half of `inspect` (packer `Core.InspectConfig`): description,
 * required and optional variables (defaults of sensitive variables as `<sensitive>`),
 * builders by name with their type, provisioner types, then Packer's note about build
 * names. With `-machine-readable` each variable, builder and provisioner also gets a
 * `template-variable`, `template-builder` or `template-provisioner` line.
 */
import type { UiEmitter } from '../core/ui/emitter.js';
import type { JsonTemplate } from '../template/json/json-template.js';

const NOTE =
  "\nNote: If your build names contain user variables or template\nfunctions such as 'timestamp', these are processed at build time,\nand therefore only show in their raw form here.";

export function inspectJson(t: JsonTemplate, ui: UiEmitter): void {
  ui.say('Packer Inspect: JSON mode');
  if (t.description !== '') {
    ui.say('Description:\n');
    ui.say(`${t.description}\n`);
  }
  // Packer compares defaults, not names: any variable whose default equals a
  // sensitive variable's default is shown masked.
  const sensitiveDefaults = new Set(t.variables.filter((v) => v.sensitive).map((v) => v.default));
  const shown = (d: string): string => (sensitiveDefaults.has(d) ? '<sensitive>' : d);
  const vars = [...t.variables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (vars.length === 0) {
    ui.say('Variables:\n');
    ui.say('  <No variables>');
  } else {
    const required = vars.filter((v) => v.required);
    if (required.length > 0) {
      ui.say('Required variables:\n');
      for (const v of required) {
        ui.machine('template-variable', [v.name, shown(v.default), '1']);
        ui.say(`  ${v.name}`);
      }
      ui.say('');
    }
    ui.say('Optional variables and their defaults:\n');
    const width = Math.max(...vars.map((v) => v.name.length));
    for (const v of vars) {
      if (v.required) continue;
      ui.machine('template-variable', [v.name, shown(v.default), '0']);
      ui.say(`  ${v.name.padEnd(width)} = ${shown(v.default)}`);
    }
  }
  ui.say('');
  ui.say('Builders:\n');
  if (t.builders.length === 0) {
    ui.say('  <No builders>');
  } else {
    const builders = [...t.builders].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const width = Math.max(...builders.map((b) => b.name.length));
    for (const b of builders) {
      ui.machine('template-builder', [b.name, b.type]);
      ui.say(`  ${b.name.padEnd(width)}${b.name !== b.type ? ` (${b.type})` : ''}`);
    }
  }
  ui.say('');
  ui.say('Provisioners:\n');
  if (t.provisioners.length === 0) ui.say('  <No provisioners>');
  for (const p of t.provisioners) {
    ui.machine('template-provisioner', [p.type]);
    ui.say(`  ${p.type}`);
  }
  ui.say(NOTE);
}

/**
 * One line of Packer's `-machine-readable` output:
 * `timestamp,target,type,data...` with commas in data written as `%!(PACKER_COMMA)`
 * and newlines as the two characters `\n` (carriage returns as `\r`).
 */
export function machineLine(target: string, type: string, data: readonly string[], now: Date = new Date()): string {
  const escaped = data.map((d) => d.replaceAll(',', '%!(PACKER_COMMA)').replaceAll('\r', '\\r').replaceAll('\n', '\\n'));
  return [Math.floor(now.getTime() / 1000).toString(), target, type, ...escaped].join(',') + '\n';
}

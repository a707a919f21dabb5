/**
 * Word wrapping as mitchellh/go-wordwrap's WrapString does it, which HCL uses for the
 * detail text of diagnostics: break only at white space, keep existing newlines, let
 * a word longer than the limit overflow, count characters as code points.
 */

const NBSP = 0xa0;

/** Go's unicode.IsSpace. */
function isSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === NBSP || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

export function wrapString(s: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  const flushSpaceAndWord = () => {
    current += spaceLen + wordLen;
    out += space + word;
    space = '';
    spaceLen = 0;
    word = '';
    wordLen = 0;
  };
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + spaceLen <= limit) out += space;
        space = '';
        spaceLen = 0;
      } else {
        flushSpaceAndWord();
      }
      out += ch;
      current = 0;
    } else if (isSpace(cp) && cp !== NBSP) {
      if (space.length === 0 || word.length > 0) flushSpaceAndWord();
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + wordLen + spaceLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (word.length === 0) {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

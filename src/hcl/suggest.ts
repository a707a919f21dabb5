/**
 * "Did you mean ...?": the name HCL suggests for a misspelt one (HCL's nameSuggestion,
 * over agext/levenshtein). Used for variables, attributes, block types, functions,
 * template keywords and component types alike.
 */

/** The first candidate within edit distance 2 of `given`, counted in code points. */
export function nameSuggestion(given: string, candidates: Iterable<string>): string | undefined {
  for (const c of candidates) if (levenshtein(given, c) < 3) return c;
  return undefined;
}

function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

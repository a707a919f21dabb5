// Properties of the formatter (format-properties.ts) over kiln's own HCL: the syntax
// tour, the examples, and fragments that stress alignment and nesting. The real-world
// corpus and HCL's fmt vectors run in format-property.conformance.test.ts.
import { ownSamples } from '../syntax/fuzz-harness.js';
import { describeFormatProperties } from './format-properties.js';

/** Fragments of kiln's own: alignment runs broken by comments and blocks, nesting, odd spacing. */
const FRAGMENTS = [
  'a=1\nbb   =  2 # note\n\nccc= 3\nblock {\n  d =4\n}\ne=[ 1,2 , 3 ]\n',
  'x = {\n  a   = 1\n    bcd = { e = [ "f" ,"g" ] }\n}\n',
  'y = a ? b : c\nz = ( 1+2 ) *3\nw = -1\nv = !true\nu = f( 1 , 2... )\n',
  'list = [\n  1,\n  2,\n]\nobj = {\n\n  k = "v"\n\n}\n',
  't = "${ a }%{ if b }c%{ endif }"\nh = <<EOT\n  keep   spaces\nEOT\n',
];

describeFormatProperties('formatter properties over kiln\'s own HCL', () => [
  ...ownSamples(),
  ...FRAGMENTS.map((text, i) => ({ name: `fragment ${i}`, text })),
]);

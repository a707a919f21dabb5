/**
 * The character sets Go's `ianaindex.IANA` serves (golang.org/x/text), as data: each
 * row is the canonical IANA name (what `IANA.Name` reports, and so what Packer's error
 * messages say), how kiln encodes and decodes it, and the other registered names and
 * aliases, lower-cased (lookup is case-insensitive).
 *
 * Codec specs:
 * - `ascii`, `utf-8`: done by hand;
 * - `utf-16` (big-endian, writes a BOM and honours one when reading), `utf-16be`,
 *   `utf-16le` (a BOM is an ordinary character);
 * - `charmap:<table>`: a single-byte charset, with x/text's table (`charmap-tables.ts`);
 * - `multi:<iconv name>:<label>`: encoded by iconv-lite, decoded by TextDecoder (WHATWG,
 *   as x/text's CJK decoders are); encodings that do not decode back are refused;
 * - `decode-only:<label>`: no encoder available in Node or iconv-lite (ISO-2022-JP);
 * - `none`: known to Go, not supported by kiln (HZ-GB-2312).
 */
export type CharsetRow = readonly [name: string, codec: string, aliases: readonly string[]];

export const IANA_CHARSETS: readonly CharsetRow[] = [
  ['US-ASCII', 'ascii', ['ansi_x3.4-1968', 'ansi_x3.4-1986', 'cp367', 'csascii', 'ibm367', 'iso-ir-6', 'iso646-us', 'iso_646.irv:1991', 'us']],
  ['UTF-8', 'utf-8', ['csutf8']],
  ['UTF-16', 'utf-16', ['csutf16']],
  ['UTF-16BE', 'utf-16be', ['csutf16be']],
  ['UTF-16LE', 'utf-16le', ['csutf16le']],
  ['IBM037', 'charmap:codePage037', ['cp037', 'csibm037', 'ebcdic-cp-ca', 'ebcdic-cp-nl', 'ebcdic-cp-us', 'ebcdic-cp-wt']],
  ['IBM437', 'charmap:codePage437', ['437', 'cp437', 'cspc8codepage437']],
  ['IBM850', 'charmap:codePage850', ['850', 'cp850', 'cspc850multilingual']],
  ['IBM852', 'charmap:codePage852', ['852', 'cp852', 'cspcp852']],
  ['IBM855', 'charmap:codePage855', ['855', 'cp855', 'csibm855']],
  ['IBM00858', 'charmap:codePage858', ['ccsid00858', 'cp00858', 'csibm00858', 'pc-multilingual-850+euro']],
  ['IBM860', 'charmap:codePage860', ['860', 'cp860', 'csibm860']],
  ['IBM862', 'charmap:codePage862', ['862', 'cp862', 'cspc862latinhebrew']],
  ['IBM863', 'charmap:codePage863', ['863', 'cp863', 'csibm863']],
  ['IBM865', 'charmap:codePage865', ['865', 'cp865', 'csibm865']],
  ['IBM866', 'charmap:codePage866', ['866', 'cp866', 'csibm866']],
  ['IBM1047', 'charmap:codePage1047', ['csibm1047', 'ibm-1047']],
  ['IBM01140', 'charmap:codePage1140', ['ccsid01140', 'cp01140', 'csibm01140', 'ebcdic-us-37+euro']],
  ['ISO_8859-1:1987', 'charmap:iso8859_1', ['cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso_8859-1', 'l1', 'latin1']],
  ['ISO_8859-2:1987', 'charmap:iso8859_2', ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso_8859-2', 'l2', 'latin2']],
  ['ISO_8859-3:1988', 'charmap:iso8859_3', ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso_8859-3', 'l3', 'latin3']],
  ['ISO_8859-4:1988', 'charmap:iso8859_4', ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso_8859-4', 'l4', 'latin4']],
  ['ISO_8859-5:1988', 'charmap:iso8859_5', ['csisolatincyrillic', 'cyrillic', 'iso-8859-5', 'iso-ir-144', 'iso_8859-5']],
  ['ISO_8859-6:1987', 'charmap:iso8859_6', ['arabic', 'asmo-708', 'csisolatinarabic', 'ecma-114', 'iso-8859-6', 'iso-ir-127', 'iso_8859-6']],
  ['ISO_8859-6-E', 'charmap:iso8859_6', ['csiso88596e', 'iso-8859-6-e']],
  ['ISO_8859-6-I', 'charmap:iso8859_6', ['csiso88596i', 'iso-8859-6-i']],
  ['ISO_8859-7:1987', 'charmap:iso8859_7', ['csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-8859-7', 'iso-ir-126', 'iso_8859-7']],
  ['ISO_8859-8:1988', 'charmap:iso8859_8', ['csisolatinhebrew', 'hebrew', 'iso-8859-8', 'iso-ir-138', 'iso_8859-8']],
  ['ISO_8859-8-E', 'charmap:iso8859_8', ['csiso88598e', 'iso-8859-8-e']],
  ['ISO_8859-8-I', 'charmap:iso8859_8', ['csiso88598i', 'iso-8859-8-i']],
  ['ISO_8859-9:1989', 'charmap:iso8859_9', ['csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso_8859-9', 'l5', 'latin5']],
  ['ISO-8859-10', 'charmap:iso8859_10', ['csisolatin6', 'iso-ir-157', 'iso_8859-10:1992', 'l6', 'latin6']],
  ['ISO-8859-13', 'charmap:iso8859_13', ['csiso885913']],
  ['ISO-8859-14', 'charmap:iso8859_14', ['csiso885914', 'iso-celtic', 'iso-ir-199', 'iso_8859-14', 'iso_8859-14:1998', 'l8', 'latin8']],
  ['ISO-8859-15', 'charmap:iso8859_15', ['csiso885915', 'iso_8859-15', 'latin-9']],
  ['ISO-8859-16', 'charmap:iso8859_16', ['csiso885916', 'iso-ir-226', 'iso_8859-16', 'iso_8859-16:2001', 'l10', 'latin10']],
  ['KOI8-R', 'charmap:koi8R', ['cskoi8r']],
  ['KOI8-U', 'charmap:koi8U', ['cskoi8u']],
  ['macintosh', 'charmap:macintosh', ['csmacintosh', 'mac']],
  ['windows-874', 'charmap:windows874', ['cswindows874']],
  ['windows-1250', 'charmap:windows1250', ['cswindows1250']],
  ['windows-1251', 'charmap:windows1251', ['cswindows1251']],
  ['windows-1252', 'charmap:windows1252', ['cswindows1252']],
  ['windows-1253', 'charmap:windows1253', ['cswindows1253']],
  ['windows-1254', 'charmap:windows1254', ['cswindows1254']],
  ['windows-1255', 'charmap:windows1255', ['cswindows1255']],
  ['windows-1256', 'charmap:windows1256', ['cswindows1256']],
  ['windows-1257', 'charmap:windows1257', ['cswindows1257']],
  ['windows-1258', 'charmap:windows1258', ['cswindows1258']],
  ['Extended_UNIX_Code_Packed_Format_for_Japanese', 'multi:eucjp:euc-jp', ['cseucpkdfmtjapanese', 'euc-jp']],
  ['ISO-2022-JP', 'decode-only:iso-2022-jp', ['csiso2022jp']],
  ['Shift_JIS', 'multi:shiftjis:shift_jis', ['csshiftjis', 'ms_kanji']],
  ['EUC-KR', 'multi:euckr:euc-kr', ['cseuckr']],
  ['GB18030', 'multi:gb18030:gb18030', ['csgb18030']],
  ['GBK', 'multi:gbk:gbk', ['cp936', 'csgbk', 'ms936', 'windows-936']],
  ['HZ-GB-2312', 'none', []],
  ['Big5', 'multi:big5:big5', ['csbig5']],
];

let index: Map<string, CharsetRow> | undefined;

/** The row for a name or alias (trimmed, case-insensitive), as `IANA.Encoding` finds it; undefined if unknown. */
export function lookupCharset(name: string): CharsetRow | undefined {
  if (index === undefined) {
    index = new Map();
    for (const row of IANA_CHARSETS) {
      index.set(row[0].toLowerCase(), row);
      for (const a of row[2]) index.set(a, row);
    }
  }
  return index.get(name.trim().toLowerCase());
}

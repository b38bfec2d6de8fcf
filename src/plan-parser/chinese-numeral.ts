/**
 * Chinese numerals as they appear in plans: 七, 十二, 两, 三百五十, 二〇一八 (digit by digit), 1.5万.
 * Kept tiny and table-driven so the target and outline parsers share one definition.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  '○': 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/** Characters that may form a Chinese numeral (used to build scanners). */
export const CHINESE_NUMERAL_CHARS = '零〇○一二两三四五六七八九十百千万亿';

/** True when every character of `s` is a Chinese numeral character. */
export function isChineseNumeral(s: string): boolean {
  if (s.length === 0) return false;
  for (const ch of s) if (!CHINESE_NUMERAL_CHARS.includes(ch)) return false;
  return true;
}

/**
 * Parses a Chinese numeral (十二 → 12, 两千 → 2000, 二〇一八 → 2018). Returns null for anything it
 * cannot read, so callers can fall back to treating the text as a name.
 */
export function parseChineseNumeral(s: string): number | null {
  if (!isChineseNumeral(s)) return null;
  // Year style "二〇一八": only digits, no place-value characters.
  if ([...s].every((ch) => ch in DIGITS) && s.length > 1) {
    let v = 0;
    for (const ch of s) v = v * 10 + DIGITS[ch];
    return v;
  }
  let total = 0;
  let section = 0;
  let digit = -1;
  for (const ch of s) {
    if (ch in DIGITS) {
      digit = DIGITS[ch];
    } else if (ch in SMALL_UNITS) {
      section += (digit < 0 ? 1 : digit) * SMALL_UNITS[ch];
      digit = -1;
    } else if (ch in BIG_UNITS) {
      section += Math.max(0, digit);
      total += (section === 0 ? 1 : section) * BIG_UNITS[ch];
      section = 0;
      digit = -1;
    }
  }
  if (digit >= 0) section += digit;
  return total + section;
}

/** Parses an Arabic or Chinese numeral string; full-width digits are folded first. */
export function parseNumber(s: string): number | null {
  if (ARABIC_RE.test(s)) return Number(s);
  // Full-width digits are rare (the parser scans a folded copy), so normalise only then.
  const folded = /[０-９．]/.test(s) ? s.normalize('NFKC') : s;
  if (ARABIC_RE.test(folded)) return Number(folded);
  return parseChineseNumeral(folded);
}
const ARABIC_RE = /^\d+(?:\.\d+)?$/;

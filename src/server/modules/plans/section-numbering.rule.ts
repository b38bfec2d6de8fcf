/**
 * The number token of a section among its siblings (一, (一), 1, (1), ①, 第一章), so that an outline
 * the office reorders or extends still reads 一、二、三 in order. The style of a level is read from
 * the tokens its siblings already have; a token of no known style (附件1, a letter) is kept as it is.
 */

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** How a level of the outline numbers its sections. */
export type NumberingStyle = 'cn' | 'cn-paren' | 'arabic' | 'arabic-paren' | 'circled' | 'chapter';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; beyond that the Arabic number. */
export function chineseNumber(n: number): string {
  if (n < 1 || n > 99) return String(n);
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones === 0 ? '' : CN_DIGITS[ones]}`;
}

const CN = '[零〇一二两三四五六七八九十百]+';

/** The style of one token, or null for a token this rule does not renumber (附件1). */
export function styleOf(token: string): NumberingStyle | null {
  if (new RegExp(`^${CN}$`).test(token)) return 'cn';
  if (new RegExp(`^[(（]${CN}[)）]$`).test(token)) return 'cn-paren';
  if (/^\d+$/.test(token)) return 'arabic';
  if (/^[(（]\d+[)）]$/.test(token)) return 'arabic-paren';
  if (token.length === 1 && CIRCLED.includes(token)) return 'circled';
  if (new RegExp(`^第${CN}章$`).test(token)) return 'chapter';
  return null;
}

/** The style a level uses when none of its sections says: 一 / (一) / 1 / (1) / ①, by depth. */
export function defaultStyle(depth: number): NumberingStyle {
  return (['cn', 'cn-paren', 'arabic', 'arabic-paren', 'circled'] as const)[Math.min(depth, 4)]!;
}

/** The token of the n-th (1-based) section of a level in `style`. */
export function numberToken(style: NumberingStyle, n: number): string {
  switch (style) {
    case 'cn':
      return chineseNumber(n);
    case 'cn-paren':
      return `(${chineseNumber(n)})`;
    case 'arabic':
      return String(n);
    case 'arabic-paren':
      return `(${n})`;
    case 'circled':
      return n <= CIRCLED.length ? CIRCLED[n - 1]! : `(${n})`;
    case 'chapter':
      return `第${chineseNumber(n)}章`;
  }
}

/**
 * New tokens for a level's sections in their order: numbered 1…n in the level's style (the first
 * sibling token with a known style, else the depth's default). Siblings whose token has no known
 * style keep it and are not counted (an 附件 root among 一、二、).
 */
export function renumberLevel(tokens: (string | undefined)[], depth: number): string[] {
  const known = tokens.map((t) => (t === undefined ? null : styleOf(t)));
  const style = known.find((s) => s !== null) ?? defaultStyle(depth);
  let n = 0;
  return tokens.map((t, i) => {
    if (t !== undefined && known[i] === null && t !== '') return t;
    n += 1;
    return numberToken(style, n);
  });
}

/**
 * Title, issuer and plan year from the document head.
 *
 * A published plan usually carries two titles: the notice ("关于印发…的通知", often split over two
 * lines) and, just before the body, the plan's own title (also often split). The plan's own title
 * is preferred; the notice's inner title is the fallback, which also serves OCR text with no lines.
 */

/** What the head of a plan says about itself. */
export interface PlanHeader {
  title: string | null;
  issuer: string | null;
  year: number | null;
}

// A plan's own title may end with its period: "三年行动方案(2022—2024年)".
const PLAN_SUFFIX_RE = /(?:方案|计划|规划|意见|办法|要点|细则|纲要|措施|通知|决定)(?:[(（]\d{4}[^()（）]{0,12}[)）])?$/;
const ISSUER_RE = /(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|领导小组|政府|国务院|厅|局|部|委)$/;
const TITLE_PUNCT_RE = /[，,。：:；;！？]/;
const DATE_LINE_RE = /^(?:\d{4}|[〇○零一二三四五六七八九]{4})年/;
const NOTICE_RE = /关于印发[《<]?(.{2,80}?)[》>]?的通知/;
/**
 * Letterhead noise (OCR'd scans): urgency and secrecy marks, 签发人, copy numbers and the 文号,
 * whose brackets OCR writes as [] or () and around which it leaves stray characters
 * ("X政发[2019]的12号").
 */
const NOISE_WORD_RE =
  /^(?:特提|特急|加急|平急|急件|绝密|机密|秘密|密级|内部|★[0-9]{0,2}年?|[0-9０-９]{3,8}(?![0-9０-９年月日.．])|[:：\s])+/;
const SIGNER_RE = /签\s?发\s?人?\s?[:：]\s?[\u4e00-\u9fff·]{2,3}/g;
const DOC_NUMBER_RE = /[\u4e00-\u9fff]{1,4}[〔[(（【［]\s?(\d{4})\s?[〕\])）】］][^\u4e00-\u9fff\d]{0,2}[\u4e00-\u9fff]?\s?\d{1,4}\s?号/g;

/**
 * Reads the header from the text before the first heading (`bodyStart`).
 */
export function parseHeader(text: string, bodyStart: number): PlanHeader {
  const head = text.slice(0, Math.min(bodyStart, 3000));
  // Letterhead parts OCR ran together become lines of their own: "…人民政府文件豫政[2019]12号签发人:…".
  const lines = head
    .replace(/文件(?=[\u4e00-\u9fff]{1,4}[〔[(（【［]\s?\d{4})/g, '文件\n')
    .replace(DOC_NUMBER_RE, '\n')
    .replace(SIGNER_RE, '\n')
    .split('\n')
    .map((l) => stripNoise(l.replace(/[\s\u3000\r\ufeff]+/g, '').replace(/^【[^】]{1,30}】/, '')))
    // "(此件公开发布)" and similar bracketed remarks are neither title nor issuer.
    .filter((l) => l.length > 0 && !/^[(（][^()（）]{1,20}[)）]$/.test(l));
  let title = findOwnTitle(lines);
  if (!title) {
    const m = NOTICE_RE.exec(lines.join('').slice(0, 600));
    if (m) title = m[1].replace(/[《》<>]/g, '');
  }
  return { title, issuer: findIssuer(lines), year: findYear(title, lines, head) };
}

/** A head line without its letterhead noise; '' when the line is nothing but noise. */
function stripNoise(line: string): string {
  return line.replace(NOISE_WORD_RE, '');
}

/** A line that ends with a date is a signature or letterhead line ("市人民政府办公室2018年3月"). */
const DATE_END_RE =
  /(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:\d{1,2}日|[一二三]?十?[一二三四五六七八九]?日)?$/;

function isTitleLine(l: string): boolean {
  return l.length <= 40 && !TITLE_PUNCT_RE.test(l) && !DATE_LINE_RE.test(l) && !DATE_END_RE.test(l) && !/^[《“]/.test(l);
}

function findOwnTitle(lines: string[]): string | null {
  // Scan from the bottom: the plan's own title sits right above the body.
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (!isTitleLine(l) || !PLAN_SUFFIX_RE.test(l)) continue;
    let start = i;
    while (start > 0 && isTitleLine(lines[start - 1]) && !ISSUER_RE.test(lines[start - 1]) && i - start < 2) start--;
    const joined = lines.slice(start, i + 1).join('');
    if (joined.startsWith('关于') || joined.endsWith('通知') || joined.length < 6) continue;
    return joined.replace(/^[《]|[》]$/g, '');
  }
  return null;
}

function findIssuer(lines: string[]): string | null {
  // A letterhead reads "…办公厅文件".
  // The first line that is not letterhead noise (noise lines are already emptied and dropped).
  const first = (lines[0] ?? '').replace(/文件$/, '');
  const before = first.split('关于')[0];
  if (
    before.length >= 2 &&
    before.length <= 30 &&
    ISSUER_RE.test(before) &&
    !TITLE_PUNCT_RE.test(before) &&
    !/[\d[\]()（）〔〕]/.test(before)
  )
    return before;
  // Text without line breaks: the letterhead "…人民政府文件" before the notice.
  const letterhead = /^([\u4e00-\u9fff]{2,24}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|政府))文件/.exec(first);
  if (letterhead) return letterhead[1];
  // An issuer line right above the notice title: "…人民政府办公厅" / "关于印发…的通知".
  for (let i = 1; i < Math.min(lines.length, 6); i++) {
    const l = lines[i - 1];
    if (lines[i].startsWith('关于') && l.length >= 4 && l.length <= 30 && ISSUER_RE.test(l) && !TITLE_PUNCT_RE.test(l)) return l;
  }
  for (let i = 1; i < lines.length; i++) {
    if (DATE_LINE_RE.test(lines[i]) && ISSUER_RE.test(lines[i - 1]) && lines[i - 1].length <= 30) return lines[i - 1];
  }
  return null;
}

/** A plan period in a title: "三年行动方案(2022—2024年)" is a plan of 2022, its first year. */
const PERIOD_RE = /(\d{4})\s?年?\s?[—–\-－~～至到]\s?(\d{4})\s?年/;

function findYear(title: string | null, lines: string[], rawHead: string): number | null {
  const period = title ? PERIOD_RE.exec(title) : null;
  if (period) return Number(period[1]);
  const t = title ? /(\d{4})年/.exec(title) : null;
  if (t) return Number(t[1]);
  // The notice's own title: "…关于2020年市政府重点工作及责任分解的通知".
  for (const l of lines) {
    const m = /关于(?:印发)?[《]?[^《》]{0,20}?(\d{4})年/.exec(l);
    if (m) return Number(m[1]);
  }
  for (const l of lines) {
    const m = /^(\d{4})年\d{1,2}月/.exec(l);
    if (m) return Number(m[1]);
  }
  // Text without line breaks: the issue date or the document number's year.
  const joined = lines.join('');
  const d = /(\d{4})年\d{1,2}月\d{1,2}日/.exec(joined) ?? /〔(\d{4})〕/.exec(joined);
  if (d) return Number(d[1]);
  // The 文号 as OCR wrote it: [2019] / (2019).
  DOC_NUMBER_RE.lastIndex = 0;
  const n = DOC_NUMBER_RE.exec(rawHead);
  return n ? Number(n[1]) : null;
}

const SIGNATURE_DATE_RE =
  /(?:^|\n)[ \t\u3000]*(\d{4}|[〇○零一二三四五六七八九]{4})\s?年\s?(?:\d{1,2}|十[一二]?|[一二三四五六七八九])\s?月\s?(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s?日[ \t\u3000]*(?=\n|$)/g;
const CN_DIGIT = '〇一二三四五六七八九';

/**
 * The year of the signature date line at the end of a document ("2012年10月9日", "二〇一二年十月九日"
 * alone on a line), for plans whose head names no year. Only the last 400 characters are read.
 */
export function signatureYear(text: string): number | null {
  const tail = text.slice(Math.max(0, text.length - 400));
  let year: number | null = null;
  SIGNATURE_DATE_RE.lastIndex = 0;
  for (let m = SIGNATURE_DATE_RE.exec(tail); m; m = SIGNATURE_DATE_RE.exec(tail)) {
    const y = /\d/.test(m[1]) ? Number(m[1]) : Number([...m[1]].map((c) => (c === '○' || c === '零' ? 0 : CN_DIGIT.indexOf(c))).join(''));
    if (y >= 1900 && y <= 2200) year = y;
  }
  return year;
}

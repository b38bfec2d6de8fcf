/**
 * A length-preserving fold of the text for scanning. OCR output and some word processors write
 * digits, Latin letters, ％ and ． in full width, and the ideographic space; the scanners' patterns
 * are written for the ASCII forms. Folding one UTF-16 unit to one keeps every offset valid, so
 * spans found on the folded text index the original text unchanged.
 */
export function foldForScan(text: string): string {
  let needsFold = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= 0xff10 && c <= 0xff19) ||
      (c >= 0xff21 && c <= 0xff3a) ||
      (c >= 0xff41 && c <= 0xff5a) ||
      c === 0xff05 ||
      c === 0xff0e ||
      c === 0x3000
    ) {
      needsFold = true;
      break;
    }
  }
  if (!needsFold) return text;
  const out: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < text.length; start += CHUNK) {
    const codes: number[] = [];
    const end = Math.min(text.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a) || c === 0xff05 || c === 0xff0e) {
        codes.push(c - 0xfee0);
      } else if (c === 0x3000) {
        codes.push(0x20);
      } else {
        codes.push(c);
      }
    }
    out.push(String.fromCharCode(...codes));
  }
  return out.join('');
}

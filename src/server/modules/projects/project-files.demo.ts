/**
 * Small real files for the demo library (issue 14 item 10): a site photo (现场照片) as a PNG and an
 * approval document (附件) as a one-page PDF, generated from a seed so every install gets the same
 * bytes. They go through the same evidence store as an upload (type sniffed, size checked). Demo
 * data only.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A 240×160 RGB PNG of a building site: sky, a row of blocks under construction (heights from
 * `seed`), a crane and the ground. `progress` (0–100) is how much of the blocks is built.
 */
export function demoSitePhoto(seed: number, progress: number): Buffer {
  const w = 240;
  const h = 160;
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  const blocks = Array.from({ length: 4 }, (_, i) => ({
    left: 20 + i * 52,
    width: 40,
    top: 40 + Math.floor(rnd() * 40),
    tint: Math.floor(rnd() * 40),
  }));
  const built = Math.max(0.1, Math.min(1, progress / 100));
  const ground = 130;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < w; px++) {
      // Sky fading to haze, then earth.
      let rgb: [number, number, number] = y < ground ? [150 + y / 2, 190 + y / 4, 235] : [150 - (y - ground), 120 - (y - ground), 90];
      for (const b of blocks) {
        const top = ground - Math.round((ground - b.top) * built);
        if (px >= b.left && px < b.left + b.width && y >= top && y < ground) {
          // Concrete with window rows; the unbuilt part above shows scaffolding.
          const win = (y - top) % 10 < 4 && (px - b.left) % 10 > 3;
          rgb = win ? [70, 90, 110] : [190 - b.tint, 185 - b.tint, 175 - b.tint];
        } else if (px >= b.left && px < b.left + b.width && y >= b.top && y < ground && (px % 8 === 0 || y % 8 === 0)) {
          rgb = [200, 160, 60];
        }
      }
      // The crane: a mast and a jib.
      if ((px >= 214 && px < 217 && y >= 20 && y < ground) || (y >= 20 && y < 23 && px >= 150 && px < 235)) rgb = [230, 170, 20];
      raw[row + 1 + px * 3] = Math.max(0, Math.min(255, Math.round(rgb[0])));
      raw[row + 2 + px * 3] = Math.max(0, Math.min(255, Math.round(rgb[1])));
      raw[row + 3 + px * 3] = Math.max(0, Math.min(255, Math.round(rgb[2])));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A one-page PDF (A4, Helvetica) with the given lines: ASCII only, since the standard fonts have
 * no Chinese glyphs (the file name carries the Chinese title). A valid file: objects, xref, trailer.
 */
export function demoPdf(lines: readonly string[]): Buffer {
  const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 72 ${770 - i * 28} Td (${esc(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

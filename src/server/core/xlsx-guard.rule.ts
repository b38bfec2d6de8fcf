import { AppError } from './app-error.ts';
import { inflateBounded, tagCounter, UnzipRefused } from './bounded-unzip.rule.ts';
import { isZip } from './zip-inspect.rule.ts';

/** How much an uploaded workbook may hold: its limits are the caller's (a report template, a project import, a layer). */
export interface XlsxLimits {
  /** Data rows a sheet may have (the header rows come on top). */
  maxRows: number;
  /** Header rows above the data. */
  headerRows: number;
  /** Cells a row may have. */
  cellsPerRow: number;
  /** Bytes inflated in total, and per entry. */
  totalBytes: number;
  entryBytes: number;
  /** Parts (zip entries) in the workbook. */
  entries: number;
  /** Said after "工作表超过 N 行（或单元格过多）" (what the user should do), e.g. "：请分批导入". */
  tooManyRowsHint?: string;
}

class TooManyRows extends Error {}

/**
 * 415 unless the bytes are a readable .xlsx; 413 when inflating it passes the limits (counted on
 * the bytes really inflated) or a sheet has more rows (or cells, or shared strings) than `limits`
 * allow. Runs before exceljs, which builds an object per row and cell of the whole workbook: a
 * 1,000,000-row sheet of 47 MB took it 1.5 GB. Every xlsx upload goes through here.
 */
export async function assertSaneXlsx(bytes: Buffer, limits: XlsxLimits): Promise<void> {
  if (!isZip(bytes)) throw new AppError('not_xlsx', '上传的文件不是 Excel .xlsx 工作簿');
  const rowLimit = limits.maxRows + limits.headerRows;
  const cellLimit = rowLimit * limits.cellsPerRow;
  const tooMany = () => new TooManyRows();
  let sawWorkbook = false;
  try {
    await inflateBounded(bytes, { totalBytes: limits.totalBytes, entryBytes: limits.entryBytes, entries: limits.entries }, (name) => {
      if (name === 'xl/workbook.xml') sawWorkbook = true;
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(name)) {
        const rows = tagCounter('row', rowLimit, tooMany);
        const cells = tagCounter('c', cellLimit, tooMany);
        return (chunk) => {
          rows.feed(chunk);
          cells.feed(chunk);
        };
      }
      if (name === 'xl/sharedStrings.xml') return tagCounter('si', cellLimit, tooMany).feed;
      return undefined;
    });
  } catch (err) {
    if (err instanceof TooManyRows) {
      throw new AppError('too_many_rows', `工作表超过 ${limits.maxRows} 行（或单元格过多）${limits.tooManyRowsHint ?? ''}`);
    }
    if (err instanceof UnzipRefused) {
      if (err.refusal.kind === 'not_zip') throw new AppError('not_xlsx', '上传的文件不是可读取的 Excel .xlsx 工作簿');
      if (err.refusal.kind === 'entries') throw new AppError('file_too_large', `工作簿包含的部件过多（至多 ${limits.entries} 个）`);
      throw new AppError('file_too_large', `工作簿解压后过大（至多 ${limits.totalBytes / 1024 / 1024} MB）`);
    }
    throw err;
  }
  if (!sawWorkbook) throw new AppError('not_xlsx', '上传的文件不是 Excel .xlsx 工作簿');
}

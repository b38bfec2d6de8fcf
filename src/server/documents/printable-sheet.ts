import type { Workbook, Worksheet } from 'exceljs';

/**
 * A worksheet set up the way offices print their tables: A4 landscape, fitted to the page width
 * (as many pages tall as needed), the header row frozen on screen and repeated on every printed
 * page, and "第 N 页，共 M 页" in the footer. Rows above `headerRow` (titles) scroll away.
 */
export function addPrintableSheet(workbook: Workbook, name: string, headerRow: number): Worksheet {
  return workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      // 0 = as many pages tall as needed; only the width is fitted.
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${headerRow}:${headerRow}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
}

/**
 * Reads a layer file (GeoJSON points, CSV with lng/lat columns, or .xlsx with the same columns)
 * into rows and row-level problems, naming the row as the file numbers it (CSV line and sheet row
 * with the header as row 1; GeoJSON: the feature's number from 1) and the column. Nothing is
 * converted here: the coordinates stay in the declared datum until the service converts them.
 */
import ExcelJS from 'exceljs';
import { DATUMS, type Datum, type LayerImportProblem, type LayerRole, type RoadClass } from '../../../shared/schemas/coverage.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { assertSaneXlsx } from '../../core/xlsx-guard.rule.ts';
import { isZip } from '../../core/zip-inspect.rule.ts';

/** The most points one layer may have (a city's population grid at 100 m is ~200,000 cells). */
export const MAX_LAYER_FEATURES = 200_000;

/** Limits of an xlsx layer, checked on the inflated bytes before exceljs builds anything. */
const XLSX_LIMITS = { totalBytes: 60 * 1024 * 1024, entryBytes: 50 * 1024 * 1024, entries: 200, cellsPerRow: 12 } as const;

export type LayerFileFormat = 'geojson' | 'csv' | 'xlsx';

/** One point as read, in the file's datum. */
export interface LayerFileRow {
  row: number;
  name: string | null;
  lng: number;
  lat: number;
  weight: number | null;
  roadClass: RoadClass | null;
}

export interface ParsedLayerFile {
  format: LayerFileFormat;
  rows: LayerFileRow[];
  problems: LayerImportProblem[];
}

type Field = 'lng' | 'lat' | 'name' | 'weight' | 'roadClass';

// Header names accepted for each field (compared lower-cased, trimmed).
const ALIASES: Record<Field, string[]> = {
  lng: ['lng', 'lon', 'long', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  name: ['name', '名称', '设施名称'],
  weight: ['population', 'pop', 'weight', '人口', '人口数'],
  roadClass: ['roadclass', 'road_class', '道路等级', '道路类别'],
};

const ROAD_CLASS_WORDS: Record<string, RoadClass> = {
  main_street: 'main_street',
  主要街道: 'main_street',
  主干道: 'main_street',
  ordinary_road: 'ordinary_road',
  一般道路: 'ordinary_road',
  riverside_park: 'riverside_park',
  沿河公园: 'riverside_park',
};

/** Which format the bytes are: a zip is xlsx, a JSON object is GeoJSON, anything else CSV. */
export function detectFormat(bytes: Buffer, filename: string): LayerFileFormat {
  if (isZip(bytes)) return 'xlsx';
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b || lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  return 'csv';
}

/** Parses `bytes` as a layer file of `role`. Throws AppError only for a file that is unreadable as a whole. */
export async function parseLayerFile(bytes: Buffer, filename: string, role: LayerRole, declaredDatum?: Datum): Promise<ParsedLayerFile> {
  if (bytes.length === 0) throw new AppError('file_empty', '文件是空的');
  const format = detectFormat(bytes, filename);
  if (format === 'geojson') return { format, ...parseGeoJson(decodeText(bytes), role, declaredDatum) };
  if (format === 'csv') return { format, ...parseTable(csvRows(decodeText(bytes)), role) };
  return { format, ...parseTable(await xlsxRows(bytes), role) };
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Excel's "CSV" on a Chinese Windows is GB18030/GBK.
    return new TextDecoder('gb18030').decode(bytes);
  }
}

class Problems {
  readonly list: LayerImportProblem[] = [];
  add(row: number, column: string, message: string): void {
    this.list.push({ row, column, message });
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    return Number(s);
  }
  return null;
}

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Checks one row's values and returns the row, or null when it has a problem (recorded). */
function checkRow(
  row: number,
  values: Partial<Record<Field, unknown>>,
  columns: Partial<Record<Field, string>>,
  role: LayerRole,
  problems: Problems,
): LayerFileRow | null {
  const before = problems.list.length;
  const lng = toNumber(values.lng);
  const lat = toNumber(values.lat);
  const lngCol = columns.lng ?? 'lng';
  const latCol = columns.lat ?? 'lat';
  if (isBlank(values.lng)) problems.add(row, lngCol, '缺少经度');
  else if (lng === null || !Number.isFinite(lng)) problems.add(row, lngCol, `经度不是数字：${String(values.lng).slice(0, 40)}`);
  else if (Math.abs(lng) > 180) problems.add(row, lngCol, `经度超出 −180～180：${lng}`);
  if (isBlank(values.lat)) problems.add(row, latCol, '缺少纬度');
  else if (lat === null || !Number.isFinite(lat)) problems.add(row, latCol, `纬度不是数字：${String(values.lat).slice(0, 40)}`);
  else if (Math.abs(lat) > 90) problems.add(row, latCol, `纬度超出 −90～90：${lat}`);
  // A swapped pair in China: "latitude" 73–136 and "longitude" 3–54.
  if (lng !== null && lat !== null && Math.abs(lat) <= 90 && lng >= 3 && lng <= 54 && lat >= 73 && lat <= 136) {
    problems.add(row, lngCol, '经度与纬度似乎填反了');
  }
  let weight: number | null = null;
  if (columns.weight) {
    const w = toNumber(values.weight);
    if (isBlank(values.weight)) {
      if (role === 'demand') problems.add(row, columns.weight, '缺少人口数');
    } else if (w === null || !Number.isFinite(w) || w < 0)
      problems.add(row, columns.weight, `人口数应为不小于 0 的数字：${String(values.weight).slice(0, 40)}`);
    else weight = w;
  }
  let roadClass: RoadClass | null = null;
  if (columns.roadClass && !isBlank(values.roadClass)) {
    const word = String(values.roadClass).trim();
    roadClass = ROAD_CLASS_WORDS[word] ?? ROAD_CLASS_WORDS[word.toLowerCase()] ?? null;
    if (!roadClass)
      problems.add(
        row,
        columns.roadClass,
        `道路等级应为 主要街道 / 一般道路 / 沿河公园（或 main_street / ordinary_road / riverside_park）：${word.slice(0, 40)}`,
      );
  }
  if (problems.list.length > before) return null;
  const name = isBlank(values.name) ? null : String(values.name).trim().slice(0, 200);
  return { row, name, lng: lng!, lat: lat!, weight, roadClass };
}

function matchColumns(header: readonly unknown[]): Partial<Record<Field, { index: number; name: string }>> {
  const out: Partial<Record<Field, { index: number; name: string }>> = {};
  header.forEach((h, index) => {
    const name = String(h ?? '').trim();
    const key = name.toLowerCase();
    for (const field of Object.keys(ALIASES) as Field[]) {
      if (!out[field] && ALIASES[field].includes(key)) out[field] = { index, name };
    }
  });
  return out;
}

/** Rows of a table (header first): CSV or a sheet. Blank rows are skipped. */
function parseTable(
  table: { rows: unknown[][]; firstRow: number },
  role: LayerRole,
): { rows: LayerFileRow[]; problems: LayerImportProblem[] } {
  const problems = new Problems();
  const [header, ...data] = table.rows;
  if (!header) throw new AppError('unprocessable', '文件中没有表头：第一行应为列名（lng、lat 或 经度、纬度）');
  const cols = matchColumns(header);
  if (!cols.lng || !cols.lat) {
    if (!cols.lng) problems.add(table.firstRow, 'lng', '表头缺少经度列（lng 或 经度）');
    if (!cols.lat) problems.add(table.firstRow, 'lat', '表头缺少纬度列（lat 或 纬度）');
    return { rows: [], problems: problems.list };
  }
  if (role === 'demand' && !cols.weight) problems.add(table.firstRow, 'population', '需求图层的表头缺少人口列（population 或 人口）');
  if (data.length > MAX_LAYER_FEATURES) throw new AppError('too_many_rows', `图层超过 ${MAX_LAYER_FEATURES} 个点`);
  const names = Object.fromEntries(Object.entries(cols).map(([f, c]) => [f, c.name])) as Partial<Record<Field, string>>;
  const rows: LayerFileRow[] = [];
  data.forEach((cells, k) => {
    if (cells.every(isBlank)) return;
    const values = Object.fromEntries(Object.entries(cols).map(([f, c]) => [f, cells[c.index]])) as Partial<Record<Field, unknown>>;
    const row = checkRow(table.firstRow + 1 + k, values, names, role, problems);
    if (row) rows.push(row);
  });
  return { rows, problems: problems.list };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); a leading BOM is dropped. */
export function csvRows(text: string): { rows: string[][]; firstRow: number } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      if (rows.length > MAX_LAYER_FEATURES + 1) throw new AppError('too_many_rows', `图层超过 ${MAX_LAYER_FEATURES} 个点`);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { rows, firstRow: 1 };
}

function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    if (value instanceof Date) return value.toISOString();
    if ('result' in value) return (value as { result?: unknown }).result ?? null;
    if ('richText' in value) return (value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
    if ('text' in value) return String((value as { text: unknown }).text);
    return null;
  }
  return value;
}

/** The first sheet's rows, after the bounded-unzip guard (bombs, too many rows, not a zip). */
async function xlsxRows(bytes: Buffer): Promise<{ rows: unknown[][]; firstRow: number }> {
  await assertSaneXlsx(bytes, {
    maxRows: MAX_LAYER_FEATURES,
    headerRows: 1,
    cellsPerRow: XLSX_LIMITS.cellsPerRow,
    totalBytes: XLSX_LIMITS.totalBytes,
    entryBytes: XLSX_LIMITS.entryBytes,
    entries: XLSX_LIMITS.entries,
  });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError('not_xlsx', '工作簿无法按 .xlsx 读取：请用 Excel 另存为 .xlsx 后重新上传');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new AppError('unprocessable', '工作簿中没有工作表');
  const rows: unknown[][] = [];
  const width = Math.min(sheet.columnCount, 50);
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: unknown[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
    rows.push(cells);
  }
  return { rows, firstRow: 1 };
}

function property(props: Record<string, unknown>, field: Field): { name: string; value: unknown } | undefined {
  for (const [k, v] of Object.entries(props)) if (ALIASES[field].includes(k.trim().toLowerCase())) return { name: k, value: v };
  return undefined;
}

/** A FeatureCollection of Point features; properties name / population / roadClass (or their Chinese names). */
function parseGeoJson(text: string, role: LayerRole, declaredDatum?: Datum): { rows: LayerFileRow[]; problems: LayerImportProblem[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('unprocessable', `GeoJSON 无法解析：${String((err as Error).message).slice(0, 120)}`);
  }
  const features = (doc as { type?: unknown; features?: unknown })?.features;
  if ((doc as { type?: unknown })?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new AppError('unprocessable', 'GeoJSON 应为 FeatureCollection（含 features 数组）');
  }
  if (features.length > MAX_LAYER_FEATURES) throw new AppError('too_many_rows', `图层超过 ${MAX_LAYER_FEATURES} 个点`);
  const problems = new Problems();
  // A file that names its datum (as the shipped synthetic layers do) must agree with the declaration:
  // converting WGS-84 as if it were GCJ-02 moves every point 300–700 m, more than most radii.
  const named = (doc as { datum?: unknown }).datum;
  if (declaredDatum && typeof named === 'string' && (DATUMS as readonly string[]).includes(named) && named !== declaredDatum) {
    problems.add(1, 'datum', `文件声明的坐标系为 ${named}，与导入时选择的 ${declaredDatum} 不一致`);
  }
  const rows: LayerFileRow[] = [];
  features.forEach((f: unknown, k) => {
    const n = k + 1;
    const feature = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: unknown } | null;
    if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') {
      problems.add(n, 'type', '不是 GeoJSON Feature');
      return;
    }
    const g = feature.geometry;
    if (g?.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) {
      problems.add(n, 'geometry', `几何应为 Point（[经度, 纬度]），实为 ${String(g?.type ?? '空').slice(0, 30)}`);
      return;
    }
    const props =
      feature.properties && typeof feature.properties === 'object' && !Array.isArray(feature.properties)
        ? (feature.properties as Record<string, unknown>)
        : {};
    const name = property(props, 'name');
    const weight = property(props, 'weight');
    const roadClass = property(props, 'roadClass');
    const columns: Partial<Record<Field, string>> = { lng: 'geometry.coordinates[0]', lat: 'geometry.coordinates[1]' };
    if (weight || role === 'demand') columns.weight = weight ? `properties.${weight.name}` : 'properties.population';
    if (roadClass) columns.roadClass = `properties.${roadClass.name}`;
    const coords = g.coordinates as unknown[];
    const row = checkRow(
      n,
      { lng: coords[0], lat: coords[1], name: name?.value, weight: weight?.value, roadClass: roadClass?.value },
      columns,
      role,
      problems,
    );
    if (row) rows.push(row);
  });
  return { rows, problems: problems.list };
}

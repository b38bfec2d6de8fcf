/**
 * Excel in and out of the project library: the filtered library and the funding balance as
 * workbooks, the import template, and the import itself — bounded before exceljs reads it
 * (core/bounded-unzip), checked row by row with a row/column/problem report, and saved all or
 * nothing (every row passes, or none is written), as the report upload does.
 */
import { type ProjectImportResult, ProjectFields, type ProjectListQuery } from '../../../shared/schemas/project.schema.ts';
import { LIMITS } from '../../../shared/limits.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { assertSaneXlsx, type XlsxLimits } from '../../core/xlsx-guard.rule.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Boundary } from './project-boundary.rule.ts';
import { fundingBalance } from './project-figures.service.ts';
import {
  BASE_COLUMNS,
  buildBalanceWorkbook,
  buildImportTemplate,
  buildLibraryWorkbook,
  HEADER_ROW,
  NATURE_LABEL,
  parseWan,
  readImportSheet,
  sourceColumn,
} from './project-workbook.ts';
import { checkFields, createProject, getLists, listProjects } from './projects.service.ts';

/** Import bounds, checked while inflating, before exceljs builds anything. */
export const IMPORT_LIMITS = {
  maxRows: 2_000,
  cellsPerRow: 40,
  entries: 200,
  uncompressedBytes: LIMITS.zipInflatedBytes,
  fileBytes: 10 * 1024 * 1024,
} as const;

/** The filtered library the caller may see, as a workbook (at most 20,000 rows). */
export async function exportLibrary(
  db: DbOrTrx,
  actor: Actor,
  filter: Omit<ProjectListQuery, 'limit' | 'offset'>,
): Promise<{ buffer: Buffer; filename: string }> {
  const items = [];
  for (let offset = 0; offset < 20_000; offset += 500) {
    const page = await listProjects(db, actor, { ...filter, limit: 500, offset });
    items.push(...page.items);
    if (offset + 500 >= page.total) break;
  }
  const lists = await getLists(db);
  const buffer = await buildLibraryWorkbook(filter.planYear ? `${filter.planYear}年度项目库` : '项目库', items, lists.fundingSources);
  return { buffer, filename: `${filter.planYear ? `${filter.planYear}年度` : ''}项目库.xlsx` };
}

/** The funding balance of a plan year as the office's workbook. */
export async function exportBalance(
  db: DbOrTrx,
  actor: Actor,
  planYear: number,
  orgId?: string,
): Promise<{ buffer: Buffer; filename: string }> {
  const [balance, lists] = await Promise.all([fundingBalance(db, actor, planYear, orgId), getLists(db)]);
  return {
    buffer: await buildBalanceWorkbook(balance, lists.fundingSources, lists.categories),
    filename: `${planYear}年度资金综合平衡方案.xlsx`,
  };
}

/** The empty import template with the office's current funding sources as columns. */
export async function importTemplate(db: DbOrTrx): Promise<{ buffer: Buffer; filename: string }> {
  return { buffer: await buildImportTemplate((await getLists(db)).fundingSources), filename: '项目库导入模板.xlsx' };
}

/** The import template's limits for the shared xlsx guard (core/xlsx-guard.rule.ts). */
const PROJECT_XLSX_LIMITS: XlsxLimits = {
  maxRows: IMPORT_LIMITS.maxRows,
  headerRows: HEADER_ROW,
  cellsPerRow: IMPORT_LIMITS.cellsPerRow,
  totalBytes: IMPORT_LIMITS.uncompressedBytes,
  entryBytes: LIMITS.zipEntryBytes,
  entries: IMPORT_LIMITS.entries,
  tooManyRowsHint: '：请分批导入',
};

const NATURE_BY_LABEL = new Map<string, string>(Object.entries(NATURE_LABEL).map(([k, v]) => [v, k]));
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

/** Projects are imported by a unit (for its own organisation) or the office: refused before the upload is read. */
export function assertCanImport(actor: Actor): void {
  if (actor.role !== 'unit' && actor.role !== 'admin') throw new AppError('forbidden', '只有县区和部门填报员或市百城办可以导入项目');
}

/**
 * Checks every row of an uploaded project sheet and, unless `dryRun` or any row has a problem,
 * creates every row as a draft of the caller's organisation in one transaction.
 */
export async function importProjects(
  db: DbOrTrx,
  actor: Actor,
  bytes: Buffer,
  dryRun: boolean,
  boundary: Boundary,
): Promise<ProjectImportResult> {
  assertCanImport(actor);
  await assertSaneXlsx(bytes, PROJECT_XLSX_LIMITS);
  let sheet: Awaited<ReturnType<typeof readImportSheet>>;
  try {
    sheet = await readImportSheet(bytes);
  } catch {
    throw new AppError('not_xlsx', '工作簿无法按 .xlsx 读取：请用 Excel 另存为 .xlsx 后重新上传');
  }
  if (!sheet) throw new AppError('unprocessable', '找不到表头（第一列为“项目名称”的行）：请使用项目库导入模板');
  const lists = await getLists(db);
  const missing = BASE_COLUMNS.filter((c) => c !== '坐标系' && !sheet.header.includes(c));
  if (missing.length > 0) throw new AppError('unprocessable', `缺少列：${missing.join('、')}`);
  const problems: ProjectImportResult['problems'] = [];
  if (sheet.formulas.length > 0)
    problems.push({ row: 0, column: '', message: `不接受公式，请直接填写数值：${sheet.formulas.slice(0, 20).join('、')}` });
  const categoryByName = new Map(lists.categories.flatMap((c) => [[c.name, c.code] as const, [c.code, c.code] as const]));
  const bodies: ProjectFields[] = [];
  for (const { row, cells } of sheet.rows) {
    const rowProblems: ProjectImportResult['problems'] = [];
    const put = (column: string, message: string) => rowProblems.push({ row, column, message });
    const money = (column: string) => {
      const v = parseWan(cells.get(column));
      if (typeof v === 'string') {
        put(column, v);
        return 0;
      }
      return v;
    };
    const category = text(cells.get('项目类别'));
    const nature = NATURE_BY_LABEL.get(text(cells.get('建设性质')));
    if (!nature) put('建设性质', `建设性质应为新建、改扩建或续建，而不是“${text(cells.get('建设性质')).slice(0, 20)}”`);
    const funding = lists.fundingSources.flatMap((s) => {
      const column = sourceColumn(s.name);
      if (!sheet.header.includes(column) || text(cells.get(column)) === '') return [];
      return [{ sourceCode: s.code, planned: money(column), arrived: 0 }];
    });
    if (funding.length === 0) put('资金来源', '至少填写一个资金来源的金额');
    const candidate = {
      name: text(cells.get('项目名称')),
      categoryCode: categoryByName.get(category) ?? (category || '-'),
      ownerName: text(cells.get('建设单位')),
      location: { lng: Number(cells.get('经度')), lat: Number(cells.get('纬度')), datum: text(cells.get('坐标系')) || 'GCJ02' },
      address: text(cells.get('建设地点')),
      nature: nature ?? 'new',
      scale: text(cells.get('建设规模及内容')),
      startDate: text(cells.get('计划开工日期')),
      endDate: text(cells.get('计划完工日期')),
      totalInvestment: money('总投资（万元）'),
      planYear: Number(text(cells.get('计划年度'))),
      annualPlan: money('年度计划投资（万元）'),
      funding,
    };
    const parsed = ProjectFields.safeParse(candidate);
    if (!parsed.success) {
      const columnOf: Record<string, string> = {
        name: '项目名称',
        categoryCode: '项目类别',
        location: '经度',
        startDate: '计划开工日期',
        endDate: '计划完工日期',
        planYear: '计划年度',
        totalInvestment: '总投资（万元）',
        annualPlan: '年度计划投资（万元）',
      };
      for (const issue of parsed.error.issues) put(columnOf[String(issue.path[0])] ?? String(issue.path[0]), issue.message);
    } else if (rowProblems.length === 0) {
      const errors = await checkFields(db, parsed.data, boundary, actor);
      const columnOf = (path: string) =>
        path.startsWith('categoryCode')
          ? '项目类别'
          : path.startsWith('funding')
            ? '资金来源'
            : path === 'endDate'
              ? '计划完工日期'
              : path === 'location'
                ? '经度'
                : path === 'annualPlan'
                  ? '年度计划投资（万元）'
                  : '总投资（万元）';
      for (const e of errors) put(columnOf(e.path), e.message);
      if (errors.length === 0) bodies.push(parsed.data);
    }
    problems.push(...rowProblems);
  }
  if (sheet.rows.length === 0) problems.push({ row: 0, column: '', message: '表中没有项目行' });
  const result = { dryRun, rows: sheet.rows.length, created: 0, problems };
  if (dryRun || problems.length > 0) return result;
  await writeTx(db, async (trx) => {
    for (const body of bodies) await createProject(trx, actor, body, boundary);
  });
  return { ...result, created: bodies.length };
}

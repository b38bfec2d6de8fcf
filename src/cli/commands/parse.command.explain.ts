/**
 * `luoshi parse FILE --explain N|FRAGMENT`: for one task clause, plain Chinese-first lines saying
 * which rule read each unit, deadline and target, so an official or an engineer can see why a row of
 * the 任务分解表 came out as it did. Reads the `why` ids that parsePlan records with `explain: true`.
 */
import type { Deadline, PlanExtract, Section, Target, Task, UnitRef } from '../../plan-parser/plan-extract.types.ts';

/** The task a selector names: a 1-based task number, or the first task whose text holds the fragment. */
export function findExplainedTask(extract: PlanExtract, selector: string): { task: Task; index: number } | null {
  if (/^\d{1,6}$/.test(selector)) {
    const index = Number(selector) - 1;
    return index >= 0 && index < extract.tasks.length ? { task: extract.tasks[index], index } : null;
  }
  const index = extract.tasks.findIndex((t) => t.text.includes(selector));
  return index >= 0 ? { task: extract.tasks[index], index } : null;
}

const ROLE_LABEL = { lead: '牵头', responsible: '负责', cooperating: '配合' } as const;
const CMP_LABEL = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '=': '=' } as const;

/** One rule id ("role.verb:牵头") in words. */
export function describeRule(id: string): string {
  const at = id.indexOf(':');
  const rule = at >= 0 ? id.slice(0, at) : id;
  const arg = at >= 0 ? id.slice(at + 1) : '';
  switch (rule) {
    case 'role.label':
      return `标注“${arg}：”之后 (labelled)`;
    case 'role.verb':
      return `名单后写“${arg}” (inline ${arg})`;
    case 'role.default':
      return '未写职责词，按所在位置取默认角色 (default role)';
    case 'role.mark':
      return '名称后注“（牵头）” (marked lead)';
    case 'role.table':
      return `表格“${arg}”列 (table column)`;
    case 'role.first-leads':
      return '本条注明“列第一位者为牵头单位” (first listed leads)';
    case 'role.first-leads-onward':
      return '前文“列第一位者为牵头单位，下同”延续至此 (carried over by 下同)';
    case 'role.carried':
      return '括号内注明各项任务均涉及该单位 (carry note)';
    case 'role.carried-onward':
      return '前文“…不再做分工，下同”延续至此 (carried over by 下同)';
    case 'role.carried-note':
      return '前文“以下…均需…落实，不再列出”延续至此 (carried over)';
    case 'name.etc':
      return `去掉名单后的“${arg}”`;
    case 'name.prefix':
      return `补上名单开头共用的级别“${arg}”`;
    case 'name.suffix':
      return `补上名单末尾共用的“${arg}”`;
    case 'name.qualifier':
      return `补上共用的限定词“${arg}”`;
    case 'date.ymd':
      return arg ? `年月日写全，“${arg}”取该月${arg === '上旬' ? '10日' : arg === '中旬' ? '20日' : '最后一天'}` : '年月(日)写全';
    case 'date.ym-typo':
      return '“2018年11底”缺“月”字，按月底';
    case 'date.year-part':
      return `“年份+${arg}”：取${arg.includes('上半年') ? '6月30日' : arg.includes('季度') ? '该季度最后一天' : '当年12月31日'}`;
    case 'date.year':
      return arg.startsWith('marker')
        ? `只写年份，前有“${arg.slice(7)}”：到当年年底`
        : arg === 'verb'
          ? '只写年份，后接完成类动词（完成/建成/达到…）：到当年年底'
          : '只写年份，开启一个目标句（“2020年，…”）：到当年年底';
    case 'date.month':
      return arg ? `只写月份加“${arg}”，年份取上下文` : '只写月份，年份取上下文';
    case 'date.part':
      return `“${arg}”，年份取上下文`;
    case 'date.tail':
      return `后接“${arg}”`;
    case 'date.label':
      return '写在“完成时限：”之后';
    case 'date.year-from':
      return `年份取自前面最近写明的 ${arg} 年`;
    case 'date.year-from-plan':
      return `年份取自方案年度 ${arg}`;
    case 'unit':
      return `单位“${arg}”`;
    case 'cmp.after':
      return `比较词“${arg}”在数字后`;
    case 'cmp.before':
      return `比较词“${arg}”在数字前`;
    case 'cmp.list':
      return `同一“、”列表共用${arg === 'after' ? '末尾' : '开头'}的比较词`;
    case 'cmp.none':
      return '未写比较词，按“=”';
    case 'juris.local':
      return '数字前紧挨着的地名（如“其中X区9公里”）';
    case 'juris.subject':
      return '本句开头的主语';
    case 'juris.subject-carried':
      return '同一句前面分句的主语';
    case 'juris.pair':
      return '“分别”：与主语名单按顺序一一对应';
    case 'juris.each':
      return '“分别”：主语名单中每一处各一条';
    case 'juris.label':
      return '计数名单（如“郑州、洛阳、开封三市”）整体作为标签';
    case 'juris.none':
      return '文中未写对象';
    case 'metric.own':
      return '取数字前后的名词';
    case 'metric.carried':
      return '沿用本句上一个数字的指标';
    case 'metric.change':
      return '“提高/下降…”沿用上一个指标';
    case 'metric.pending':
      return '只列了例子，由本句后面的数字补出指标';
    default:
      return id;
  }
}

const because = (why: string[] | undefined) => (why?.length ? ` ← ${why.map(describeRule).join('；')}  [${why.join(', ')}]` : '');

function sectionTitle(sections: Section[], path: string[]): string | null {
  let list = sections;
  let found: Section | null = null;
  for (let depth = 0; depth < path.length; depth++) {
    found = list.find((s) => s.path[depth] === path[depth] && s.path.length === depth + 1) ?? null;
    if (!found) return null;
    list = found.children;
  }
  return found?.title ?? null;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

function unitLine(role: keyof typeof ROLE_LABEL, u: UnitRef): string {
  const written = u.mention !== u.name ? `（原文“${u.mention}”）` : '';
  return `  ${ROLE_LABEL[role]}  ${u.name}${written}${because(u.why)}`;
}

function deadlineLine(d: Deadline): string {
  return `  ${d.date}  “${d.text}”${because(d.why)}`;
}

function targetLine(t: Target): string {
  const value = t.max !== undefined ? `${t.value}–${t.max}` : String(t.value);
  const juris = t.jurisdictions.length ? t.jurisdictions.join('、') : '（无）';
  return `  ${CMP_LABEL[t.comparator]} ${value} ${t.unit}  指标：${t.metric || '（无）'}  对象：${juris}  “${t.text}”${because(t.why)}`;
}

/**
 * A clause never spans a line break of its own: when it does, the parser read a page whose line
 * breaks were soft (a PDF flattening or an OCR) and re-joined them before reading it.
 */
function layoutLines(clause: string): string[] {
  const breaks = clause.split('\n').length - 1;
  if (breaks === 0) return [];
  return [`版式 (layout)：条文跨 ${breaks} 个换行；按页宽换行的文本（PDF 转文字或 OCR）已先接成段落再读 (soft line breaks re-joined)`];
}

/** The explanation of task `index` of `extract` (parsed with explain: true), one line per item. */
export function formatTaskExplanation(extract: PlanExtract, index: number): string {
  const task = extract.tasks[index];
  const path = task.sectionPath.join('/') || '（无）';
  const title = sectionTitle(extract.sections, task.sectionPath);
  const a = task.assignment;
  const lines = [
    `任务 ${index + 1} / ${extract.tasks.length}（task）`,
    `所在章节 (section)：${path}${title ? ` ${title}` : ''}`,
    `条文 (clause) [${task.span[0]}, ${task.span[1]})：${clip(task.text, 160)}`,
    ...layoutLines(task.text),
    `分工 (assignment) [${a.span[0]}, ${a.span[1]})：${clip(extract.tasks[index].text.slice(a.span[0] - task.span[0]), 120)}`,
    `责任单位 (units)：${a.lead.length + a.responsible.length + a.cooperating.length} 个`,
    ...a.lead.map((u) => unitLine('lead', u)),
    ...a.responsible.map((u) => unitLine('responsible', u)),
    ...a.cooperating.map((u) => unitLine('cooperating', u)),
    `完成期限 (deadlines)：${task.deadlines.length ? `${task.deadlines.length} 个，日期为所指的最后一天` : '无'}`,
    ...task.deadlines.map(deadlineLine),
    `量化目标 (targets)：${task.targets.length ? `${task.targets.length} 个` : '无'}`,
    ...task.targets.map(targetLine),
  ];
  return `${lines.join('\n')}\n`;
}

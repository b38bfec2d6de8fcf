/**
 * The 任务分解表 as markdown: the plan's outline as headings, each task under its section with its
 * units per role, deadlines and targets. For review in a terminal, a pull request or a chat message.
 */
import type { PlanExtract, Section, Task } from '../../plan-parser/plan-extract.types.ts';
import {
  formatDeadlines,
  formatSectionHeading,
  formatTarget,
  formatTaskText,
  formatUnits,
  pathKey,
  ROLE_LABELS,
  resolvePlanTitle,
} from './task-breakdown.format.ts';

// Sections deeper than this are rendered as bold lines: markdown stops at six heading levels.
const MAX_HEADING_LEVEL = 6;

/**
 * Renders a plan extraction as a readable markdown task breakdown. Tasks are numbered in document
 * order, the same 序号 as the xlsx, so the two can be read side by side.
 */
export function formatTaskBreakdownMarkdown(extract: PlanExtract): string {
  const tasksBySection = new Map<string, { task: Task; number: number }[]>();
  extract.tasks.forEach((task, index) => {
    const key = pathKey(task.sectionPath);
    const list = tasksBySection.get(key) ?? [];
    list.push({ task, number: index + 1 });
    tasksBySection.set(key, list);
  });

  const out: string[] = [`# ${escapeMarkdown(resolvePlanTitle(extract))} 任务分解表`, ''];
  const facts = [
    extract.issuer ? `发文单位：${escapeMarkdown(extract.issuer)}` : null,
    extract.year !== null ? `年度：${extract.year}` : null,
    `任务：${extract.tasks.length} 项`,
  ].filter((fact): fact is string => fact !== null);
  out.push(facts.join(' · '), '');

  const renderSection = (section: Section, depth: number): void => {
    const heading = escapeMarkdown(formatSectionHeading(section));
    const level = depth + 1;
    out.push(level <= MAX_HEADING_LEVEL ? `${'#'.repeat(level)} ${heading}` : `**${heading}**`, '');
    // Section-level goals are plan commitments too, though no unit is named for them.
    const loose = [
      ...formatDeadlines(section.deadlines).map((d) => `- 时限：${d}`),
      ...section.targets.map((t) => `- 指标：${escapeMarkdown(formatTarget(t))}`),
    ];
    if (loose.length > 0) out.push(...loose, '');
    for (const { task, number } of tasksBySection.get(pathKey(section.path)) ?? []) renderTask(out, task, number);
    tasksBySection.delete(pathKey(section.path));
    for (const child of section.children) renderSection(child, depth + 1);
  };
  for (const section of extract.sections) renderSection(section, 1);

  // A task whose section the outline lacks must still be listed, or the breakdown silently loses work.
  const orphans = [...tasksBySection.values()].flat().sort((a, b) => a.number - b.number);
  if (orphans.length > 0) {
    out.push('## 未归入章节的任务', '');
    for (const { task, number } of orphans) renderTask(out, task, number);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function renderTask(out: string[], task: Task, number: number): void {
  out.push(`**任务 ${number}**`, '');
  for (const line of formatTaskText(task).split(/\r?\n/)) out.push(`> ${escapeMarkdown(line)}`);
  out.push('');
  for (const [role, label] of ROLE_LABELS) {
    const units = task.assignment[role];
    if (units.length > 0) out.push(`- ${label}：${escapeMarkdown(formatUnits(units))}`);
  }
  const deadlines = formatDeadlines(task.deadlines);
  if (deadlines.length > 0) out.push(`- 完成时限：${deadlines.join('；')}`);
  if (task.targets.length > 0) {
    out.push('- 量化指标：');
    for (const target of task.targets) out.push(`  - ${escapeMarkdown(formatTarget(target))}`);
  }
  out.push('');
}

// Plan text quotes titles as <…> and may contain * or _; unescaped they would become HTML or emphasis.
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}

import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse-plan.ts';
import { joinSoftWraps, unmapSpan } from './soft-wrap.joiner.ts';

// A made-up plan printed at a page width of 20 characters, as pdftotext or an OCR returns it.
const WRAPPED = [
  '关于推进道路建设的实施方案',
  '一、主要任务',
  '1.改善城市道路。到 2020 年，全市新建道路',
  '不少于 30 公里，打通断头路 5 条。（牵头单',
  '位：市住建局，配合单位：市交通局、市城管局',
  '）',
  '2.加快公厕建设。新建公厕不少于 12 座，改造',
  '公厕 20 座，提升管理水平和服务质量。（牵头',
  '单位：市城管局，配合单位：各区政府）',
  '\f3.完善排水设施。消除易涝点 8 处，改造雨污',
  '合流管网 15 公里，建设海绵城市示范区。（牵',
  '头单位：市水利局）',
].join('\n');

describe('joinSoftWraps', () => {
  it('joins the lines of a printed page and drops the spaces around Latin digits', () => {
    const joined = joinSoftWraps(WRAPPED);
    expect(joined).not.toBeNull();
    const lines = joined?.text.split('\n') ?? [];
    expect(lines[2]).toBe(
      '1.改善城市道路。到2020年，全市新建道路不少于30公里，打通断头路5条。（牵头单位：市住建局，配合单位：市交通局、市城管局）',
    );
    // A heading line is never run into the line before it; a form feed opens a page, not a paragraph.
    expect(lines.filter((l) => /^\f?\d\./.test(l))).toHaveLength(3);
  });

  it('leaves a text written one paragraph per line unchanged', () => {
    const typed = [
      '一、主要任务',
      '1.改善城市道路。到2020年，全市新建道路不少于30公里，打通断头路5条。（牵头单位：市住建局）',
      '2.加快公厕建设。（牵头单位：市城管局）',
    ].join('\n');
    expect(joinSoftWraps(typed)).toBeNull();
    expect(joinSoftWraps('一行没有换行的文字')).toBeNull();
  });

  it('joins a bracket broken by a blank line, as an OCR prints it', () => {
    // Lines cut at 24 characters, as tesseract returns a page; it left a blank line inside a bracket.
    const paragraphs = [
      '1.推进科技金融结合。完善科技金融服务平台，推动科技创新链条与金融创新链条的融合，扩大专利权质押贷款规模。(牵头单位; 市科技和信息化局，配合单位: 市金融办、市经贸委、市知识产权局)',
      '2.支持知识产权运用。建立知识产权质押融资风险补偿机制，完善专利保险补贴政策和服务体系，培育知识产权服务机构。(牵头单位: 市知识产权局，配合单位: 市财政局)',
    ];
    const lines = ['标题'];
    for (const p of paragraphs) for (let i = 0; i < p.length; i += 24) lines.push(p.slice(i, i + 24));
    const k = lines.findIndex((l) => l.includes('市金融办'));
    lines.splice(k + 1, 0, '');
    const plan = parsePlan(lines.join('\n'));
    expect(plan.tasks.map((t) => t.assignment.lead.map((u) => u.name))).toEqual([['市科技和信息化局'], ['市知识产权局']]);
    expect(plan.tasks[0].assignment.cooperating.map((u) => u.name)).toEqual(['市金融办', '市经贸委', '市知识产权局']);
  });

  it('maps spans back to the original offsets', () => {
    const joined = joinSoftWraps(WRAPPED);
    if (!joined) throw new Error('not joined');
    const i = joined.text.indexOf('市交通局');
    const [a, b] = unmapSpan([i, i + 4], joined.map);
    expect(WRAPPED.slice(a, b)).toBe('市交通局');
    // A span across a joined break covers the break in the original.
    const k = joined.text.indexOf('（牵头单位');
    const [c, d] = unmapSpan([k, k + 5], joined.map);
    expect(WRAPPED.slice(c, d)).toBe('（牵头单\n位');
  });
});

describe('parsePlan on a wrapped page', () => {
  it('reads every task, its units, deadline and targets, with spans on the text as given', () => {
    const plan = parsePlan(WRAPPED);
    expect(plan.sections[0].children.map((s) => s.path.join('/'))).toEqual(['一/1', '一/2', '一/3']);
    expect(plan.tasks.map((t) => t.assignment.lead.map((u) => u.name))).toEqual([['市住建局'], ['市城管局'], ['市水利局']]);
    expect(plan.tasks[0].assignment.cooperating.map((u) => u.name)).toEqual(['市交通局', '市城管局']);
    expect(plan.tasks[0].deadlines.map((d) => d.date)).toEqual(['2020-12-31']);
    expect(plan.tasks[0].targets.map((t) => [t.value, t.unit, t.comparator])).toEqual([
      [30, '公里', '>='],
      [5, '条', '='],
    ]);
    for (const t of plan.tasks) {
      expect(WRAPPED.slice(t.assignment.span[0], t.assignment.span[1])).toMatch(/^（[\s\S]*）$/);
      expect(WRAPPED.slice(t.span[0], t.span[1])).toBe(t.text);
    }
    const target = plan.tasks[1].targets[0];
    expect(WRAPPED.slice(target.span[0], target.span[1])).toBe(target.text);
  });
});

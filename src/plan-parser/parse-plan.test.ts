import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from './index.ts';
import type { PlanExtract, Task } from './plan-extract.types.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const roleNames = (t: Task) => ({
  lead: t.assignment.lead.map((u) => u.name),
  responsible: t.assignment.responsible.map((u) => u.name),
  cooperating: t.assignment.cooperating.map((u) => u.name),
});
const flatPaths = (e: PlanExtract) => {
  const out: string[] = [];
  const walk = (list: PlanExtract['sections']) => {
    for (const s of list) {
      out.push(s.path.join('/'));
      walk(s.children);
    }
  };
  walk(e.sections);
  return out;
};

describe('parsePlan: national ministry style (full-width, inline roles, 列第一位者为牵头单位，下同)', () => {
  const text = fixture('national-ministry.txt');
  const e = parsePlan(text);

  it('reads the header', () => {
    expect({ title: e.title, issuer: e.issuer, year: e.year }).toEqual({
      title: '城镇老旧小区改造工作方案',
      issuer: '国务院办公厅',
      year: 2020,
    });
  });

  it('reads the outline, dropping the carry note from the heading', () => {
    expect(flatPaths(e)).toEqual(['一', '一/（一）', '二', '二/（一）', '二/（二）', '二/（三）', '二/（四）', '三', '三/1', '三/2']);
    expect(e.sections[1].title).toBe('重点任务');
    expect(e.sections[2].children[1].title).toBe('做好宣传引导');
  });

  it('applies 列第一位者为牵头单位 here and later, and carries 以下…均需X落实 to later clauses', () => {
    expect(e.tasks.map(roleNames)).toEqual([
      { lead: ['住房城乡建设部'], responsible: ['国家发展改革委', '财政部', '各省级人民政府'], cooperating: [] },
      { lead: ['国家发展改革委'], responsible: ['各省级人民政府'], cooperating: ['财政部', '住房城乡建设部'] },
      { lead: ['财政部'], responsible: ['国家发展改革委', '各省级人民政府'], cooperating: [] },
      { lead: ['各省级人民政府'], responsible: [], cooperating: [] },
      { lead: ['住房城乡建设部'], responsible: ['各省级人民政府'], cooperating: ['各地区', '各有关部门'] },
      { lead: ['各地方政府'], responsible: ['各省级人民政府'], cooperating: ['中央宣传部', '住房城乡建设部'] },
    ]);
  });

  it('finds deadlines and skips validity periods and start dates', () => {
    expect(e.tasks.map((t) => t.deadlines.map((d) => d.date))).toEqual([
      ['2020-06-30'],
      ['2020-06-30', '2020-09-30'],
      [],
      ['2020-12-31'],
      [],
      [],
    ]);
  });

  it('finds targets with Chinese numerals and words-only comparators', () => {
    expect(e.tasks[0].targets.map((t) => [t.value, t.unit, t.comparator])).toEqual([
      [30, '%', '>='],
      [70, '%', '>='],
    ]);
    expect(e.tasks[2].targets.map((t) => [t.value, t.unit, t.comparator])).toEqual([[5000, '万元', '<=']]);
  });

  it('puts loose deadlines and targets on the section', () => {
    const goal = e.sections[0].children[0];
    expect(goal.deadlines.map((d) => d.date)).toEqual(['2020-12-31', '2022-12-31']);
    expect(goal.targets.map((t) => [t.value, t.unit])).toEqual([
      [3.9, '万个'],
      [700, '万户'],
    ]);
  });
});

describe('parsePlan: city plan with full-width punctuation and label lines', () => {
  const e = parsePlan(fixture('city-fullwidth.txt'));

  it('reads the header from the plan title', () => {
    expect(e.title).toBe('广州市2021年城市更新三年行动实施方案');
    expect(e.issuer).toBe('广州市人民政府办公厅');
    expect(e.year).toBe(2021);
  });

  it('reads label lines, inline forms and shared qualifiers', () => {
    expect(e.tasks.map(roleNames)).toEqual([
      { lead: ['市住房城乡建设局'], responsible: ['各区政府'], cooperating: ['市财政局', '市规划和自然资源局'] },
      { lead: ['市民政局'], responsible: [], cooperating: ['市卫生健康委', '市体育局'] },
      { lead: [], responsible: ['各区', '各县级市'], cooperating: ['团市委', '市文化广电旅游局'] },
      { lead: [], responsible: ['市文化广电旅游局', '市规划和自然资源局'], cooperating: [] },
      { lead: [], responsible: ['各市党委', '各市政府'], cooperating: [] },
      { lead: [], responsible: [], cooperating: ['广东省住房和城乡建设厅', '山东黄河河务局', '中国移动广州分公司'] },
    ]);
  });

  it('reads per-place targets and loose section targets', () => {
    expect(e.tasks[0].targets.map((t) => [t.value, t.comparator, t.jurisdictions])).toEqual([
      [90, '>=', ['各区']],
      [30, '>=', ['越秀区']],
      [30, '>=', ['荔湾区']],
    ]);
    expect(e.tasks[1].targets.map((t) => [t.value, t.max, t.unit])).toEqual([
      [1, 2, '万个'],
      [100, undefined, '%'],
      [15, undefined, '分钟'],
    ]);
    expect(e.sections[0].targets.map((t) => [t.value, t.comparator, t.jurisdictions])).toEqual([
      [779, '>=', ['全市']],
      [120, '=', ['越秀区']],
      [100, '=', ['海珠区']],
      [45, '>', []],
      [17, '>=', []],
    ]);
    expect(e.tasks[5].deadlines.map((d) => d.date)).toEqual(['2021-12-31']);
  });
});

describe('parsePlan: contract details', () => {
  it('removes a leading BOM and keeps offsets into the rest', () => {
    const e = parsePlan('\ufeff一、任务\n完成改造。(牵头单位:市住建局)');
    expect(e.sections[0].span[0]).toBe(0);
    expect(e.tasks[0].assignment.span).toEqual([10, 21]);
  });

  it('spans a task from the previous clause end (or section start) to its assignment', () => {
    const text = '一、任务\n甲完成。(责任单位:市甲局)乙完成。(责任单位:市乙局)\n二、措施\n丙。(责任单位:市丙局)';
    const e = parsePlan(text);
    expect(e.tasks.map((t) => t.text)).toEqual([
      '一、任务\n甲完成。(责任单位:市甲局)',
      '乙完成。(责任单位:市乙局)',
      '二、措施\n丙。(责任单位:市丙局)',
    ]);
    expect(e.tasks.map((t) => t.sectionPath)).toEqual([['一'], ['一'], ['二']]);
  });

  it('uses options.defaultYear when the document states none', () => {
    const e = parsePlan('一、任务\n12月底前完成。(责任单位:市甲局)', { defaultYear: 2024 });
    expect(e.year).toBe(2024);
    expect(e.tasks[0].deadlines.map((d) => d.date)).toEqual(['2024-12-31']);
  });
});

describe('parsePlan: provincial plan with a bare label line and a （牵头） mark', () => {
  const e = parsePlan(fixture('provincial-label-lines.txt'));

  it('reads the header', () => {
    expect([e.title, e.issuer, e.year]).toEqual(['河南省2019年城镇污水处理提质增效三年行动方案', '河南省人民政府办公厅', 2019]);
  });

  it('reads the roles', () => {
    expect(e.tasks.map(roleNames)).toEqual([
      { lead: ['省住房城乡建设厅'], responsible: ['省发展改革委', '省财政厅', '各省辖市政府', '各县（市）政府'], cooperating: [] },
      { lead: [], responsible: ['省住房城乡建设厅', '省生态环境厅'], cooperating: [] },
      { lead: ['省发展改革委'], responsible: [], cooperating: ['省财政厅', '省住房城乡建设厅'] },
    ]);
  });

  it('reads deadlines but not recurring dates, start dates or the period of validity', () => {
    expect(e.tasks.map((t) => t.deadlines.map((d) => d.date))).toEqual([
      ['2019-09-30', '2020-06-30', '2021-12-31'],
      ['2019-12-31'],
      ['2020-06-30'],
    ]);
    expect(e.sections[2].deadlines.map((d) => d.date)).toEqual(['2019-10-31']);
  });

  it('pairs 分别 lists and reads weak subjects before 达到', () => {
    expect(e.sections[0].targets.map((t) => [t.value, t.unit, t.comparator, t.jurisdictions])).toEqual([
      [70, '%', '>=', ['全省']],
      [60, '%', '>=', ['县城']],
      [200, '公里', '=', ['郑州市']],
      [150, '公里', '=', ['洛阳市']],
    ]);
  });
});

describe('parsePlan: full-width digits and OCR spacing', () => {
  it('reads ２０１８年６月底前 and 2018 年 12 月底前, keeping the text as written', () => {
    const e = parsePlan(
      '一、任务\n（一）改造。２０１８年６月底前完成７０％的改造，新建公厕１２座，2018 年 12 月底前全部完成。（牵头单位：市住建局）',
    );
    expect(e.tasks[0].deadlines.map((d) => [d.date, d.text])).toEqual([
      ['2018-06-30', '２０１８年６月底前'],
      ['2018-12-31', '2018 年 12 月底前'],
    ]);
    expect(e.tasks[0].targets.map((t) => [t.value, t.text])).toEqual([
      [70, '７０％'],
      [12, '１２座'],
    ]);
  });
});

describe('parsePlan: deadlines and carried units that belong to an assignment', () => {
  const text = [
    'XX市2018年城市管理实施方案',
    '一、重点任务',
    '（一）改造老旧管网。完成改造50公里。（责任单位：各县（市、区）人民政府；完成时限：2018年12月底）',
    '（二）建设公厕。新建公厕20座。',
    '责任单位：市城管局',
    '完成时限：2018年10月底前',
    '（三）整治市容。（市城管局负责，市公安局、市交通局配合）',
  ].join('\n');
  const e = parsePlan(text);

  it('gives a deadline inside the bracket, or on a 完成时限 line after it, to its task', () => {
    expect(e.tasks.map((t) => t.deadlines.map((d) => d.date))).toEqual([['2018-12-31'], ['2018-10-31'], []]);
    expect(e.tasks[2].text.startsWith('（三）')).toBe(true);
    expect(roleNames(e.tasks[2])).toEqual({ lead: [], responsible: ['市城管局'], cooperating: ['市公安局', '市交通局'] });
  });

  it('adds units of a "具体任务均涉及X，不再做分工，下同" note to this and every later clause', () => {
    const doc = parsePlan(
      '一、任务\n（一）甲。〔责任单位:省发展改革委按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕\n（二）乙。〔责任单位:省市场监管局〕',
    );
    expect(doc.tasks.map((t) => roleNames(t).responsible)).toEqual([
      ['省发展改革委', '相关市(州)人民政府'],
      ['省市场监管局', '相关市(州)人民政府'],
    ]);
  });
});

describe('parsePlan: task text', () => {
  it('starts a clause after the punctuation and blank lines that closed the previous one', () => {
    const e = parsePlan('一、任务\n（一）加强领导（市政府办公室牵头）。建立机制。（市发改委负责）\n\n    1. 增长8%。\n\n牵头单位:市统计局');
    expect(e.tasks.map((t) => t.text)).toEqual([
      '（一）加强领导（市政府办公室牵头）',
      '建立机制。（市发改委负责）',
      '1. 增长8%。\n\n牵头单位:市统计局',
    ]);
  });
});

describe('parsePlan: attachments and duties in running text (round two, class 8)', () => {
  const text = [
    '某市供水管网改造实施方案',
    '一、主要任务',
    '（一）改造管网。到2020年底前改造管网50公里。（市住建局牵头，市财政局配合）',
    '二、保障措施',
    '（一）加强领导。各县区要加强组织领导。',
    '附件1',
    '供水管网改造技术规范',
    '一、管道',
    '（一）埋深。管顶覆土不得小于0.7米，管径不小于100毫米。',
    '附件2',
    '重点任务清单',
    '1.改造老旧管网20公里。（市住建局负责）',
  ].join('\n');
  const e = parsePlan(text);

  it("keeps each attachment a root and its tasks under it, not under the body's last section", () => {
    expect(flatPaths(e)).toEqual(['一', '一/（一）', '二', '二/（一）', '附件1', '附件1/一', '附件1/一/（一）', '附件2', '附件2/1']);
    expect(e.tasks.map((t) => t.sectionPath.join('/'))).toEqual(['一/（一）', '附件2/1']);
  });

  it('reports the targets of a task list but not the limits of a specification', () => {
    const all = [...e.tasks.flatMap((t) => t.targets), ...collect(e.sections)];
    expect(all.map((t) => `${t.value}${t.unit}`).sort()).toEqual(['20公里', '50公里']);
  });

  it('invents no task clause when the plan writes its duties as running text', () => {
    const prose = parsePlan(
      '某市实施方案\n一、重点任务\n（一）推进改造。由市住建局牵头，会同市财政局、市自然资源局，于2020年底前完成改造。\n（二）明确职责分工\n各有关部门要按照职责分工抓好落实。\n二、保障措施\n（一）压实责任',
    );
    expect(prose.tasks).toEqual([]);
    expect(flatPaths(prose)).toEqual(['一', '一/（一）', '一/（二）', '二', '二/（一）']);
  });
});

function collect(list: PlanExtract['sections']): PlanExtract['sections'][number]['targets'] {
  return list.flatMap((s) => [...s.targets, ...collect(s.children)]);
}

describe("parsePlan: an OCR'd scan (round two, class 7)", () => {
  const text = [
    '特提',
    '某某市人民政府文件',
    '某政[2019]的12号',
    '某某市人民政府关于印发某某市大气污染防治',
    '实施方案的通知',
    '各县区人民政府：现将方案印发给你们。某某市大气污染防治实施方案为改善空气质量，现提出如下意见。一、总体目标(一)基本原则。坚持统筹推进。(二)主要目标。到2020年，全市细颗粒物浓度下降18%。二、重点任务(一)淘汰燃煤锅炉。10蒸吨以下燃煤锅炉全部淘汰。(市生态环境局牵头，市发展改革委等部门分工负责)',
    '(二)控制煤炭消费。全市煤炭消费总量控制在800万吨标准煤以内。(市发展改革委负责)',
  ].join('\n');
  const e = parsePlan(text);

  it('reads the header through the noise', () => {
    expect({ title: e.title, issuer: e.issuer, year: e.year }).toEqual({
      title: '某某市大气污染防治实施方案',
      issuer: '某某市人民政府',
      year: 2019,
    });
  });

  it('finds the headings run into the text, and puts each task in its own section', () => {
    expect(flatPaths(e)).toEqual(['一', '一/(一)', '一/(二)', '二', '二/(一)', '二/(二)']);
    expect(e.tasks.map((t) => [t.sectionPath.join('/'), roleNames(t)])).toEqual([
      ['二/(一)', { lead: ['市生态环境局'], responsible: ['市发展改革委'], cooperating: [] }],
      ['二/(二)', { lead: [], responsible: ['市发展改革委'], cooperating: [] }],
    ]);
    expect(e.tasks[0].targets).toEqual([]);
    expect(e.tasks[1].targets.map((t) => [t.value, t.unit, t.comparator, t.metric])).toEqual([[800, '万吨标准煤', '<=', '煤炭消费总量']]);
  });
});

describe('parsePlan: explain', () => {
  const text =
    '某市方案\n一、任务\n（一）控煤。到2020年，全市煤炭消费总量控制在800万吨标准煤以内，6月底前完成评估。（市发展改革委牵头，市财政局、交通运输局等部门分工负责）';

  it('records no why when off, so the contract output is unchanged', () => {
    expect(JSON.stringify(parsePlan(text))).not.toContain('"why"');
  });

  it('records the rule that read each unit, deadline and target', () => {
    const [t] = parsePlan(text, { explain: true }).tasks;
    expect(t.assignment.lead.map((u) => u.why)).toEqual([['role.verb:牵头']]);
    expect(t.assignment.responsible.map((u) => [u.name, u.why])).toEqual([
      ['市财政局', ['role.verb:分工负责']],
      ['市交通运输局', ['role.verb:分工负责', 'name.etc:等部门', 'name.prefix:市']],
    ]);
    expect(t.deadlines.map((d) => [d.date, d.why])).toEqual([
      ['2020-12-31', ['date.year:marker:到']],
      ['2020-06-30', ['date.month:底', 'date.tail:前', 'date.year-from:2020']],
    ]);
    expect(t.targets.map((x) => x.why)).toEqual([['unit:万吨标准煤', 'cmp.after:以内', 'juris.subject', 'metric.own']]);
  });
});

describe('parsePlan: the plan year from the signature line (round three, after the measurement)', () => {
  it('dates a yearless deadline by the signature line when the head names no year', () => {
    const e = parsePlan('关于推进某项工作的意见\n一、任务\n（一）清理规定。今年内要清理完毕。\n某省人民政府办公厅\n2012年10月9日\n');
    expect(e.year).toBe(2012);
    expect(e.sections[0].children[0].deadlines.map((d) => d.date)).toEqual(['2012-12-31']);
  });
});

import { describe, expect, it } from 'vitest';
import { findAssignments, type RawAssignment } from './assignment.parser.ts';

function roles(a: RawAssignment) {
  const pick = (r: string) => a.units.filter((u) => u.role === r).map((u) => u.name);
  return { lead: pick('lead'), responsible: pick('responsible'), cooperating: pick('cooperating') };
}
const one = (text: string) => {
  const found = findAssignments(text);
  expect(found).toHaveLength(1);
  return roles(found[0]);
};

describe('findAssignments: labelled form', () => {
  it('reads any subset of labels with half-width brackets and colons', () => {
    expect(one('完成修编。(牵头单位:市城乡规划管理局,责任单位:各县区政府、管委)')).toEqual({
      lead: ['市城乡规划管理局'],
      responsible: ['各县区政府', '各县区管委'],
      cooperating: [],
    });
    expect(one('打通断头路。(责任单位:各县区政府、管委)').responsible).toEqual(['各县区政府', '各县区管委']);
  });

  it('reads full-width brackets and colons and the 部门 / 协办 label words', () => {
    expect(one('加快建设。（牵头部门：市发改委；责任部门：各区政府；配合部门：市财政局、自然资源局）')).toEqual({
      lead: ['市发改委'],
      responsible: ['各区政府'],
      cooperating: ['市财政局', '市自然资源局'],
    });
    expect(one('推进工作。（责任单位：各区、县级市，协办单位：团市委）')).toEqual({
      lead: [],
      responsible: ['各区', '各县级市'],
      cooperating: ['团市委'],
    });
  });

  it('keeps a role list that itself contains a comma', () => {
    const r = one('(牵头单位:市通信发展管理办公室,责任单位:鹤壁供电公司,移动、联通、电信、铁塔鹤壁分公司,配合单位:各县区政府、管委)');
    expect(r.responsible).toEqual(['鹤壁供电公司', '移动鹤壁分公司', '联通鹤壁分公司', '电信鹤壁分公司', '铁塔鹤壁分公司']);
    expect(r.cooperating).toEqual(['各县区政府', '各县区管委']);
  });

  it('makes "X牵头" inside a 责任单位 list the lead', () => {
    expect(one('（责任单位：市住建局牵头，各区政府）')).toEqual({ lead: ['市住建局'], responsible: ['各区政府'], cooperating: [] });
  });

  it('reads label lines written outside brackets as one assignment', () => {
    const found = findAssignments('加快改造。\n牵头部门：市住房城乡建设局\n责任部门：各区政府\n配合部门：市财政局\n下一段');
    expect(found).toHaveLength(1);
    expect(roles(found[0])).toEqual({ lead: ['市住房城乡建设局'], responsible: ['各区政府'], cooperating: ['市财政局'] });
  });
});

describe('findAssignments: inline form', () => {
  it('X牵头，Y配合 / Y、Z参与 / 指导', () => {
    expect(one('（国家发展改革委牵头，财政部、住房城乡建设部配合）')).toEqual({
      lead: ['国家发展改革委'],
      responsible: [],
      cooperating: ['财政部', '住房城乡建设部'],
    });
    expect(one('（市民政局牵头，市卫生健康委、市体育局参与）').cooperating).toEqual(['市卫生健康委', '市体育局']);
    expect(one('（省住房城乡建设厅指导，各市政府负责）')).toEqual({
      lead: [],
      responsible: ['各市政府'],
      cooperating: ['省住房城乡建设厅'],
    });
  });

  it('负责 / 按职责分工负责 / 等负责', () => {
    expect(one('（各省级人民政府负责）').responsible).toEqual(['各省级人民政府']);
    expect(one('（教育部、人力资源社会保障部等按职责分工负责）').responsible).toEqual(['教育部', '人力资源社会保障部']);
  });

  it('flags 列第一位者为牵头单位，下同', () => {
    const [a] = findAssignments('（住房城乡建设部、国家发展改革委、财政部等负责。列第一位者为牵头单位，下同）');
    expect(a.hasFirstLeads).toBe(true);
    expect(a.hasFirstLeadsOnward).toBe(true);
    expect(roles(a).responsible).toEqual(['住房城乡建设部', '国家发展改革委', '财政部']);
  });

  it('ignores brackets that are not assignments', () => {
    expect(findAssignments('市百城建设提质工程工作领导小组办公室(以下简称市百城办)要按照')).toHaveLength(0);
    expect(findAssignments('市主城区(淇滨区、开发区、城乡一体化示范区)要完成')).toHaveLength(0);
    expect(findAssignments('（以下各项任务均需各省级人民政府落实，不再一一列出）')).toHaveLength(0);
    expect(findAssignments('第四代移动通信网络(4G)网络覆盖，社区卫生服务中心(站)建设')).toHaveLength(0);
  });
});

describe('findAssignments: forms of other provinces and of OCR text', () => {
  it('reads 〔〕 brackets, nested (州) and a carry note that applies onward (下同)', () => {
    const [a] = findAssignments(
      '试点。〔责任单位:省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕',
    );
    expect(roles(a).responsible).toEqual(['省发展改革委', '省市场监管局', '省商务厅', '省大数据中心']);
    expect(a.carried?.map((u) => u.name)).toEqual(['相关市(州)人民政府']);
    expect(a.carriedOnward).toBe(true);
    expect(findAssignments('见《办法》(国办发〔2019〕11号)')).toHaveLength(0);
  });

  it('drops a time note written inside an inline bracket', () => {
    expect(one('（国务院各部门分别负责，年内持续推进）').responsible).toEqual(['国务院各部门']);
    expect(one('（市住建局牵头，市财政局配合，2020年底前完成）')).toEqual({
      lead: ['市住建局'],
      responsible: [],
      cooperating: ['市财政局'],
    });
    expect(one('（市城管局负责，长期坚持）').responsible).toEqual(['市城管局']);
  });

  it('skips a 完成时限 label inside a labelled bracket', () => {
    expect(one('（责任单位：各县（市、区）人民政府；完成时限：2018年12月底）')).toEqual({
      lead: [],
      responsible: ['各县（市、区）人民政府'],
      cooperating: [],
    });
  });

  it('reads 牵头责任单位 / 协同责任单位 label lines and ignores the 牵头负责领导 person line', () => {
    const found = findAssignments(
      '1﹒全省生产总值增长7%以上。\n牵头负责领导:刘惠。\n牵头责任单位:省发展改革委。\n协同责任单位:省政府各部门、各直属机构。\n2﹒下一项',
    );
    expect(found).toHaveLength(1);
    expect(roles(found[0])).toEqual({ lead: ['省发展改革委'], responsible: [], cooperating: ['省政府各部门', '各直属机构'] });
  });

  it('reads label lines whose line breaks were lost, up to the next numbered item', () => {
    const found = findAssignments('1.增长6.2%左右。牵头单位:区发改局责任单位:立山经济开发区,各街道2.规模上工业增加值增长5%左右。');
    expect(found).toHaveLength(1);
    expect(roles(found[0])).toEqual({ lead: ['区发改局'], responsible: ['立山经济开发区', '各街道'], cooperating: [] });
  });

  it('splits units joined by 及', () => {
    expect(one('（市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责）').responsible).toEqual(['市级各有关部门', '各县市区政府']);
  });
});

describe('findAssignments: person and subject labels', () => {
  it('skips labels that name a person and reads 责任主体', () => {
    expect(one('（责任领导：张三；责任单位：市住建局）').responsible).toEqual(['市住建局']);
    expect(one('（牵头领导：李四，牵头单位：市住建局，责任单位：各区政府）')).toEqual({
      lead: ['市住建局'],
      responsible: ['各区政府'],
      cooperating: [],
    });
    expect(one('（责任主体：各县区政府）').responsible).toEqual(['各县区政府']);
  });

  it('keeps label lines together across a person line and a 完成时限 line', () => {
    const found = findAssignments(
      '增长7%。\n牵头责任单位:省发展改革委。\n牵头负责领导:刘惠。\n协同责任单位:省政府各部门。\n完成时限:2023年底。\n2﹒下一项',
    );
    expect(found).toHaveLength(1);
    expect(roles(found[0])).toEqual({ lead: ['省发展改革委'], responsible: [], cooperating: ['省政府各部门'] });
  });

  it('stays fast on repeated person labels between label lines', () => {
    const t = Date.now();
    findAssignments(`责任单位:市甲局。\n${'领导:'.repeat(150)}\nx。责任单位:市乙局`);
    findAssignments(`（${'均涉及市甲局，不再'.repeat(60)}）`);
    expect(Date.now() - t).toBeLessThan(500);
  });
});

describe('findAssignments: label lines of 责任分解 lists', () => {
  it('reads "列第一位为牵头或汇总单位" after an exception clause, and 分别牵头', () => {
    const found = findAssignments(
      '4.固定资产投资增长10%。\n\n责任单位:市发改委、市经信局、市财政局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)\n\n' +
        '6.城乡居民收入增速保持全省领先。\n\n责任单位:市人力社保局、市农业农村局分别牵头\n',
    );
    expect(found).toHaveLength(2);
    expect(found[0].hasFirstLeads && found[0].hasFirstLeadsOnward).toBe(true);
    expect(roles(found[0]).responsible).toEqual(['市发改委', '市经信局', '市财政局']);
    expect(roles(found[1]).lead).toEqual(['市人力社保局', '市农业农村局']);
  });

  it('finds a label glued to the person line before it (text without line breaks)', () => {
    const found = findAssignments('1.加快构建现代产业体系。牵头市领导:汤飞帆责任单位:市发改委、市经信局2.下一项');
    expect(found).toHaveLength(1);
    expect(roles(found[0]).responsible).toEqual(['市发改委', '市经信局']);
    expect(findAssignments('牵头市领导:汤飞帆')).toHaveLength(0);
  });

  it('stays fast on a long label line of exception clauses', () => {
    const t = Date.now();
    findAssignments(`责任单位:市甲局(${'除标注外,'.repeat(100)}列第一位为牵头或${'汇'.repeat(300)})`);
    findAssignments(`${'领导:张三'.repeat(20000)}责任单位:市甲局`);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('findAssignments: a task table flattened to one cell per line', () => {
  const table = [
    '分类',
    '序号',
    '事项',
    '责任单位',
    '牵头单位',
    '发展目标',
    '1',
    '地区生产总值增长6.5%以上。',
    '区农业农村局、区发改局、莲都邮政管理局',
    '区发改局',
    '2',
    '区本级固定资产投资增长25%。',
    '区发改局',
    '区发改局',
    '激发市场活力',
    '3',
    '完成省、市下达的能源指标计划目标。',
    '区经商局、各乡镇(街道)',
    '区经商局',
  ].join('\n\n');

  it('gives each row the roles of its column headers, the lead only once', () => {
    const found = findAssignments(table);
    expect(found.map(roles)).toEqual([
      { lead: ['区发改局'], responsible: ['区农业农村局', '莲都邮政管理局'], cooperating: [] },
      { lead: ['区发改局'], responsible: [], cooperating: [] },
      { lead: ['区经商局'], responsible: ['各乡镇(街道)'], cooperating: [] },
    ]);
    expect(table.slice(found[0].span[0], found[0].span[1])).toBe('区农业农村局、区发改局、莲都邮政管理局\n\n区发改局');
  });

  it('reads a table whose columns are separated by tabs or " | " on one line', () => {
    const tabs = '序号\t事项\t牵头单位\t责任单位\n1\t增长6%。\t市发改委\t市财政局、市统计局\n2\t增长8%。\t市经信局\t各县(市、区)政府';
    expect(findAssignments(tabs).map(roles)).toEqual([
      { lead: ['市发改委'], responsible: ['市财政局', '市统计局'], cooperating: [] },
      { lead: ['市经信局'], responsible: ['各县(市、区)政府'], cooperating: [] },
    ]);
    const bars = '序号 |\n事项 |\n责任单位 |\n1 |\n增长6%。 |\n市发改委、市财政局 |';
    expect(findAssignments(bars).map(roles)).toEqual([{ lead: [], responsible: ['市发改委', '市财政局'], cooperating: [] }]);
  });

  it('reads no table without role column headers, or rows whose cells are not units', () => {
    expect(findAssignments(table.replace('责任单位', '备注').replace('牵头单位', '完成时限'))).toHaveLength(0);
    expect(findAssignments('事项\n责任单位\n1\n增长6%。\n加快推进各项工作。\n')).toHaveLength(0);
  });

  it('stays linear on many header-like lines', () => {
    const t = Date.now();
    findAssignments(`${'事项\n责任单位\n'.repeat(20000)}1\n增长。\n市甲局\n`);
    // Every row is read once: 5,000 rows take tens of milliseconds; a quadratic scan would take minutes.
    findAssignments(`事项\n责任单位\n${'1\n增长。\n市甲局\n'.repeat(5000)}`);
    findAssignments(`事项\t责任单位\t${'1\t增长。\t市甲局\t'.repeat(5000)}${'\t| '.repeat(20000)}`);
    expect(Date.now() - t).toBeLessThan(4000);
  });
});

describe('findAssignments: a trailing duty phrase after a list (round two, class 1)', () => {
  it('reads "等部门分工负责" / "等分工落实" as the duty, not as part of the last name', () => {
    expect(one('完善路网。（省交通运输厅、省公安厅等部门分工负责）')).toEqual({
      lead: [],
      responsible: ['省交通运输厅', '省公安厅'],
      cooperating: [],
    });
    expect(one('加固堤防。（市水利局等分工落实）').responsible).toEqual(['市水利局']);
    expect(one('整治河道。（县水务局、县农业农村局分工负责）').responsible).toEqual(['县水务局', '县农业农村局']);
  });

  it('keeps a lead named before the duty phrase', () => {
    expect(one('建设枢纽。（市发展改革委牵头，市交通局、市自然资源局等按职责分工落实）')).toEqual({
      lead: ['市发展改革委'],
      responsible: ['市交通局', '市自然资源局'],
      cooperating: [],
    });
  });
});

describe('findAssignments: names with a quoted word (round three)', () => {
  it('keeps a short quoted word inside a unit name', () => {
    expect(one('扩大覆盖。（牵头单位：市“两新”组织党工委，配合单位：市国资委、市“三旧”改造办）')).toEqual({
      lead: ['市“两新”组织党工委'],
      responsible: [],
      cooperating: ['市国资委', '市“三旧”改造办'],
    });
  });

  it('reads no assignment in a bracket that explains a term (即…)', () => {
    expect(findAssignments('全面推行“五民主工作法”（即村民民主提事、民主决事和新村民民主参与），保证权利。')).toHaveLength(0);
    expect(findAssignments('落实责任（包括市财政局、市审计局负责的事项）。')).toHaveLength(0);
  });

  it('still rejects a bracket whose quotes hold a slogan, not a name', () => {
    expect(findAssignments('开展“三打两建”（“打击欺行霸市”“打击制假售假”负责）活动。')).toHaveLength(0);
  });
});

describe('assignments in OCR output', () => {
  it('reads a label whose colon the OCR made a semicolon, and a （ read as 〈', () => {
    const got = findAssignments(
      '推进合作。(牵头单位; 市科技局，配合单位: 市财政局)扩大试点。〈牵头单位: 市发展改革委，配合单位: 市经贸委)',
    );
    expect(got.map((a) => a.units.map((u) => `${u.role}:${u.name}`))).toEqual([
      ['lead:市科技局', 'cooperating:市财政局'],
      ['lead:市发展改革委', 'cooperating:市经贸委'],
    ]);
  });

  it('passes over a 〈title〉 pair', () => {
    expect(findAssignments('关于印发〈政府工作报告〉目标任务责任分解方案的通知')).toEqual([]);
  });
});

describe('assignments with a duty phrase after the list (round four, class 1)', () => {
  it('reads "X会同Y等部门负责" as two responsible units', () => {
    const [a] = findAssignments('推进改革。（市发展改革委会同市财政局等部门负责）');
    expect(roles(a)).toEqual({ lead: [], responsible: ['市发展改革委', '市财政局'], cooperating: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { parseHeader } from './header.parser.ts';
import { parseOutline } from './outline.parser.ts';

const paths = (text: string) => parseOutline(text).map((n) => n.path.join('/'));

describe('parseOutline', () => {
  it('reads the five levels, alone on a line or followed by body text', () => {
    const text = [
      '一、总体要求',
      '（一）工作目标。到2020年完成。',
      '1.改善道路。正文',
      '(1)试点改造',
      '①数字化管理。正文',
      '二、主要任务',
    ].join('\n');
    expect(paths(text)).toEqual(['一', '一/（一）', '一/（一）/1', '一/（一）/1/(1)', '一/（一）/1/(1)/①', '二']);
    expect(parseOutline(text).map((n) => n.title)).toEqual(['总体要求', '工作目标', '改善道路', '试点改造', '数字化管理', '主要任务']);
  });

  it('takes 1．(full-width) and 1、 as the third level', () => {
    expect(paths('一、甲\n1．乙\n2、丙')).toEqual(['一', '一/1', '一/2']);
  });

  it('does not take decimals, dates or standard codes for headings', () => {
    expect(paths('一、甲\n5.5公里的管廊\n2018.6完成\nGB 50311-2016规范')).toEqual(['一']);
  });

  it('handles numbering that restarts per section and numbering that runs on', () => {
    expect(paths('一、甲\n(一)a\n(二)b\n二、乙\n(一)c')).toEqual(['一', '一/(一)', '一/(二)', '二', '二/(一)']);
    expect(paths('一、甲\n(一)a\n二、乙\n(二)b')).toEqual(['一', '一/(一)', '二', '二/(二)']);
  });

  it('finds headings in text that lost its line breaks, but not body numbers', () => {
    const flat =
      '制定本方案。一、总体要求坚持统一、协调发展。二、重点任务(一)完善规划。建设5.5公里管廊。1.改善道路。(牵头单位:市住建局)2.加快修补。';
    expect(paths(flat)).toEqual(['一', '二', '二/(一)', '二/(一)/1', '二/(一)/2']);
  });

  it('gives each section the extent up to its next sibling', () => {
    const text = '一、甲\n(一)a\n二、乙';
    const [a, a1, b] = parseOutline(text);
    expect(a.end).toBe(b.start);
    expect(a1.end).toBe(b.start);
    expect(b.end).toBe(text.length);
  });
});

describe('parseHeader', () => {
  it('prefers the plan title split over two lines to the notice title', () => {
    const text =
      '鹤壁市人民政府办公室\n关于印发鹤壁市2018年度百城建设提质工程\n工作实施方案的通知\n各县区人民政府:\n2018年4月 日\n鹤壁市2018年度百城建设提质工程工作\n实施方案\n为深入贯彻…,制定本方案。\n';
    expect(parseHeader(text, text.length)).toEqual({
      title: '鹤壁市2018年度百城建设提质工程工作实施方案',
      issuer: '鹤壁市人民政府办公室',
      year: 2018,
    });
  });

  it('falls back to the notice title and reads the issuer before 关于', () => {
    const text = '国务院办公厅关于印发城镇老旧小区改造工作方案的通知各省、自治区人民政府：';
    expect(parseHeader(text, text.length)).toEqual({ title: '城镇老旧小区改造工作方案', issuer: '国务院办公厅', year: null });
  });
});

describe('parseOutline: other numbering', () => {
  it('reads "1﹒" (small full stop) items', () => {
    expect(paths('一、目标\n1﹒全省生产总值增长7%以上。\n2﹒固定资产投资增长10%。')).toEqual(['一', '一/1', '一/2']);
  });

  it('reads 第一章 / 第一部分 as top-level sections', () => {
    const text = '第一章 总则\n一、目的\n第二章 任务\n一、改造\n（一）管网';
    expect(paths(text)).toEqual(['第一章', '第一章/一', '第二章', '第二章/一', '第二章/一/（一）']);
    expect(parseOutline(text)[0].title).toBe('总则');
    expect(paths('第一部分：总体要求\n第二部分：重点任务')).toEqual(['第一部分', '第二部分']);
  });

  it('reads a first sub-heading that follows its parent heading on the same line', () => {
    const text = '一、任务\n2．活化利用。（1）试点改造。每区打造1个。\n（2）资金保障。投入。';
    expect(paths(text)).toEqual(['一', '一/2', '一/2/（1）', '一/2/（2）']);
    expect(parseOutline(text)[2].title).toBe('试点改造');
    // A body enumeration after a sentence is not a heading.
    expect(paths('一、任务\n2．活化利用要做好三件事：一是保护。（3）项。')).toEqual(['一', '一/2']);
  });

  it('reads the outline of text whose only line starts with a heading (OCR)', () => {
    expect(paths('一、目标1﹒全省增长7%以上。牵头责任单位:省发展改革委。2﹒投资增长10%。')).toEqual(['一', '一/1', '一/2']);
  });
});

describe('parseHeader: letterhead remarks', () => {
  it('skips 【…】 labels and "(此件公开发布)", and reads the year from the notice title', () => {
    const h = parseHeader('【重点工作】滁州市人民政府关于2020年市政府重点工作及责任分解的通知\n各县、市、区人民政府:\n正文', 60);
    expect(h.issuer).toBe('滁州市人民政府');
    expect(h.year).toBe(2020);
    const t = parseHeader('立山区人民政府\n2023年3月28日\n(此件公开发布)\n立山区政府2023年重点工作\n任务分解和责任分工方案\n为贯彻', 80);
    expect(t.title).toBe('立山区政府2023年重点工作任务分解和责任分工方案');
  });
});

describe('parseOutline: attachments (round two, class 8)', () => {
  it('makes each attachment a root whose numbering restarts', () => {
    const text = [
      '一、总体要求',
      '（一）目标。详见附件1。',
      '二、保障措施',
      '（一）加强领导。（附件2）',
      '附件1',
      '',
      '供水管网改造技术规范',
      '一、适用范围',
      '（一）管径',
      '二、技术要求',
      '附件2：重点任务清单',
      '1.管网改造',
    ].join('\n');
    expect(paths(text)).toEqual([
      '一',
      '一/（一）',
      '二',
      '二/（一）',
      '附件1',
      '附件1/一',
      '附件1/一/（一）',
      '附件1/二',
      '附件2',
      '附件2/1',
    ]);
    const nodes = parseOutline(text);
    expect(nodes[4].title).toBe('供水管网改造技术规范');
    expect(nodes[8].title).toBe('重点任务清单');
    // The body's last section ends where the attachment begins.
    expect(nodes[3].end).toBe(nodes[4].start);
    expect(nodes[2].end).toBe(nodes[4].start);
  });

  it('does not take the attachment list of a notice, or a sentence about an attachment, for one', () => {
    expect(paths('关于印发方案的通知\n附件：1.供水方案\n一、总体要求\n附件1为任务清单，请对照执行。')).toEqual(['一']);
  });

  it('finds attachments in text that lost its line breaks, but not mentions', () => {
    const flat = '制定本方案。一、总体要求(一)目标(见附件1)。二、保障措施(一)加强领导。附件1 技术规范一、适用范围(一)管径。';
    expect(paths(flat)).toEqual(['一', '一/(一)', '二', '二/(一)', '附件1', '附件1/一', '附件1/一/(一)']);
  });
});

describe('parseOutline: OCR text that kept some line breaks (round two, class 7)', () => {
  it('finds headings run into the sentences around them', () => {
    const text = [
      'XX市人民政府文件',
      '为贯彻落实有关要求，现提出如下意见。一、总体目标(一)基本原则。坚持统筹推进，',
      '(二)主要目标。到2020年，完成改造。二、重点任务(一)推进管网',
      '1.建设管廊。加快建设5.5公里管廊。(二)完善设施。三、保障措施',
    ].join('\n');
    expect(paths(text)).toEqual(['一', '一/(一)', '一/(二)', '二', '二/(一)', '二/(一)/1', '二/(二)', '三']);
    expect(parseOutline(text).map((n) => n.title)).toEqual([
      '总体目标',
      '基本原则',
      '主要目标',
      '重点任务',
      '推进管网',
      '建设管廊',
      '完善设施',
      '保障措施',
    ]);
  });

  it('leaves a document with line-start headings and inline enumerations as it was', () => {
    const text = '一、任务\n（一）改造。主要做到：1.修路；2.补绿。\n（二）保障\n二、措施';
    expect(paths(text)).toEqual(['一', '一/（一）', '一/（二）', '二']);
  });
});

describe('parseOutline: item numbers glued to names, and attached file lists (round three)', () => {
  it('reads "11.121人才梯队项目" as item 11 when it continues the numbering', () => {
    const text = ['一、重点项目', '10.博士后项目。正文。', '11.121人才梯队项目。重点培养不少于10名。', '12.青年项目。正文。'].join('\n');
    expect(paths(text)).toEqual(['一', '一/10', '一/11', '一/12']);
    expect(parseOutline(text)[2].title).toBe('121人才梯队项目');
  });

  it('does not read a decimal that starts a line out of sequence as a heading', () => {
    expect(paths(['一、目标', '1.总体目标。正文。', '5.5公里的绿道全部建成。'].join('\n'))).toEqual(['一', '一/1']);
  });

  it('opens no section for a line that names an attached file', () => {
    const text = [
      '各镇人民政府：',
      '现将任务分解如下，请遵照执行。',
      '附:1、目标任务分解细则.docx',
      '2、主要工作任务.docx',
      '县政府办公室',
    ].join('\n');
    expect(paths(text)).toEqual([]);
  });
});

describe('parseOutline on OCR output', () => {
  it('reads an item number split from its dot or with the dot misread, in sequence only', () => {
    expect(paths('一、主要任务\n工.实施创新驱动战略。正文\n2 .建设重大创新平台。正文\n6 ,培育人才。正文\n3 ,培育人才。正文')).toEqual([
      '一',
      '一/1',
      '一/2',
      '一/3',
    ]);
  });

  it('starts a heading after the form feed of a PDF page', () => {
    expect(paths('一、甲\n1.乙。正文\n\f2.丙。正文')).toEqual(['一', '一/1', '一/2']);
  });
});

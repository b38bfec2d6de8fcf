import { describe, expect, it } from 'vitest';
import { findDeadlines } from './deadline.parser.ts';

const dates = (text: string, year: number | null = 2018) => findDeadlines(text, year).map((d) => d.date);

describe('findDeadlines', () => {
  it('reads month-end deadlines and carries the year forward', () => {
    expect(dates('市级和淇县应于2018年6月底前完成修编,12月底前完成城市设计。', null)).toEqual(['2018-06-30', '2018-12-31']);
  });

  it('reads year-end forms', () => {
    expect(dates('2018年底前完成;浚县应于2018年年底前完成;2019年底达到;年底前完成部署', null)).toEqual([
      '2018-12-31',
      '2018-12-31',
      '2019-12-31',
      '2019-12-31',
    ]);
  });

  it('reads halves, quarters, exact days and 到2020年', () => {
    expect(dates('2020年上半年完成试点,下半年推开,第三季度总结', null)).toEqual(['2020-06-30', '2020-12-31', '2020-09-30']);
    expect(dates('各地要在6月30日前完成摸底,到2020年基本形成制度')).toEqual(['2018-06-30', '2020-12-31']);
  });

  it('reads 今年年底 and skips recurring dates', () => {
    expect(dates('今年年底前完成,每年年底报送,每月底前上报', 2019)).toEqual(['2019-12-31']);
  });

  it('reads the 月-less typo "2018年11底前"', () => {
    expect(dates('要在2018年11底前做好2019年度的项目谋划工作')).toEqual(['2018-11-30']);
  });

  it('reads a bare year only when something is to be done by then', () => {
    expect(dates('2018年全市要完成30%的公厕改造')).toEqual(['2018-12-31']);
    expect(dates('确保2018年规范化建设县级完成率80%以上')).toEqual(['2018-12-31']);
    expect(dates('围绕2018年百城建设提质工程主要工作目标')).toEqual([]);
  });

  it('skips validity periods, start dates, issue dates and plan periods', () => {
    expect(dates('政策有效期为2019年1月1日至12月31日。')).toEqual([]);
    expect(dates('从2019年1月1日起执行。自2020年3月起施行')).toEqual([]);
    expect(dates('2018年4月 日\n2018年4月2日\n')).toEqual([]);
    expect(dates('按照《河南省全民健身实施计划(2016—2020年)》要求')).toEqual([]);
    expect(dates('2000年底前建成的需改造城镇老旧小区')).toEqual([]);
  });

  it('keeps text and span', () => {
    const [d] = findDeadlines('于2018年6月底前完成', null);
    expect(d.text).toBe('2018年6月底前');
    expect(d.span).toEqual([1, 10]);
  });
});

describe('findDeadlines: labels and headings', () => {
  it('reads a 完成时限 label without 底 or 前', () => {
    expect(dates('（责任单位：市教育局；完成时限：2019年12月）', null)).toEqual(['2019-12-31']);
    expect(dates('完成时间：6月', 2019)).toEqual(['2019-06-30']);
    expect(dates('6月召开会议', 2019)).toEqual([]);
  });

  it('does not read 主要/重要 as the verb 要 after a bare year', () => {
    expect(dates('一、落实2020年发展主要目标和下一阶段工作总体部署', null)).toEqual([]);
    expect(dates('2020年要完成改造', null)).toEqual(['2020-12-31']);
  });

  it('reads no deadline in 持续推进 / 长期坚持 / 每年 / …起', () => {
    expect(dates('年内持续推进，长期坚持，每年12月底前报送，2019年起实施', 2019)).toEqual([]);
  });
});

describe('findDeadlines: stray spaces (OCR)', () => {
  it('reads dates with spaces before 底 and 前', () => {
    expect(dates('2018 年 6 月 底 前完成，2018 年 11 底前完成，12 月底前完成', null)).toEqual(['2018-06-30', '2018-11-30', '2018-12-31']);
  });
});

describe('findDeadlines: 年内', () => {
  it('reads 年内完成 but not 年内持续推进', () => {
    expect(dates('年内完成改造；年内持续推进；年内开展一次', 2020)).toEqual(['2020-12-31']);
  });
});

describe('findDeadlines: a year opening a sentence, and spaced markers', () => {
  it('reads "2025年,力争…达到" and "2022年,全市新建…" but not a year opening a retrospective phrase', () => {
    expect(dates('发展新质生产力。2025年,力争研发投入强度达到2.95%。')).toEqual(['2025-12-31']);
    expect(dates('一、主要目标\n2022年,全市新建5G基站2600个以上')).toEqual(['2022-12-31']);
    expect(dates('一、主要目标\n2021年,是中国共产党成立100周年')).toEqual([]);
    expect(dates('各地要按照2022年,有关要求执行')).toEqual([]);
  });

  it('reads 到 / 于 before a spaced year ("到 2024 年")', () => {
    expect(dates('。到 2024 年,全市累计建成5G基站1万个', null)).toEqual(['2024-12-31']);
    expect(dates('于 2025 年完成', null)).toEqual(['2025-12-31']);
  });
});

describe('findDeadlines: adversarial input', () => {
  it('stays fast on 100k characters of sentence-opening years and spaced markers', () => {
    const t = Date.now();
    findDeadlines(`${'。2022年,'.repeat(15000)}${'到 '.repeat(50000)}2024 年`, null);
    findDeadlines(`${' '.repeat(100000)}2024年,全市新建`, null);
    expect(Date.now() - t).toBeLessThan(3000);
  });
});

describe('findDeadlines: only real calendar days', () => {
  it('skips day 0 and years outside 1900–2200 instead of emitting 2018-06-00 or 3000-06-30', () => {
    expect(dates('于2018年6月0日前完成')).toEqual([]);
    expect(dates('于3000年6月底前完成')).toEqual([]);
    expect(dates('于0001年6月底前完成')).toEqual([]);
    expect(dates('于1800年11底前完成')).toEqual([]);
    expect(dates('于2018年6月30日前完成，7月0日前完成验收')).toEqual(['2018-06-30']);
    expect(dates('于2020年2月31日前完成', null)).toEqual(['2020-02-29']);
  });
});

describe('findDeadlines: year-only deadlines in context (round two, class 6)', () => {
  it('reads "到2020年，…" and a year opening a goal sentence as the end of that year', () => {
    expect(dates('。到2020年，全省空气质量明显改善。', 2018)).toEqual(['2020-12-31']);
    expect(dates('。2020年，力争全市细颗粒物浓度下降到50微克/立方米。', 2018)).toEqual(['2020-12-31']);
    expect(dates('。2020年，全市地区生产总值年均增长7%。', 2019)).toEqual(['2020-12-31']);
  });

  it('does not read a year that dates a past fact', () => {
    expect(dates('。2018年，全省已完成造林200万亩。', 2019)).toEqual([]);
    expect(dates('。2018年底，全市已建成污水处理厂12座。', 2019)).toEqual([]);
    expect(dates('。2017年，全市地区生产总值增长7.8%。', 2019)).toEqual([]);
  });
});

describe('findDeadlines: a time of day before 前', () => {
  it('reads "6月20日18：00前" and "7月1日17时前" as that day', () => {
    expect(dates('于6月20日18：00前报送自查报告，7月1日17时前报送总结', 2014)).toEqual(['2014-06-20', '2014-07-01']);
  });
});

describe('findDeadlines: a year opening a sentence of what will be done (round three)', () => {
  it('reads "2012年，将…" as the end of that year even when the plan year is unknown', () => {
    expect(dates('建立调整机制。2012年，将廉租住房保障收入线标准由9600元以下提高到15600元以下。', null)).toEqual(['2012-12-31']);
  });

  it('does not read a past fact or a year before the plan year', () => {
    expect(dates('回顾过去。2010年，将近一半的项目已经完成。', 2012)).toEqual([]);
    expect(dates('回顾过去。2011年，将军路改造完成了。', 2012)).toEqual([]);
  });
});

describe('findDeadlines: a date followed by 后 (round three, after the measurement)', () => {
  it('reads "2015年后…" and "6月以后" as no deadline', () => {
    expect(dates('对于2015年后产生的新增政府债务，分别计入区级债务。6月以后开展复查。', 2016)).toEqual([]);
  });
});

describe('findDeadlines: a year that dates a past fact (round four, class 6)', () => {
  it('takes an unmarked year before the plan year for a starting point, not a deadline', () => {
    expect(dates('2017年，全市完成造林10万亩，比上年增长5%。2018年，全市完成造林15万亩。', 2018)).toEqual(['2018-12-31']);
    // …but "到2017年" in a 2018 plan still reads as what it says, and a later year sets a goal.
    expect(dates('2019年，力争完成造林20万亩。', 2018)).toEqual(['2019-12-31']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Span } from './plan-extract.types.ts';
import { findTargets } from './target.parser.ts';

const scan = (text: string, skipSpans: Span[] = []) =>
  findTargets(text, { skipSpans, resets: [] }).map((t) => ({
    v: t.value,
    ...(t.max !== undefined ? { max: t.max } : {}),
    u: t.unit,
    c: t.comparator,
    j: t.jurisdictions,
  }));

describe('findTargets: values, units, comparators', () => {
  it('reads comparators from words only', () => {
    expect(scan('增长15%以上,漏损率低于11%,半径不大于300米,不宜超过1000米,达到39%,突破45%,控制在5%以内,新建公厕70座')).toEqual([
      { v: 15, u: '%', c: '>=', j: [] },
      { v: 11, u: '%', c: '<', j: [] },
      { v: 300, u: '米', c: '<=', j: [] },
      { v: 1000, u: '米', c: '<=', j: [] },
      { v: 39, u: '%', c: '>=', j: [] },
      { v: 45, u: '%', c: '>', j: [] },
      { v: 5, u: '%', c: '<=', j: [] },
      { v: 70, u: '座', c: '=', j: [] },
    ]);
  });

  it('reads ranges, 万 units, decimals and Chinese numerals', () => {
    expect(scan('打造1—2个示范门诊,新增521万平方米,不小于1万平方米,57.46万平方米,七成以上,百分之三十')).toEqual([
      { v: 1, max: 2, u: '个', c: '=', j: [] },
      { v: 521, u: '万平方米', c: '=', j: [] },
      { v: 1, u: '万平方米', c: '>=', j: [] },
      { v: 57.46, u: '万平方米', c: '=', j: [] },
      { v: 70, u: '%', c: '>=', j: [] },
      { v: 30, u: '%', c: '=', j: [] },
    ]);
  });

  it('shares a comparator across a 、-list', () => {
    expect(scan('分担率分别达到25%、20%以上').map((t) => t.c)).toEqual(['>=', '>=']);
    expect(scan('完成60%以上主次干道和40%背街小巷').map((t) => t.c)).toEqual(['>=', '=']);
  });

  it('does not take years, dates, document numbers, codes, periods, ordinals or names for targets', () => {
    const text =
      '(豫发〔2016〕39号)2018年6月30日前,《规范》(GB 50311-2016),计划(2016—2020年),二期工程,4G网络,第四代,服务业“两区”,城市“四治”,Ⅱ类标准,市城区百辆汽车,强化二次供水,“三块地”,两场三馆,谋划一批项目';
    expect(scan(text)).toEqual([]);
  });

  it('ignores numbers inside skipped spans (assignment brackets)', () => {
    expect(scan('新建5座(牵头单位:第3局)', [[3, 13]])).toEqual([{ v: 5, u: '座', c: '=', j: [] }]);
  });
});

describe('findTargets: jurisdictions', () => {
  it('carries a clause subject across the commas of a sentence', () => {
    expect(
      scan('市城区及两县均要基本实现公交站点500米全覆盖,城市公共交通出行分担率分别达到25%、20%以上,绿色出行分担率达到85%以上。'),
    ).toEqual([
      { v: 500, u: '米', c: '=', j: ['市城区', '两县'] },
      { v: 25, u: '%', c: '>=', j: ['市城区'] },
      { v: 20, u: '%', c: '>=', j: ['两县'] },
      { v: 85, u: '%', c: '>=', j: ['市城区', '两县'] },
    ]);
  });

  it('splits 分别 with one number into one target per place', () => {
    expect(scan('市区设置不少于70个直饮水点,浚县、淇县分别设置不少于15个直饮水点。')).toEqual([
      { v: 70, u: '个', c: '>=', j: ['市区'] },
      { v: 15, u: '个', c: '>=', j: ['浚县'] },
      { v: 15, u: '个', c: '>=', j: ['淇县'] },
    ]);
  });

  it('pairs 城市、县城…分别 lists in order', () => {
    expect(scan('城市、县城公共供水普及率分别达到95%以上、85%以上。').map((t) => t.j)).toEqual([['城市'], ['县城']]);
  });

  it('breaks a total down with 其中', () => {
    expect(scan('开工建设20公里地下综合管廊,其中淇滨区9公里、城乡一体化示范区5.5公里、开发区5.5公里。').map((t) => t.j)).toEqual([
      [],
      ['淇滨区'],
      ['城乡一体化示范区'],
      ['开发区'],
    ]);
  });

  it('reads a subject after a leading date and ignores a parenthesised breakdown', () => {
    expect(scan('2018年底前,市主城区(淇滨区、开发区)要完成大道等4条,山城区完成长丰路等3条。').map((t) => t.j)).toEqual([
      ['市主城区'],
      ['山城区'],
    ]);
  });

  it('does not take generic words for places (两县 is a place, not a target)', () => {
    expect(scan('面积要达到建成区的10%以上。新建小区物业服务覆盖率达到100%。')).toEqual([
      { v: 10, u: '%', c: '>=', j: [] },
      { v: 100, u: '%', c: '>=', j: [] },
    ]);
  });
});

const metrics = (text: string) => findTargets(text, { skipSpans: [], resets: [] }).map((t) => `${t.jurisdictions.join('、')}：${t.metric}`);

describe('findTargets: more genre forms', () => {
  it('reads a range written with the unit on both ends', () => {
    expect(scan('比例控制在20%—30%,建设3—5个示范点')).toEqual([
      { v: 20, max: 30, u: '%', c: '=', j: [] },
      { v: 3, max: 5, u: '个', c: '=', j: [] },
    ]);
  });

  it('reads 百分点, 万元, 万亩 and stray spaces', () => {
    expect(scan('覆盖率提高5个百分点,安排资金500万元,新增1.5万亩,约 605 万平方米,不低于12平方米')).toEqual([
      { v: 5, u: '个百分点', c: '=', j: [] },
      { v: 500, u: '万元', c: '=', j: [] },
      { v: 1.5, u: '万亩', c: '=', j: [] },
      { v: 605, u: '万平方米', c: '=', j: [] },
      { v: 12, u: '平方米', c: '>=', j: [] },
    ]);
  });

  it('reads no target in ordinals, periods, formulas, phone numbers, document numbers and idioms', () => {
    expect(scan('确定第一批试点,实施3年行动,“十三五”期间,构建“2+N”体系,电话0371-65905123,落实1号文件,“两学一做”“三严三实”')).toEqual([]);
  });

  it('reads the subject after an item number', () => {
    const ts = findTargets('一、目标\n1﹒全省生产总值增长7%以上。', { skipSpans: [], resets: [0, 5] });
    expect(ts.map((t) => t.jurisdictions)).toEqual([['全省']]);
  });
});

describe('findTargets: metric is a short noun phrase', () => {
  it('names a share by the thing after the number and the verb before it', () => {
    expect(metrics('淇县要打通70%的“断头路”“卡脖路”。')).toEqual(['淇县：断头路卡脖路打通比例']);
    expect(metrics('2018年底消除80%以上的易涝点。')).toEqual(['：易涝点消除比例']);
    expect(metrics('2018年全市要完成30%的公厕改造。')).toEqual(['全市：公厕改造比例']);
  });

  it('keeps 新建 / 新增 with the counted thing, drops 设置 / 建成 / 完成', () => {
    expect(metrics('全市建成区新建公厕70座。市区设置不少于70个直饮水点。')).toEqual(['全市：新建公厕', '市区：直饮水点']);
    expect(metrics('全市新增公共停车泊位不少于2000个,市城区完成达标街区10个以上。')).toEqual([
      '全市：新增公共停车泊位',
      '市城区：达标街区',
    ]);
    expect(metrics('建成13个社区卫生服务中心、14个社区卫生服务站。')).toEqual(['：社区卫生服务中心', '：社区卫生服务站']);
  });

  it('strips item numbers, dates, modal words and comparator verbs', () => {
    expect(metrics('1.努力实现地区生产总值增长6.2%左右。')).toEqual(['：地区生产总值增长']);
    expect(metrics('到2020年,城市生活垃圾无害化处理率达到90%以上,失业率控制在5%以内,普及率提高到95%。')).toEqual([
      '：城市生活垃圾无害化处理率',
      '：失业率',
      '：普及率',
    ]);
    expect(metrics('基本实现工程建设项目(主要是房屋建筑和城市基础设施)全流程审批时间压缩至90个工作日以内。')).toEqual([
      '：工程建设项目全流程审批时间',
    ]);
  });

  it('gives a number with no words of its own the metric of the number before it', () => {
    expect(metrics('开工建设20公里地下综合管廊,其中淇滨区9公里、开发区5.5公里。')).toEqual([
      '：地下综合管廊',
      '淇滨区：地下综合管廊',
      '开发区：地下综合管廊',
    ]);
    expect(metrics('城市、县城公共供水普及率分别达到95%以上、85%以上。')).toEqual(['城市：公共供水普及率', '县城：公共供水普及率']);
  });
});

describe('findTargets: stray spaces (OCR)', () => {
  it('reads comparators and units written with spaces inside', () => {
    expect(scan('不 少 于 15 个,不 低于 95%,新增 1.5 万 亩')).toEqual([
      { v: 15, u: '个', c: '>=', j: [] },
      { v: 95, u: '%', c: '>=', j: [] },
      { v: 1.5, u: '万亩', c: '=', j: [] },
    ]);
  });

  it('reads the subject after a spaced date', () => {
    expect(scan('2018 年底前，全市新增公厕 70 座。')).toEqual([{ v: 70, u: '座', c: '=', j: ['全市'] }]);
  });
});

describe('findTargets: a change against a base', () => {
  it('names "比上年提高5个百分点" after the metric of the number before it', () => {
    expect(metrics('全县城镇化率达到52.5%,比“十一五”末提高了10个百分点。')).toEqual(['全县：城镇化率', '全县：城镇化率提高']);
    expect(metrics('能耗下降10%。')).toEqual(['：能耗下降']);
  });
});

describe('findTargets: metrics of lists, scopes and spans of time', () => {
  it('gives numbers after a list of names the thing a later number of the sentence counts', () => {
    expect(
      metrics('市主城区要完成淇滨大道、九州路等4条,山城区完成红旗街、长丰路等3条,浚县完成黎阳路、黄河路等2条主干道沿线标识景观的建设。'),
    ).toEqual(['市主城区：主干道沿线标识景观', '山城区：主干道沿线标识景观', '浚县：主干道沿线标识景观']);
  });

  it('names the thing after the number when a scope or a distributive word stands before it', () => {
    expect(metrics('构建城市15分钟健身圈。')).toEqual(['：健身圈']);
    expect(metrics('完成违法建筑的拆除工作和建成区57.46万平方米棚户区改造任务。')).toEqual(['：棚户区改造']);
    expect(metrics('每个街道建设3—5个社区健身点。')).toEqual(['：社区健身点']);
    expect(scan('每个街道建设3—5个社区健身点。')).toEqual([{ v: 3, max: 5, u: '个', c: '=', j: [] }]);
  });

  it('drops spans of time, Latin abbreviations and a mid-phrase 力争', () => {
    expect(metrics('带动未来五年制造业投资1000亿元以上。')).toEqual(['：制造业投资']);
    expect(metrics('地区生产总值(GDP)总量力争突破3000亿元,年均增长7%以上。')).toEqual(['：地区生产总值总量', '：地区生产总值年均增长']);
    expect(metrics('研究与试验发展(R&D)经费投入强度达到2.6%。')).toEqual(['：研究与试验发展经费投入强度']);
    expect(metrics('全市要成功创建1个以上省级物业服务(居住物业)示范项目。')).toEqual(['全市：创建省级物业服务示范项目']);
  });

  it('reads 区本级 / 市本级 as the jurisdiction of a figure', () => {
    expect(scan('区本级固定资产投资增长25%。')).toEqual([{ v: 25, u: '%', c: '=', j: ['区本级'] }]);
  });

  it('stays fast on a long sentence of name lists', () => {
    const t = Date.now();
    findTargets(`${'甲路、乙路等4条,新建5个站,'.repeat(20000)}`, { skipSpans: [], resets: [] });
    findTargets(`${'每个街道建设'.repeat(20000)}3个`, { skipSpans: [], resets: [] });
    expect(Date.now() - t).toBeLessThan(5000);
  });
});

describe('findTargets: a subject list that runs up to the number', () => {
  it('gives the number to the whole list, not to its last place', () => {
    expect(scan('到2027年底前,确保锦江区、青羊区、成华区50%的城市社区建成综合体。')).toEqual([
      { v: 50, u: '%', c: '=', j: ['锦江区', '青羊区', '成华区'] },
    ]);
    expect(scan('其中淇滨区9公里、开发区5.5公里。').map((t) => t.j)).toEqual([['淇滨区'], ['开发区']]);
    expect(scan('确保成都高新区、成华区50%的社区建成。')).toEqual([{ v: 50, u: '%', c: '=', j: ['成都高新区', '成华区'] }]);
  });
});

const full = (text: string) =>
  findTargets(text, { skipSpans: [], resets: [] }).map((t) => ({
    v: t.value,
    u: t.unit,
    c: t.comparator,
    m: t.metric,
    j: t.jurisdictions,
  }));

describe('findTargets: compound units of measure (round two, class 3)', () => {
  it('reads the whole unit, and the comparator after it', () => {
    expect(full('到2025年，全市能源消费总量控制在4200万吨标准煤以内。')).toEqual([
      { v: 4200, u: '万吨标准煤', c: '<=', m: '能源消费总量', j: ['全市'] },
    ]);
    expect(scan('能耗降至0.42吨标准煤/万元，供电煤耗降至298克/千瓦时，不超过7千克标准煤/平方米，年节电15万千瓦时')).toEqual([
      { v: 0.42, u: '吨标准煤/万元', c: '=', j: [] },
      { v: 298, u: '克/千瓦时', c: '=', j: [] },
      { v: 7, u: '千克标准煤/平方米', c: '<=', j: [] },
      { v: 15, u: '万千瓦时', c: '=', j: [] },
    ]);
    expect(scan('生态流量不低于3.5立方米/秒，氨氮浓度低于1.5毫克/升，每万人拥有全科医生4人/万人')).toEqual([
      { v: 3.5, u: '立方米/秒', c: '>=', j: [] },
      { v: 1.5, u: '毫克/升', c: '<', j: [] },
      { v: 4, u: '人/万人', c: '=', j: [] },
    ]);
  });
});

describe('findTargets: thresholds that qualify a subject (round two, class 4)', () => {
  it('does not report the measure that says which subjects are meant', () => {
    expect(full('年综合能耗1万吨标准煤以上的重点用能单位全部纳入在线监测。')).toEqual([]);
    expect(full('35蒸吨以下燃煤锅炉全部淘汰。')).toEqual([]);
    expect(full('培育年产值5亿元以上企业12家。').map((t) => [t.v, t.u])).toEqual([[12, '家']]);
  });

  it('keeps counts and numbers set by a verb', () => {
    expect(full('建成30个以上智慧社区。').map((t) => [t.v, t.u, t.c])).toEqual([[30, '个', '>=']]);
    expect(full('煤炭消费量控制在800万吨以下，淘汰落后产能。').map((t) => [t.v, t.u, t.c])).toEqual([[800, '万吨', '<=']]);
  });
});

describe('findTargets: no garbage metric names from OCR text (round two, class 7)', () => {
  it('drops stray braces and metrics that are only a unit or a comparator word', () => {
    expect(full('全市煤炭消费总}量控制在500万吨以内。')[0].m).toBe('煤炭消费总量');
    expect(full('工业用水量以下5吨。')[0].m).toBe('工业用水量');
    expect(full('以下8吨。')[0].m).toBe('');
  });
});

describe('findTargets: jurisdictions that are categories, lists or levels (round two, class 5)', () => {
  it('reads categories of places as the jurisdiction', () => {
    expect(full('重点区域城市细颗粒物浓度下降16%，其他城市下降10%。')).toEqual([
      { v: 16, u: '%', c: '=', m: '细颗粒物浓度下降', j: ['重点区域城市'] },
      { v: 10, u: '%', c: '=', m: '细颗粒物浓度下降', j: ['其他城市'] },
    ]);
    expect(full('县城（城关镇）生活污水处理率达到90%。')[0].j).toEqual(['县城（城关镇）']);
    expect(full('中心城区公共交通分担率达到45%。')[0].j).toEqual(['中心城区']);
    expect(full('各设区市建成区绿地率达到38%。')[0].j).toEqual(['各设区市']);
  });

  it('reads a region named with 地区 before its subject noun, but not 地区生产总值 (round four)', () => {
    expect(full('沿海地区企业研发投入占比不低于3%，非沿海地区企业不低于2%。').map((t) => [t.v, t.j])).toEqual([
      [3, ['沿海地区']],
      [2, ['非沿海地区']],
    ]);
    expect(full('长江三角洲地区园区投资强度原则上不得低于每公顷3000万元。')[0].j).toEqual(['长江三角洲地区']);
    expect(full('全市地区生产总值增长7%。')[0].j).toEqual(['全市']);
    expect(full('单位地区生产总值能耗下降3%。')[0].j).toEqual([]);
  });

  it('pairs 分别 with a counted list and keeps the list as one label otherwise', () => {
    expect(full('安阳、鹤壁、新乡三市分别达到30%、25%、20%。').map((t) => t.j)).toEqual([['安阳'], ['鹤壁'], ['新乡']]);
    expect(full('安阳、鹤壁、新乡三市均要建成5个示范区。')[0].j).toEqual(['安阳、鹤壁、新乡三市']);
  });

  it('breaks a total down with 其中 into categories', () => {
    expect(full('全省平均浓度下降10%，其中重点区域城市下降18%、非重点区域城市下降5%。').map((t) => [t.v, t.j])).toEqual([
      [10, ['全省']],
      [18, ['重点区域城市']],
      [5, ['非重点区域城市']],
    ]);
    expect(full('全省新增造林100万亩，其中沿黄各县20万亩。').map((t) => [t.v, t.j])).toEqual([
      [100, ['全省']],
      [20, ['沿黄各县']],
    ]);
  });

  it('does not read a ratio as a place', () => {
    expect(full('单位地区生产总值能耗下降13.5%。')[0].j).toEqual([]);
  });
});

describe('findTargets: forms of the 2012 Guangzhou plans (round three)', () => {
  it('reads a range written with a full-width minus', () => {
    expect(scan('按园区陆地面积5%－10%的比例设置儿童户外公共活动场地')).toEqual([{ v: 5, max: 10, u: '%', c: '=', j: [] }]);
  });

  it('reads a bare 万 with no measure word before a comparator or the clause end', () => {
    expect(scan('城镇年均新增就业人数24万以上，城镇登记失业率控制在3.5%以内')).toEqual([
      { v: 24, u: '万', c: '>=', j: [] },
      { v: 3.5, u: '%', c: '<=', j: [] },
    ]);
    expect(scan('每个中心服务居民3至10万。')).toEqual([{ v: 3, max: 10, u: '万', c: '=', j: [] }]);
  });

  it('does not read an item number glued to a numbered name as a decimal', () => {
    expect(scan('\n11.121人才梯队项目。重点培养不少于10名院士后备人才')).toEqual([{ v: 10, u: '名', c: '>=', j: [] }]);
    expect(scan('引进121人才')).toEqual([]);
  });

  it('reads 场次, 支, 大类 and, with a comparator, 年 / 岁 / 个月', () => {
    expect(scan('扶持50个研修班和50场次名家讲座，救援队伍达到15支，服务项目分为11大类')).toEqual([
      { v: 50, u: '个', c: '=', j: [] },
      { v: 50, u: '场次', c: '=', j: [] },
      { v: 15, u: '支', c: '>=', j: [] },
      { v: 11, u: '大类', c: '=', j: [] },
    ]);
    expect(scan('轮候时间不超过5年，平均期望寿命超过80岁，累计脱产培训3个月以上')).toEqual([
      { v: 5, u: '年', c: '<=', j: [] },
      { v: 80, u: '岁', c: '>=', j: [] },
      { v: 3, u: '个月', c: '>=', j: [] },
    ]);
    expect(scan('5年内重点引进，男性从60岁，每2个月组团，2012－2015年')).toEqual([]);
    expect(scan('选拔35岁以下的优秀青年，向居住一年以上的异地务工人员发放培训券')).toEqual([]);
  });
});

describe('findTargets: levels and "all of" a level as jurisdictions (round three)', () => {
  it('reads "市、区（县级市）两级" after a span of time as one label', () => {
    expect(full('5年内市、区（县级市）两级重点支持300名领军人才赴境外培训，1000名核心人才参加研修。').map((t) => [t.v, t.j])).toEqual([
      [300, ['市、区（县级市）两级']],
      [1000, ['市、区（县级市）两级']],
    ]);
    expect(full('省市县三级财政投入不少于5亿元。')[0].j).toEqual(['省市县三级']);
  });

  it('reads 全部镇 and 全市各街（镇） as the jurisdiction', () => {
    expect(full('各区（县级市）公办幼儿园占比达30%以上，全部镇均建有1所以上公办中心幼儿园。').map((t) => [t.v, t.j])).toEqual([
      [30, ['各区']],
      [1, ['全部镇']],
    ]);
    expect(full('全市各街（镇）建成1个综合服务中心。')[0].j).toEqual(['全市各街（镇）']);
  });
});

describe('findTargets: comparators as the contract lists them (round three)', () => {
  it('reads 达到X左右 as 达到, and 左右 alone as =', () => {
    expect(scan('支付比例总体平均达到75%左右，覆盖人口1万名左右')).toEqual([
      { v: 75, u: '%', c: '>=', j: [] },
      { v: 1, u: '万名', c: '=', j: [] },
    ]);
  });

  it('reads the comparator of a share "of" a base written between them', () => {
    expect(scan('年度土地供应量不低于居住用地供应总量的70%。')).toEqual([{ v: 70, u: '%', c: '>=', j: [] }]);
  });

  it('reads 至少 as no comparator word', () => {
    expect(scan('各区至少有1所儿童公园')).toEqual([{ v: 1, u: '所', c: '=', j: ['各区'] }]);
  });
});

describe('findTargets: 不得低于 and a rate written before the number (round three, after the measurement)', () => {
  it('reads 不得低于 / 不应少于 as >=, also with a short rate word before the number', () => {
    expect(scan('比重不得低于50%，投资额原则上不得低于每公顷2006万元，人数不应少于30名')).toEqual([
      { v: 50, u: '%', c: '>=', j: [] },
      { v: 2006, u: '万元', c: '>=', j: [] },
      { v: 30, u: '名', c: '>=', j: [] },
    ]);
  });
});

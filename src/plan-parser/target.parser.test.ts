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
    expect(scan('市城区及两县均要基本实现公交站点500米全覆盖,城市公共交通出行分担率分别达到25%、20%以上,绿色出行分担率达到85%以上。')).toEqual([
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

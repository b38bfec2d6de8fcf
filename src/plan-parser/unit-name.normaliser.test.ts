import { describe, expect, it } from 'vitest';
import { normaliseUnitList } from './unit-name.normaliser.ts';

const names = (s: string) => normaliseUnitList(s).map((t) => t.name);
const mentions = (s: string) => normaliseUnitList(s).map((t) => t.mention);

describe('normaliseUnitList', () => {
  it('distributes a shared level prefix forward', () => {
    expect(names('市财政局、城乡规划管理局')).toEqual(['市财政局', '市城乡规划管理局']);
    expect(names('市城乡规划管理局、房管中心、民政局')).toEqual(['市城乡规划管理局', '市房管中心', '市民政局']);
  });

  it('distributes a shared type suffix backward', () => {
    expect(names('移动、联通、电信、铁塔鹤壁分公司')).toEqual(['移动鹤壁分公司', '联通鹤壁分公司', '电信鹤壁分公司', '铁塔鹤壁分公司']);
    expect(names('市文化广电新闻出版、旅游局')).toEqual(['市文化广电新闻出版局', '市旅游局']);
    expect(names('浚县、淇县、山城区、鹤山区政府')).toEqual(['浚县政府', '淇县政府', '山城区政府', '鹤山区政府']);
  });

  it('shares a leading qualifier with bare heads', () => {
    expect(names('各县区政府、管委')).toEqual(['各县区政府', '各县区管委']);
    expect(names('有关县区政府、管委')).toEqual(['有关县区政府', '有关县区管委']);
    expect(names('各市党委、政府')).toEqual(['各市党委', '各市政府']);
    expect(names('各区、县级市')).toEqual(['各区', '各县级市']);
  });

  it('shares a compound qualifier as a whole (各有关)', () => {
    expect(names('各有关区、县级市')).toEqual(['各有关区', '各有关县级市']);
    expect(names('各有关区、县级市政府')).toEqual(['各有关区政府', '各有关县级市政府']);
    expect(names('各相关县、区')).toEqual(['各相关县', '各相关区']);
  });

  it('keeps comma groups apart and gives no prefix to enterprises, places and ranked names', () => {
    expect(names('鹤壁供电公司,移动、联通、电信、铁塔鹤壁分公司')).toEqual([
      '鹤壁供电公司',
      '移动鹤壁分公司',
      '联通鹤壁分公司',
      '电信鹤壁分公司',
      '铁塔鹤壁分公司',
    ]);
    expect(names('市文明办、团市委、越秀区政府、山东黄河河务局、国家发展改革委')).toEqual([
      '市文明办',
      '团市委',
      '越秀区政府',
      '山东黄河河务局',
      '国家发展改革委',
    ]);
  });

  it('shares a suffix with a qualified item and a qualifier with a bare level word', () => {
    expect(names('各省辖市、县（市）政府')).toEqual(['各省辖市政府', '各县（市）政府']);
    expect(names('各地区、各有关部门')).toEqual(['各地区', '各有关部门']);
    expect(names('省发展改革委、财政厅、住房城乡建设厅')).toEqual(['省发展改革委', '省财政厅', '省住房城乡建设厅']);
  });

  it('marks "X（牵头）" as the lead and strips the mark', () => {
    const [a, b] = normaliseUnitList('市住建局（牵头）、财政局');
    expect([a.name, a.isMarkedLead, b.name, b.isMarkedLead]).toEqual(['市住建局', true, '市财政局', undefined]);
  });

  it('drops 等 / 等部门 but keeps the mention as written', () => {
    expect(names('市发改委、财政局等部门')).toEqual(['市发改委', '市财政局']);
    expect(mentions('市财政局、城乡规划管理局')).toEqual(['市财政局', '城乡规划管理局']);
  });

  it('does not split inside brackets', () => {
    expect(names('各县（市、区）政府')).toEqual(['各县（市、区）政府']);
  });
});

describe('normaliseUnitList: 及 and vertically managed bodies', () => {
  it('splits "X部门及Y政府" but not names with 和', () => {
    expect(names('市级各有关部门及各县市区政府')).toEqual(['市级各有关部门', '各县市区政府']);
    expect(names('省经济和信息化厅、省文化和旅游厅')).toEqual(['省经济和信息化厅', '省文化和旅游厅']);
    expect(names('住房和城乡建设部及有关部门')).toEqual(['住房和城乡建设部', '有关部门']);
  });

  it('gives no level prefix to a customs office named after its place', () => {
    expect(names('省财政厅、合肥海关、省税务局')).toEqual(['省财政厅', '合肥海关', '省税务局']);
  });

  it('shares 政府 over "各县、市、区政府"', () => {
    expect(names('各县、市、区政府')).toEqual(['各县政府', '各市政府', '各区政府']);
  });
});

describe('normaliseUnitList: bodies that carry their own authority (round two, class 2)', () => {
  it('gives a shared 省 to provincial departments only', () => {
    expect(
      names(
        '省发展改革委、中国铁路郑州局集团、国网安阳供电公司、长江水利委员会、民航湖北监管局、中国铁塔江西分公司、海关、人民银行武汉分行、交通运输厅',
      ),
    ).toEqual([
      '省发展改革委',
      '中国铁路郑州局集团',
      '国网安阳供电公司',
      '长江水利委员会',
      '民航湖北监管局',
      '中国铁塔江西分公司',
      '海关',
      '人民银行武汉分行',
      '省交通运输厅',
    ]);
  });

  it('still prefixes ordinary departments whose names merely contain such words', () => {
    expect(names('省市场监管局、药品监管局、地方金融监管局')).toEqual(['省市场监管局', '省药品监管局', '省地方金融监管局']);
  });
});

describe('normaliseUnitList: 会同 between two whole names (round four, class 1)', () => {
  it('splits "X会同Y" into two units, and leaves a name containing 会同 alone', () => {
    expect(normaliseUnitList('市发展改革委会同市财政局').map((t) => t.name)).toEqual(['市发展改革委', '市财政局']);
    expect(normaliseUnitList('省交通运输厅会同省公安厅、省应急管理厅').map((t) => t.name)).toEqual([
      '省交通运输厅',
      '省公安厅',
      '省应急管理厅',
    ]);
    expect(normaliseUnitList('市社会会同委员会').map((t) => t.name)).toEqual(['市社会会同委员会']);
  });
});

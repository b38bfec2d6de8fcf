import { describe, expect, it } from 'vitest';
import { parseHeader, signatureYear } from './header.parser.ts';

const head = (text: string) => parseHeader(text, text.length);

describe("parseHeader: letterhead noise of OCR'd scans (round two, class 7)", () => {
  it('reads title, issuer and year past urgency marks, copy numbers, 签发人 and a garbled 文号', () => {
    const text =
      '特提\n000123\n安徽省人民政府文件\n皖政[2019]的12号\n签发人：王五\n安徽省人民政府\n关于印发安徽省打赢蓝天保卫战三年行动计划的通知\n各市、县人民政府：\n';
    expect(head(text)).toEqual({ title: '安徽省打赢蓝天保卫战三年行动计划', issuer: '安徽省人民政府', year: 2019 });
  });

  it('reads the same head when OCR ran it into one line', () => {
    const text =
      '特提安徽省人民政府文件皖政[2019]的12号签发人:王五安徽省人民政府关于印发安徽省打赢蓝天保卫战三年行动计划的通知各市、县人民政府：现印发给你们。';
    expect(head(text)).toEqual({ title: '安徽省打赢蓝天保卫战三年行动计划', issuer: '安徽省人民政府', year: 2019 });
  });

  it('reads an issuer line above the notice title after a secrecy mark, and a 文号 in ( )', () => {
    expect(head('机密★1年\n皖政办(2020)3号\n安徽省人民政府办公厅\n关于印发城市更新实施方案的通知\n')).toEqual({
      title: '城市更新实施方案',
      issuer: '安徽省人民政府办公厅',
      year: 2020,
    });
  });

  it('keeps a date line that starts with the year', () => {
    expect(head('某区人民政府\n2023年3月28日\n某区2023年重点工作\n任务分解方案\n为贯彻').title).toBe('某区2023年重点工作任务分解方案');
  });
});

describe('signatureYear (round three, after the measurement)', () => {
  it('reads the year of a date line at the end of the document', () => {
    expect(signatureYear('一、总体要求\n正文。今年内要清理完毕。\n广东省人民政府办公厅\n2012年10月9日\n')).toBe(2012);
    expect(signatureYear('正文。\n某县人民政府\n二〇一九年三月五日')).toBe(2019);
    expect(signatureYear('正文提到2012年10月9日召开的会议。')).toBeNull();
  });
});

describe('parseHeader: a dated issuer line above the title (round four, class 7)', () => {
  it('does not join "市人民政府办公室 2018 年 3 月" to the plan title under it', () => {
    expect(
      head('市人民政府办公室 2018 年 3 月\n【密级】特提\n某政办〔2018〕的12号\n签发人：张三\n某市2018年城市建设工作方案\n').title,
    ).toBe('某市2018年城市建设工作方案');
    expect(head('某县人民政府\n二〇一九年五月\n某县农村人居环境整治实施方案\n').title).toBe('某县农村人居环境整治实施方案');
  });
});

describe('parseHeader: the year of a plan for a period (round four, class 6)', () => {
  it('takes the first year of "(2022—2024年)" as the plan year', () => {
    expect(head('某市新型基础设施建设三年行动方案(2022—2024年)\n一、目标\n').year).toBe(2022);
    expect(head('某省打赢蓝天保卫战行动计划（2018-2020年）\n').year).toBe(2018);
    expect(head('某市2018年城市建设工作方案\n').year).toBe(2018);
  });
});

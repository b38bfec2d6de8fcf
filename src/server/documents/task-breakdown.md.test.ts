import { describe, expect, it } from 'vitest';
import { buildTaskBreakdownFixture } from './task-breakdown.fixture.ts';
import { formatTaskBreakdownMarkdown } from './task-breakdown.md.ts';

describe('formatTaskBreakdownMarkdown', () => {
  const markdown = formatTaskBreakdownMarkdown(buildTaskBreakdownFixture());

  it('opens with the title and the plan facts', () => {
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '# 鹤壁市2018年度百城建设提质工程工作实施方案 任务分解表',
      '',
      '发文单位：鹤壁市人民政府办公室 · 年度：2018 · 任务：3 项',
    ]);
  });

  it('follows the outline with headings written as the plan numbers them', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# 鹤壁市2018年度百城建设提质工程工作实施方案 任务分解表',
      '## 二、主要目标',
      '## 三、重点任务',
      '### (一)完善规划体系,深化城市设计',
      '### (三)完善市政基础设施,增强综合承载能力',
      '#### 1.改善城市道路环境,提高交通出行效率',
    ]);
  });

  it('lists each task with its units per role, deadlines and targets', () => {
    expect(markdown).toContain(
      [
        '**任务 3**',
        '',
        '> 大力实施公交优先发展战略,市城区及两县均要基本实现中心城区公交站点500米全覆盖,城市公共交通出行分担率分别达到25%、20%以上,绿色出行分担率达到85%以上。',
        '',
        '- 牵头单位：市交通运输局',
        '- 责任单位：各县区政府、各县区管委',
        '- 配合单位：市财政局、市城乡规划管理局',
        '- 量化指标：',
        '  - 市城区：城市公共交通出行分担率 不低于25%',
        '  - 公交换乘枢纽 1—2个',
      ].join('\n'),
    );
    expect(markdown).toContain('- 完成时限：2018年6月30日；2018年12月31日');
    expect(markdown).toContain('- 指标：服务业“两区”增加值增长 不低于15%');
  });

  it('keeps tasks in document order under their sections', () => {
    const numbers = [...markdown.matchAll(/\*\*任务 (\d+)\*\*/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual([1, 2, 3]);
    expect(markdown.indexOf('**任务 2**')).toBeGreaterThan(markdown.indexOf('#### 1.改善城市道路环境'));
  });

  it('escapes markdown syntax in plan text and lists tasks whose section is missing', () => {
    const extract = buildTaskBreakdownFixture();
    extract.tasks[0].sectionPath = ['九'];
    extract.tasks[0].text = '按照《关于印发<方案>的通知》*要求*';
    const md = formatTaskBreakdownMarkdown(extract);
    expect(md).toContain('## 未归入章节的任务\n\n**任务 1**\n\n> 按照《关于印发\\<方案\\>的通知》\\*要求\\*');
  });
});

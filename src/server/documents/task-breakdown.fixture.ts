/**
 * A hand-built PlanExtract of three tasks from the Hebi 2018 plan, for the 任务分解表 tests.
 * Built by hand rather than by parsePlan so the renderers are tested against a known extraction,
 * independent of how well the parser does on any given day.
 */
import type { PlanExtract, Section, Task, UnitRef } from '../../plan-parser/plan-extract.types.ts';

const unit = (name: string, mention = name): UnitRef => ({ mention, name });

const counties = [unit('各县区政府', '各县区政府'), unit('各县区管委', '管委')];

const section = (path: string[], title: string, span: [number, number], children: Section[] = []): Section => ({
  path,
  title,
  span,
  children,
  deadlines: [],
  targets: [],
});

function clauseWithAssignment(
  start: number,
  clause: string,
  assignment: string,
  units: Omit<Task['assignment'], 'span'>,
): Pick<Task, 'text' | 'span' | 'assignment'> {
  const text = clause + assignment;
  const at = start + clause.length;
  return { text, span: [start, start + text.length], assignment: { span: [at, at + assignment.length], ...units } };
}

/** Three tasks under 三(一) and 三(三)1, with deadlines, ranged and compared targets. */
export function buildTaskBreakdownFixture(): PlanExtract {
  return {
    title: '鹤壁市2018年度百城建设提质工程工作实施方案',
    issuer: '鹤壁市人民政府办公室',
    year: 2018,
    sections: [
      {
        ...section(['二'], '主要目标', [600, 900]),
        targets: [
          {
            value: 15,
            unit: '%',
            comparator: '>=',
            jurisdictions: [],
            metric: '服务业“两区”增加值增长',
            text: '力争服务业“两区”增加值增长15%以上',
            span: [800, 820],
          },
        ],
      },
      section(
        ['三'],
        '重点任务',
        [900, 9400],
        [
          section(['三', '(一)'], '完善规划体系,深化城市设计', [910, 1180]),
          section(
            ['三', '(三)'],
            '完善市政基础设施,增强综合承载能力',
            [1640, 5800],
            [section(['三', '(三)', '1'], '改善城市道路环境,提高交通出行效率', [1660, 2700])],
          ),
        ],
      ),
    ],
    tasks: [
      {
        sectionPath: ['三', '(一)'],
        text: '(一)完善规划体系,深化城市设计。市级和淇县应于2018年6月底前完成城市总体设计、各类专项规划的修编完善,12月底前完成重点区域的城市设计。',
        span: [910, 1127],
        assignment: {
          span: [1127, 1160],
          lead: [unit('市城乡规划管理局')],
          responsible: counties,
          cooperating: [],
        },
        deadlines: [
          { date: '2018-12-31', text: '12月底前', span: [1090, 1095] },
          { date: '2018-06-30', text: '2018年6月底前', span: [1020, 1030] },
          { date: '2018-12-31', text: '2018年年底前', span: [1100, 1108] },
        ],
        targets: [],
      },
      {
        sectionPath: ['三', '(三)', '1'],
        text: '\n1.改善城市道路环境,提高交通出行效率。加快实施“断头路”“卡脖路”打通工程,淇县要打通70%的“断头路”“卡脖路”,市各城区、浚县要打通50%的“断头路”“卡脖路”。',
        span: [1660, 1709],
        assignment: { span: [1709, 1724], lead: [], responsible: counties, cooperating: [] },
        deadlines: [],
        targets: [
          {
            value: 70,
            unit: '%',
            comparator: '=',
            jurisdictions: ['淇县'],
            metric: '断头路卡脖路打通比例',
            text: '淇县要打通70%',
            span: [1680, 1689],
          },
          {
            value: 50,
            unit: '%',
            comparator: '=',
            jurisdictions: ['市各城区', '浚县'],
            metric: '断头路卡脖路打通比例',
            text: '市各城区、浚县要打通50%',
            span: [1690, 1705],
          },
        ],
      },
      {
        sectionPath: ['三', '(三)', '1'],
        // As the parser gives it: the clause runs through its assignment, and the spans agree.
        ...clauseWithAssignment(
          1724,
          '大力实施公交优先发展战略,市城区及两县均要基本实现中心城区公交站点500米全覆盖,城市公共交通出行分担率分别达到25%、20%以上,绿色出行分担率达到85%以上。',
          '(牵头单位:市交通运输局,责任单位:各县区政府、管委,配合单位:市财政局、城乡规划管理局)',
          {
            lead: [unit('市交通运输局')],
            responsible: counties,
            cooperating: [unit('市财政局'), unit('市城乡规划管理局', '城乡规划管理局')],
          },
        ),
        deadlines: [],
        targets: [
          {
            value: 25,
            unit: '%',
            comparator: '>=',
            jurisdictions: ['市城区'],
            metric: '城市公共交通出行分担率',
            text: '分担率分别达到25%',
            span: [1790, 1800],
          },
          {
            value: 1,
            max: 2,
            unit: '个',
            comparator: '=',
            jurisdictions: [],
            metric: '公交换乘枢纽',
            text: '1—2个',
            span: [1810, 1814],
          },
        ],
      },
    ],
  };
}

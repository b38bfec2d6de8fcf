/**
 * The text of a supervision 通报 (督办情况通报) drafted from one reporting period's supervision
 * record: pure (facts in, BulletinContent out) so the same facts always give the same draft.
 * The facts are assembled by the caller from the record as of the period; the programme name
 * and issuer come from settings/organisations, never from here.
 */
import type { EscalationStep } from '../../../shared/enums.ts';
import type { BulletinContent } from '../../../shared/schemas/assessment.schema.ts';
import { STEP_LABEL } from './escalation.rules.ts';

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** One notice as it stood at the end of the period, per receiving unit. */
export interface SupervisionBulletinNotice {
  orgId: string;
  reason: string;
  dueDate: string;
  /** First answer date of this unit (YYYY-MM-DD), null when unanswered by the period end. */
  answeredOn: string | null;
  /** Highest escalation step reached by the period end. */
  escalationStep: EscalationStep | null;
}

/** Facts of one period (or period range) for the draft. */
export interface SupervisionBulletinFacts {
  programme: string;
  /** e.g. "11月份" or "9—11月份" */
  periodLabel: string;
  issuerName: string;
  issuerShort: string;
  year: number;
  serial: number;
  today: string;
  units: { orgId: string; name: string }[];
  notices: SupervisionBulletinNotice[];
  /** Units whose reports for the period were missing / late. */
  reportsMissing: string[];
  reportsLate: string[];
}

const cnDate = (d: string) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

/** Drafts the 通报: overall, late/unanswered units named, escalations, reports, 整改时限, 附件 table. */
export function draftSupervisionContent(f: SupervisionBulletinFacts): BulletinContent {
  const name = new Map(f.units.map((u) => [u.orgId, u.name]));
  const nameOf = (id: string) => name.get(id) ?? id;
  const onTime = f.notices.filter((n) => n.answeredOn !== null && n.answeredOn <= n.dueDate);
  const late = f.notices.filter((n) => n.answeredOn !== null && n.answeredOn > n.dueDate);
  const unanswered = f.notices.filter((n) => n.answeredOn === null);
  // Units in the order given (the office's unit order); a unit appears once however many notices it has.
  const unitsOf = (ns: SupervisionBulletinNotice[]) => f.units.filter((u) => ns.some((n) => n.orgId === u.orgId)).map((u) => u.name);
  const rungs = (step: EscalationStep) => unitsOf(f.notices.filter((n) => n.escalationStep === step));
  const title = `关于${f.periodLabel}${f.programme}督办情况的通报`;
  const p: string[] = [];
  let k = 0;
  const heading = (t: string) => `${CN_NUM[k++]}、${t}`;
  p.push(`按照${f.programme}督办工作要求，现将${f.periodLabel}督办情况通报如下：`);
  p.push(heading('总体情况'));
  p.push(
    `${f.periodLabel}共下发督办通知${f.notices.length}件，按期答复${onTime.length}件，逾期答复${late.length}件，未答复${unanswered.length}件。`,
  );
  p.push(heading('逾期和未答复单位'));
  p.push(`逾期答复：${unitsOf(late).join('、') || '无'}。未答复：${unitsOf(unanswered).join('、') || '无'}。`);
  p.push(heading('升级督办'));
  const interview = rungs('interview');
  const accountability = rungs('accountability');
  p.push(
    [interview.length ? `对${interview.join('、')}进行约谈` : '', accountability.length ? `对${accountability.join('、')}启动问责程序` : '']
      .filter(Boolean)
      .join('；')
      .concat('。')
      .replace(/^。$/, '本期无单位升级至约谈或问责。'),
  );
  p.push(heading('报表报送'));
  p.push(`未报送：${f.reportsMissing.join('、') || '无'}。逾期报送：${f.reportsLate.join('、') || '无'}。`);
  const open = [...late, ...unanswered].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.orgId.localeCompare(b.orgId));
  if (open.length > 0) {
    p.push(heading('存在问题及整改时限'));
    for (const [i, n] of open.entries())
      p.push(`（${CN_NUM[i] ?? String(i + 1)}）${nameOf(n.orgId)}：${n.reason}，整改时限${cnDate(n.dueDate)}。`);
  }
  p.push('[TABLE]');
  const rows = f.units
    .map((u) => {
      const mine = f.notices.filter((n) => n.orgId === u.orgId);
      const steps = mine.map((n) => n.escalationStep).filter((s): s is EscalationStep => s !== null);
      return [
        u.name,
        String(mine.length),
        String(mine.filter((n) => onTime.includes(n)).length),
        String(mine.filter((n) => late.includes(n)).length),
        steps.map((s) => STEP_LABEL[s]).join('、') || '—',
      ];
    })
    .filter((r) => r[1] !== '0');
  const header = ['单位', '督办通知', '按期答复', '逾期答复', '升级督办'];
  return {
    issuer: `${f.issuerName}文件`,
    docNumber: `${f.issuerShort}〔${f.year}〕${f.serial}号`,
    title,
    addressee: '各有关单位：',
    paragraphs: p,
    table: { caption: `${f.periodLabel}督办情况`, header, rows },
    attachments: [{ title: `${f.periodLabel}各单位督办情况`, header, rows }],
    signature: f.issuerName,
    date: cnDate(f.today),
    copyTo: '抄送：各有关单位。',
    printedBy: `${f.issuerName}\t${cnDate(f.today)}印发`,
  };
}

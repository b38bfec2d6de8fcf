/**
 * Bulletins (通报): drafted from a final assessment's data, edited by the office, issued (text
 * frozen, numbered 〔year〕N号 per year), rendered as .docx and .pdf on download from the stored
 * text. The text is drafted from the result alone; names come from the organisations, the scheme
 * and the assessment, never from the product.
 */
import { randomUUID } from 'node:crypto';
import { type AssessmentResult, type Scheme, honourRoll } from '../../../assessment/index.ts';
import { addDays } from '../../../shared/china-date.ts';
import type { Bulletin, BulletinContent } from '../../../shared/schemas/assessment.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { BulletinsTable } from '../../db/database.types.ts';
import { getOrganisation } from '../organisations/organisations.service.ts';
import { assertOffice } from './assessment.policy.ts';
import {
  findBulletinRow,
  insertBulletinRow,
  listBulletinRows,
  listConsequenceRows,
  maxBulletinSerial,
  updateBulletinIfVersion,
} from './assessment.repository.ts';
import { listFinalAssessments, loadForBulletin } from './assessment.service.ts';
import { renderBulletinDocx } from './bulletin-docx.ts';
import { bulletinMissingGlyphs, renderBulletinPdf } from './bulletin-pdf.ts';

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 2018年7月10日 */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function toBulletin(r: BulletinsTable): Bulletin {
  const content = JSON.parse(r.content_json) as BulletinContent;
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    year: r.year,
    serial: r.serial,
    status: r.status as 'draft' | 'issued',
    content,
    missingGlyphs: bulletinMissingGlyphs(content),
    issuedAt: r.issued_at,
    version: r.version,
    createdAt: r.created_at,
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** The draft text from the data: overall progress, the ranking table, 红黑榜, problems with 整改时限, consequences, 附件. */
export function draftContent(
  input: { title: string; issuerName: string; issuerShort: string; year: number; serial: number; today: string },
  scheme: Scheme,
  result: AssessmentResult,
  consequences: { orgId: string; kind: string }[],
): BulletinContent {
  // In the scheme's group order, then by rank.
  const groupIndex = (g: string | null) => scheme.groups.findIndex((x) => x.id === g);
  const units = [...result.units].sort((a, b) => groupIndex(a.groupId) - groupIndex(b.groupId) || a.rank - b.rank);
  const nameOf = new Map(units.map((u) => [u.orgId, u.name]));
  const tierLabel = new Map(scheme.tiers.tiers.map((t) => [t.id, t.label]));
  const avg = units.length ? units.reduce((s, u) => s + u.total, 0) / units.length : 0;
  const tierCounts = scheme.tiers.tiers.map((t) => `${t.label}${units.filter((u) => u.tierId === t.id).length}个`).join('、');
  const groupIds = [...new Set(units.map((u) => u.groupId))];
  const rolls = groupIds.map((g) => ({
    g,
    label: scheme.groups.find((x) => x.id === g)?.label ?? '',
    ...honourRoll(units, g, scheme.honourCount),
  }));
  const red = rolls.flatMap((r) => r.red.map((u) => u.name));
  const black = rolls.flatMap((r) => r.black.map((u) => u.name));
  // Problems: the rules that cost most points over all units.
  const lost = new Map<string, { label: string; points: number; count: number; orgs: Set<string> }>();
  for (const u of units) {
    for (const l of u.lines) {
      if (l.points >= 0) continue;
      const e = lost.get(l.ruleId) ?? { label: l.label, points: 0, count: 0, orgs: new Set<string>() };
      e.points += l.points;
      e.count += l.count;
      e.orgs.add(u.name);
      lost.set(l.ruleId, e);
    }
  }
  const problems = [...lost.values()].sort((a, b) => a.points - b.points).slice(0, 5);
  const deadline = chineseDate(addDays(input.today, 30));
  const byKind = (k: string) => consequences.filter((c) => c.kind === k).map((c) => nameOf.get(c.orgId) ?? '');
  const sections: string[] = [];
  let n = 0;
  const heading = (t: string) => `${CN_NUM[n++]}、${t}`;
  sections.push(`按照考核方案，${input.issuerName}对${units.length}个单位进行了${input.title}。现将有关情况通报如下：`);
  sections.push(heading('总体情况'));
  sections.push(`本次考核平均得分${fmt(Math.round(avg * 100) / 100)}分。其中，${tierCounts}。`);
  sections.push(heading('考核排名'));
  sections.push('各单位得分及排名见下表。');
  sections.push('[TABLE]');
  sections.push(heading('红榜和黑榜'));
  sections.push(`红榜：${red.join('、') || '无'}。黑榜：${black.join('、') || '无'}。`);
  if (problems.length > 0) {
    sections.push(heading('存在问题'));
    for (const [i, p] of problems.entries())
      sections.push(
        `（${CN_NUM[i]}）${p.label}${p.count}项，共扣${fmt(-Math.round(p.points * 100) / 100)}分，涉及${[...p.orgs].join('、')}。`,
      );
    sections.push(`请有关单位对照问题逐项整改，于${deadline}前将整改情况书面报送${input.issuerShort}。`);
  }
  sections.push(heading('结果运用'));
  const interview = byKind('interview');
  const accountability = byKind('accountability');
  const reward = byKind('reward');
  sections.push(
    [
      reward.length ? `对${reward.join('、')}予以通报表扬` : '',
      interview.length ? `对${interview.join('、')}主要负责同志进行约谈` : '',
      accountability.length ? `对${accountability.join('、')}启动问责程序` : '',
    ]
      .filter(Boolean)
      .join('；')
      .concat('。')
      .replace(/^。$/, '考核结果纳入年度综合考评。'),
  );
  const groupLabel = (g: string | null) => scheme.groups.find((x) => x.id === g)?.label ?? '';
  return {
    issuer: `${input.issuerName}文件`,
    docNumber: `${input.issuerShort}〔${input.year}〕${input.serial}号`,
    title: `关于${input.title}结果的通报`,
    addressee: '各有关单位：',
    paragraphs: sections,
    table: {
      caption: `${input.title}排名`,
      header: ['分组', '排名', '单位', '得分', '等次'],
      rows: units.map((u) => [groupLabel(u.groupId), String(u.rank), u.name, fmt(u.total), tierLabel.get(u.tierId) ?? u.tierId]),
    },
    attachments: [
      {
        title: `${input.title}得分明细`,
        header: ['单位', ...scheme.categories.map((c) => c.label), '总分'],
        rows: units.map((u) => [u.name, ...u.categories.map((c) => fmt(c.score)), fmt(u.total)]),
      },
    ],
    signature: input.issuerName,
    date: chineseDate(input.today),
    copyTo: '抄送：各有关单位。',
    printedBy: `${input.issuerName}\t${chineseDate(input.today)}印发`,
  };
}

/** Drafts a bulletin from a final assessment, numbered next in the assessment's year. */
export async function draftBulletin(db: DbOrTrx, assessmentId: string, actor: Actor, today: string): Promise<Bulletin> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const { row, scheme, result } = await loadForBulletin(trx, assessmentId, { actor, mode: 'write' });
    const office = await getOrganisation(trx, actor.orgId);
    const year = Number(row.range_end.slice(0, 4));
    const serial = (await maxBulletinSerial(trx, year)) + 1;
    const consequences = (await listConsequenceRows(trx, assessmentId))
      .filter((c) => c.status !== 'dismissed')
      .map((c) => ({ orgId: c.org_id, kind: c.kind }));
    const content = draftContent(
      { title: row.title, issuerName: office.name, issuerShort: office.aliases[0] ?? office.name, year, serial, today },
      scheme,
      result,
      consequences,
    );
    const id = randomUUID();
    const at = new Date().toISOString();
    await insertBulletinRow(trx, {
      id,
      assessment_id: assessmentId,
      year,
      serial,
      status: 'draft',
      content_json: JSON.stringify(content),
      issued_at: null,
      issued_by: null,
      version: 1,
      created_at: at,
      updated_at: at,
    });
    const after = toBulletin((await findBulletinRow(trx, id))!);
    await appendAudit(trx, { actorId: actor.userId, action: 'bulletin.draft', entityType: 'bulletin', entityId: id, after });
    return after;
  });
}

async function loadVisible(db: DbOrTrx, id: string, actor: Actor, mode: 'read' | 'write' = 'read'): Promise<BulletinsTable> {
  const row = await findBulletinRow(db, id);
  if (!row) throw new AppError('not_found', '通报不存在');
  // Tenancy: a bulletin is its assessment's (404 outside its scope; 403 to change another tenant's).
  const { viewer } = await loadForBulletin(db, row.assessment_id, { actor, mode: 'read' }).catch(notFoundAsBulletin);
  if (mode === 'write') await loadForBulletin(db, row.assessment_id, { actor, mode: 'write' }).catch(notFoundAsBulletin);
  // A draft is the office's working text: to anyone else it does not exist yet.
  if (row.status !== 'issued' && viewer?.role !== 'admin') throw new AppError('not_found', '通报不存在');
  return row;
}

const notFoundAsBulletin = (err: unknown): never => {
  throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', '通报不存在') : err;
};

/** The bulletins of an assessment: issued ones for everyone, drafts too for the office. */
export async function listBulletins(db: DbOrTrx, assessmentId: string, actor: Actor): Promise<{ items: Bulletin[] }> {
  const loaded = await loadForBulletin(db, assessmentId, { actor, mode: 'read' }).catch((err) => {
    if (err instanceof AppError && err.code === 'unprocessable') return null;
    throw err;
  });
  // Not final: no bulletin can exist yet.
  if (!loaded) return { items: [] };
  const viewer = loaded.viewer ?? actor;
  return {
    items: (await listBulletinRows(db, assessmentId)).filter((r) => r.status === 'issued' || viewer.role === 'admin').map(toBulletin),
  };
}

export async function getBulletin(db: DbOrTrx, id: string, actor: Actor): Promise<Bulletin> {
  return toBulletin(await loadVisible(db, id, actor));
}

/** Edits a draft (an issued bulletin never changes). */
export async function updateBulletin(
  db: DbOrTrx,
  id: string,
  body: { version: number; content: BulletinContent },
  actor: Actor,
): Promise<Bulletin> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const before = toBulletin(await loadVisible(trx, id, actor, 'write'));
    if (before.status === 'issued') throw new AppError('unprocessable', '通报已印发，不能修改');
    if (
      (await updateBulletinIfVersion(trx, id, body.version, {
        content_json: JSON.stringify(body.content),
        updated_at: new Date().toISOString(),
      })) === 0
    ) {
      throw new AppError('version_conflict', '通报已被他人修改，请刷新', { current: before });
    }
    const after = toBulletin((await findBulletinRow(trx, id))!);
    await appendAudit(trx, { actorId: actor.userId, action: 'bulletin.update', entityType: 'bulletin', entityId: id, before, after });
    return after;
  });
}

/** Issues a draft: its text is frozen and it becomes visible to everyone. */
export async function issueBulletin(db: DbOrTrx, id: string, version: number, actor: Actor): Promise<Bulletin> {
  return writeTx(db, async (trx) => {
    assertOffice(actor);
    const before = toBulletin(await loadVisible(trx, id, actor, 'write'));
    if (before.status === 'issued') throw new AppError('unprocessable', '通报已印发');
    const at = new Date().toISOString();
    if (
      (await updateBulletinIfVersion(trx, id, version, { status: 'issued', issued_at: at, issued_by: actor.userId, updated_at: at })) === 0
    ) {
      throw new AppError('version_conflict', '通报已被他人修改，请刷新', { current: before });
    }
    const after = toBulletin((await findBulletinRow(trx, id))!);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'bulletin.issue',
      entityType: 'bulletin',
      entityId: id,
      before: { status: before.status },
      after,
    });
    return after;
  });
}

/** The bulletin as .pdf or .docx, rendered from its stored text (an issued one always gives the same text). */
export async function renderBulletin(
  db: DbOrTrx,
  id: string,
  format: 'pdf' | 'docx',
  actor: Actor,
): Promise<{ bytes: Buffer; filename: string; contentType: string }> {
  const row = await loadVisible(db, id, actor);
  const content = JSON.parse(row.content_json) as BulletinContent;
  const name = `${content.docNumber}_${content.title}`.replace(/[\\/:*?"<>|]/g, '_');
  if (format === 'pdf') {
    return {
      bytes: await renderBulletinPdf(content, new Date(row.issued_at ?? row.updated_at)),
      filename: `${name}.pdf`,
      contentType: 'application/pdf',
    };
  }
  return {
    bytes: await renderBulletinDocx(content),
    filename: `${name}.docx`,
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
}

/** Every issued bulletin (what the public portal may publish), with its frozen issued text. */
export async function listIssuedBulletins(db: DbOrTrx): Promise<Bulletin[]> {
  const out: Bulletin[] = [];
  for (const a of await listFinalAssessments(db)) {
    for (const r of await listBulletinRows(db, a.id)) if (r.status === 'issued') out.push(toBulletin(r));
  }
  return out;
}

/** One issued bulletin, for publishing. 404 when unknown, 422 while it is a draft. */
export async function getIssuedBulletin(db: DbOrTrx, id: string): Promise<Bulletin> {
  const row = await findBulletinRow(db, id);
  if (!row) throw new AppError('not_found', '通报不存在');
  if (row.status !== 'issued') throw new AppError('unprocessable', '只有已印发的通报可以向社会公布');
  return toBulletin(row);
}

/** The PDF of an issued bulletin's frozen text (the portal keeps the text; the renderer stays here). */
export function renderIssuedBulletinPdf(content: BulletinContent, issuedAt: string | null): Promise<Buffer> {
  return renderBulletinPdf(content, new Date(issuedAt ?? 0));
}

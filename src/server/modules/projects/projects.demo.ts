/**
 * The Hebi demo's project library (issue 14): about sixty projects over the five districts in
 * the categories the 2018 plan names, in every life-cycle state, with plausible investments and
 * funding mixes, linked to the plan's 公厕/学校/管廊 targets, and 调度 reports in the plan's
 * 2018 periods that exist. Deterministic (a seeded generator), created through the services so
 * every row is validated and audited like a user's. Hebi-specific on purpose: demo data only.
 */
import type { Actor } from '../../core/actor.ts';
import type { Db } from '../../db/database.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { listPeriods } from '../reporting/periods.service.ts';
import { listUsers } from '../users/users.service.ts';
import type { Boundary } from './project-boundary.rule.ts';
import { loadBoundary } from './project-boundary.rule.ts';
import { acceptProject, completeProject, createProject, reviewProject, submitProject, transition } from './projects.service.ts';
import { writeTx } from '../../core/transaction.ts';
import { findProjectRow } from './projects.repository.ts';
import { demoPdf, demoSitePhoto } from './project-files.demo.ts';
import { addProjectFile } from './project-files.service.ts';
import { saveProjectReport } from './project-reports.service.ts';

const DISTRICTS = [
  {
    org: '淇滨区政府',
    name: '淇滨区',
    at: [114.298789, 35.741592],
    streets: ['九州路', '华夏南路', '淇河路', '黎阳路', '长江路', '兴鹤大街'],
  },
  { org: '山城区政府', name: '山城区', at: [114.184318, 35.898033], streets: ['红旗街', '朝阳路', '山城路', '矿山路', '长风路', '建设路'] },
  {
    org: '鹤山区政府',
    name: '鹤山区',
    at: [114.163258, 35.954611],
    streets: ['鹤山街', '中山路', '九矿路', '红卫路', '鹤煤大道', '东头村路'],
  },
  {
    org: '淇县政府',
    name: '淇县',
    at: [114.208828, 35.622507],
    streets: ['朝歌路', '摘心台路', '淇河大道', '卫都路', '太行路', '云梦大道'],
  },
  { org: '浚县政府', name: '浚县', at: [114.55091, 35.67636], streets: ['黎阳路', '浮丘路', '卫溪路', '文治路', '大伾路', '古城路'] },
] as const;

/** Category, name pattern, investment range in 万元, funding mix (source: share), the contribution's target word and amount. */
interface Kind {
  code: string;
  label: (street: string) => string;
  wan: readonly [number, number];
  mix: Record<string, number>;
  target?: string;
  amount?: number;
}

const KINDS: readonly Kind[] = [
  {
    code: 'public_toilet',
    label: (s: string) => `${s}新建公厕`,
    wan: [40, 90],
    mix: { county: 0.6, municipal: 0.4 },
    target: '公厕',
    amount: 2,
  },
  {
    code: 'back_street',
    label: (s: string) => `${s}背街小巷综合改造`,
    wan: [300, 1500],
    mix: { county: 0.5, provincial: 0.2, special_bond: 0.3 },
  },
  { code: 'park', label: (s: string) => `${s}街头游园建设`, wan: [120, 600], mix: { county: 0.7, social: 0.3 } },
  {
    code: 'school',
    label: (s: string) => `${s}义务教育学校新建`,
    wan: [3000, 8000],
    mix: { central: 0.3, provincial: 0.2, county: 0.2, special_bond: 0.3 },
    target: '学校',
    amount: 1,
  },
  {
    code: 'heating',
    label: (s: string) => `${s}集中供热管网改造`,
    wan: [1200, 5000],
    mix: { policy_finance: 0.4, social: 0.4, county: 0.2 },
  },
  {
    code: 'old_community',
    label: (s: string) => `${s}老旧小区改造`,
    wan: [600, 3000],
    mix: { central: 0.5, provincial: 0.1, county: 0.4 },
  },
  {
    code: 'utility_tunnel',
    label: (s: string) => `${s}地下综合管廊`,
    wan: [9000, 30000],
    mix: { special_bond: 0.4, policy_finance: 0.3, social: 0.2, county: 0.1 },
    target: '管廊',
    amount: 2,
  },
  { code: 'road', label: (s: string) => `${s}道路改造提升`, wan: [1500, 8000], mix: { county: 0.4, special_bond: 0.4, provincial: 0.2 } },
  { code: 'water_supply', label: (s: string) => `${s}供水管网改造`, wan: [500, 2500], mix: { county: 0.5, policy_finance: 0.5 } },
];

/** The state each of a district's twelve projects ends in. */
const STATES = [
  'draft',
  'draft',
  'submitted',
  'returned',
  'reserve',
  'admitted',
  'admitted',
  'in_progress',
  'in_progress',
  'in_progress',
  'completed',
  'accepted',
] as const;

function generator(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/** Integer 元 split by shares; the first source takes the rounding remainder, so the rows sum exactly. */
function split(totalYuan: number, mix: Record<string, number>): { sourceCode: string; planned: number; arrived: number }[] {
  const rows = Object.entries(mix).map(([sourceCode, share]) => ({
    sourceCode,
    planned: Math.floor((totalYuan * share) / 10_000) * 10_000,
    arrived: 0,
  }));
  rows[0]!.planned += totalYuan - rows.reduce((a, r) => a + r.planned, 0);
  return rows;
}

/**
 * Seeds the demo library on a database that has the Hebi registry, demo accounts and the
 * confirmed 2018 plan `planId`. With `uploadDir`, every third project carries its 立项批复 as a
 * PDF (附件) and each monthly report of a project in implementation a site photo (现场照片),
 * stored through the evidence store as an upload is. Returns the number of projects created.
 */
export async function seedDemoProjects(
  db: Db,
  planId: string,
  options: { uploadDir?: string; boundaryFile?: string } = {},
): Promise<number> {
  const boundaryFile = options.boundaryFile ?? './samples/geo/hebi-districts.geojson';
  const { uploadDir } = options;
  const boundary: Boundary = loadBoundary(boundaryFile);
  const orgs = new Map((await listOrganisations(db)).items.map((o) => [o.name, o.id]));
  const users = (await listUsers(db)).items;
  const adminUser = users.find((u) => u.role === 'admin');
  if (!adminUser) return 0;
  const actorOf = (u: (typeof users)[number]): Actor => ({ userId: u.id, orgId: u.orgId, role: u.role, displayName: u.displayName });
  const admin = actorOf(adminUser);
  const targets = (await listTasks(db, planId, { limit: 500, offset: 0 }, '2018-01-01')).items.flatMap((t) => t.targets);
  const targetFor = (word?: string) => (word ? targets.find((t) => t.metric.includes(word) || t.text.includes(word)) : undefined);
  const periods = (await listPeriods(db, planId)).items.filter((p) => p.start.startsWith('2018') && p.status === 'open');
  const random = generator(2018);
  let created = 0;
  for (const [d, district] of DISTRICTS.entries()) {
    const orgId = orgs.get(district.org);
    if (!orgId) continue;
    // The county's own account acts for it when the demo has one (淇县), else the office files for it.
    const own = users.find((u) => u.role === 'unit' && u.orgId === orgId);
    const unit = own ? actorOf(own) : admin;
    for (const [i, state] of STATES.entries()) {
      const kind = KINDS[(i + d * 2) % KINDS.length]!;
      const street = district.streets[i % district.streets.length]!;
      const wan = Math.round(kind.wan[0] + random() * (kind.wan[1] - kind.wan[0]));
      const total = wan * 10_000;
      const multiYear = kind.code === 'utility_tunnel' || kind.code === 'school';
      const annual = multiYear ? Math.round(total * 0.4) : total;
      const funding = split(total, kind.mix);
      const started = state === 'in_progress' || state === 'completed' || state === 'accepted';
      if (started) for (const f of funding) f.arrived = Math.floor((f.planned * (0.2 + random() * 0.3)) / 10_000) * 10_000;
      const startMonth = 3 + Math.floor(random() * 3);
      const target = targetFor(kind.target);
      const body = {
        name: kind.label(`${district.name}${street}`),
        categoryCode: kind.code,
        ownerName: `${district.name}住房和城乡建设局`,
        location: { lng: district.at[0] + (random() - 0.5) * 0.04, lat: district.at[1] + (random() - 0.5) * 0.04, datum: 'GCJ02' as const },
        address: `${district.name}${street}`,
        nature: (i % 3 === 0 ? 'expansion' : 'new') as 'new' | 'expansion',
        scale: `${kind.label('')}，${district.name}${street}一带`,
        startDate: `2018-0${startMonth}-01`,
        endDate: multiYear ? '2019-12-31' : `2018-${10 + (i % 3)}-30`,
        totalInvestment: total,
        planYear: state === 'reserve' ? 2019 : 2018,
        annualPlan: annual,
        funding,
        prep: [
          { kind: 'approval' as const, state: 'done' as const, docNo: `鹤发改〔2018〕${100 + d * 12 + i}号`, date: '2018-02-20' },
          {
            kind: 'land' as const,
            state: kind.code === 'back_street' ? ('not_needed' as const) : ('done' as const),
            docNo: '',
            date: null,
          },
          { kind: 'construction' as const, state: started ? ('done' as const) : ('pending' as const), docNo: '', date: null },
        ],
        taskIds: target ? [target.taskId] : [],
        targets: target ? [{ targetId: target.id, contribution: kind.amount ?? 1 }] : [],
      };
      const p = await createProject(db, unit, { ...body, orgId }, boundary);
      created += 1;
      const docNo = body.prep[0].docNo;
      if (uploadDir && i % 3 === 1) {
        const pdf = demoPdf([
          `Project approval (Luoshi demo)`,
          `Hebi DRC 2018 No. ${100 + d * 12 + i}`,
          `Total investment: ${wan} x 10k CNY`,
        ]);
        await addProjectFile(db, uploadDir, p.id, { bytes: pdf, filename: `立项批复（${docNo}）.pdf` }, null, unit);
      }
      if (state === 'draft') continue;
      const version = (await submitProject(db, unit, p.id, { version: p.version, note: '' })).version;
      if (state === 'submitted') continue;
      if (state === 'returned') {
        await reviewProject(db, admin, p.id, {
          version,
          decision: 'return',
          note: '前期手续不全，请补充用地和规划许可后重新报送',
          planYear: undefined,
        });
        continue;
      }
      if (state === 'reserve') {
        await reviewProject(db, admin, p.id, { version, decision: 'reserve', note: '列入2019年储备', planYear: 2019 });
        continue;
      }
      await reviewProject(db, admin, p.id, { version, decision: 'admit', note: '', planYear: 2018 });
      if (!started) continue;
      if (periods.length === 0) {
        // No 2018 period open (another LUOSHI_TODAY): the start is recorded without a report.
        const row = await findProjectRow(db, p.id);
        if (row) await writeTx(db, (trx) => transition(trx, unit, row, 'in_progress', '已开工'));
      }
      for (const period of periods) {
        const invested = Math.floor((annual * (0.15 + random() * 0.2)) / 10_000) * 10_000;
        const pct = state === 'in_progress' ? 30 + Math.floor(random() * 40) : 100;
        const report = {
          periodId: period.id,
          investment: invested,
          progressText: state === 'in_progress' ? '主体施工中' : '主体完工，进入扫尾',
          progressPct: pct,
          problems: i % 4 === 0 ? '部分资金未到位' : '',
          started: true,
          // Part of the month's money arrives from the first source (the county's share, mostly).
          arrivals: [
            { sourceCode: funding[0]!.sourceCode, amount: Math.min(funding[0]!.planned, Math.floor((invested * 0.6) / 10_000) * 10_000) },
          ],
        };
        if (uploadDir) {
          // A photo goes on a draft report, as a unit files it: save, attach, then submit.
          const draft = await saveProjectReport(db, unit, p.id, { ...report, submit: false });
          await addProjectFile(
            db,
            uploadDir,
            p.id,
            { bytes: demoSitePhoto(2018 + d * 12 + i, pct), filename: `现场照片-${period.label}.png` },
            draft.id,
            unit,
          );
        }
        await saveProjectReport(db, unit, p.id, { ...report, submit: true });
      }
      if (state === 'completed' || state === 'accepted') {
        const row = await findProjectRow(db, p.id);
        if (row?.status !== 'in_progress') continue;
        const done = await completeProject(db, unit, p.id, { version: row.version, completedOn: `2018-06-${10 + i}`, note: '' });
        if (state === 'accepted') {
          await acceptProject(db, admin, p.id, { version: done.version, note: '验收合格' });
        }
      }
    }
  }
  created += await seedIntake2019(db, admin, users, orgs, boundary, actorOf);
  return created;
}

/**
 * Next year's intake (2019年度项目谋划), as it stands on the demo's 2018-12-20: the office's
 * deadline (11月30日) has passed; 淇滨区 and 浚县 have submitted everything, 山城区, 鹤山区 and
 * 淇县 still hold drafts or a returned project (overdue on the intake page). 年度结转 of 2018 is
 * left for the office to preview and run (the multi-year 学校/管廊 projects continue).
 */
async function seedIntake2019(
  db: Db,
  admin: Actor,
  users: Awaited<ReturnType<typeof listUsers>>['items'],
  orgs: Map<string, string>,
  boundary: Boundary,
  actorOf: (u: Awaited<ReturnType<typeof listUsers>>['items'][number]) => Actor,
): Promise<number> {
  const plan: Record<string, readonly ('draft' | 'submitted' | 'returned')[]> = {
    淇滨区: ['submitted', 'submitted', 'submitted'],
    山城区: ['draft', 'submitted'],
    鹤山区: ['draft', 'returned'],
    淇县: ['submitted', 'draft'],
    浚县: ['submitted', 'submitted'],
  };
  const random = generator(2019);
  let created = 0;
  for (const [d, district] of DISTRICTS.entries()) {
    const orgId = orgs.get(district.org);
    if (!orgId) continue;
    const own = users.find((u) => u.role === 'unit' && u.orgId === orgId);
    const unit = own ? actorOf(own) : admin;
    for (const [i, state] of (plan[district.name] ?? []).entries()) {
      const kind = KINDS[(i * 3 + d) % KINDS.length]!;
      const street = district.streets[(i + 3) % district.streets.length]!;
      const total = Math.round(kind.wan[0] + random() * (kind.wan[1] - kind.wan[0])) * 10_000;
      const p = await createProject(
        db,
        unit,
        {
          name: `${kind.label(`${district.name}${street}`)}（2019）`,
          categoryCode: kind.code,
          ownerName: `${district.name}住房和城乡建设局`,
          location: { lng: district.at[0] + (random() - 0.5) * 0.04, lat: district.at[1] + (random() - 0.5) * 0.04, datum: 'GCJ02' },
          address: `${district.name}${street}`,
          nature: 'new',
          scale: `${kind.label('')}，${district.name}${street}一带`,
          startDate: '2019-03-01',
          endDate: '2019-11-30',
          totalInvestment: total,
          planYear: 2019,
          annualPlan: total,
          funding: split(total, kind.mix),
          prep: [{ kind: 'approval', state: 'pending', docNo: '', date: null }],
          taskIds: [],
          targets: [],
          orgId,
        },
        boundary,
      );
      created += 1;
      if (state === 'draft') continue;
      const version = (await submitProject(db, unit, p.id, { version: p.version, note: '' })).version;
      if (state === 'returned')
        await reviewProject(db, admin, p.id, {
          version,
          decision: 'return',
          note: '投资估算依据不足，请补充后重新报送',
          planYear: undefined,
        });
    }
  }
  return created;
}

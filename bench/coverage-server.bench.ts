/**
 * The coverage module end to end on the demo database (SQLite in memory): the demo seed (which
 * imports the SYNTHETIC layers through the layer import and runs two analyses), one analysis per
 * demo standard (load layers from the database, the three methods per district, store the values),
 * the gap map's data, and site suggestion (5 sites, 250 m grid) in two districts.
 * `npx tsx bench/coverage-server.bench.ts` — figures in docs/benchmarks.md.
 */
import { migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { seedDemo } from '../src/server/demo/demo-seed.ts';
import { getAnalysisMap, listAnalyses, runAnalysis, suggestSites } from '../src/server/modules/coverage/coverage-analysis.service.ts';
import { listLayers } from '../src/server/modules/coverage/coverage-layers.service.ts';
import { listStandards } from '../src/server/modules/coverage/coverage-standards.service.ts';

const ms = (t0: number) => Math.round(performance.now() - t0);
const h = openDatabase(':memory:');
await migrateToLatest(h.db);
let t0 = performance.now();
await seedDemo(h.db, { warn: () => {}, info: () => {} } as never, { today: '2018-06-20' });
console.log(`demo seed (plan, accounts, 6 layers, 5 standards, 2 analyses): ${ms(t0)} ms`);
const admin = await h.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
const actor = { userId: admin.id, orgId: admin.org_id, role: 'admin' as const, displayName: admin.display_name };
const layers = (await listLayers(h.db)).items;
const demand = layers.find((l) => l.role === 'demand')!;
for (const s of (await listStandards(h.db)).items) {
  const f = layers.find((l) => l.role === 'facility' && l.kind === s.facilityKind)!;
  t0 = performance.now();
  const a = await runAnalysis(h.db, { standardId: s.id, facilityLayerId: f.id, demandLayerId: demand.id }, actor);
  const pct = (m: string) => `${((a.overall.methods.find((x) => x.method === m)?.ratio ?? Number.NaN) * 100).toFixed(1)} %`;
  console.log(
    `analysis ${s.name} (${f.featureCount} facilities × ${demand.featureCount} demand): ${ms(t0)} ms; buffer ${pct('buffer_area')}, count ${pct('point_count')}, population ${pct('population')}`,
  );
}
const latest = (await listAnalyses(h.db)).items[0];
t0 = performance.now();
await getAnalysisMap(h.db, latest.id);
console.log(`gap map data (${latest.standardName}): ${ms(t0)} ms`);
for (const district of ['淇县', '浚县']) {
  t0 = performance.now();
  const s = await suggestSites(h.db, latest.id, { district, count: 5, gridSpacing: 250 });
  console.log(
    `suggest 5 sites in ${district}: ${ms(t0)} ms in all; ${s.candidateCount} candidates, greedy ${Math.round(s.greedyMs)} ms covers ${Math.round(s.greedy.covered)} (bound ${Math.round(s.greedy.upperBound)}), ` +
      `exact on ${s.exact.candidateCount} candidates ${Math.round(s.exact.ms)} ms covers ${Math.round(s.exact.covered)} (${s.exact.status})`,
  );
}
await h.close();

/**
 * Service-radius coverage (`npm run bench:coverage`, options: --runs N (default 3), --json).
 *
 * 1. "Covered within 500 m": 1,000,000 synthetic Hebi demand points × 10,000 facilities (spread
 *    evenly over the districts), index build + bulk pass (median of N), beside the O(n·m) brute force on
 *    a 1 % sample (same covered set?) and beside PostGIS when reachable (PostGIS 3, geography
 *    columns, GiST index, ST_DWithin, the same points, in a scratch database created and dropped
 *    here; skipped with a notice when `create extension postgis` fails).
 * 2. Greedy site suggestion: 50 sites for 100,000 demand points × ~20,000 grid candidates (500 m),
 *    cover sets + lazy greedy.
 * With --json the last line is {"coverMs","postgisMs","agree","greedyMs"}.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildCoverSets, candidateGrid, greedyMaxCover } from '../src/coverage/site-suggestion.solver.ts';
import { bruteForceCovered } from '../src/coverage/coverage.compute.ts';
import { readHebiDistricts, readHebiOutline } from '../src/coverage/hebi-geo.node.ts';
import { FacilityIndex } from '../src/coverage/spatial-index.ts';
import { PolygonLocator } from '../src/coverage/area-locator.ts';
import type { AreaFeature, PointLayer } from '../src/coverage/coverage.types.ts';
import { createRandom, syntheticHebiLayers } from '../src/coverage/synthetic-layers.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
const runs = Math.max(1, Number.parseInt(values.runs, 10) || 3);
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RADIUS = 500;
const log = (...a: unknown[]) => console.log(...a);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function uniformInAreas(areas: readonly AreaFeature[], count: number, random: () => number): PointLayer {
  const locators = areas.map((a) => new PolygonLocator(a));
  const lng = new Float64Array(count);
  const lat = new Float64Array(count);
  for (let k = 0; k < count; ) {
    const x = 113.9 + random() * 0.9;
    const y = 35.3 + random() * 0.8;
    if (!locators.some((l) => l.contains(x, y))) continue;
    lng[k] = x;
    lat[k++] = y;
  }
  return { datum: 'WGS84', lng, lat };
}

const districts = readHebiDistricts();
let t = performance.now();
const layers = syntheticHebiLayers(districts, { seed: 2018, demandPoints: 1_000_000 });
const demand = layers.demand.population;
// Facilities spread evenly over the districts' land (4.6 per km², not where residents are): about
// 96 % of residents end up covered; the rest take the full search of their neighbourhood.
const facilities = uniformInAreas(districts.features, 10_000, createRandom(17));
log(
  `data: ${demand.lng.length.toLocaleString()} demand points, ${facilities.lng.length.toLocaleString()} facilities (synthetic Hebi, generated in ${(performance.now() - t).toFixed(0)} ms)`,
);

// 1. covered within 500 m
const times: number[] = [];
let covered: Uint8Array = new Uint8Array(0);
for (let r = 0; r < runs + 1; r++) {
  t = performance.now();
  const index = new FacilityIndex(facilities, { radius: RADIUS });
  covered = index.coverAll(demand);
  if (r > 0) times.push(performance.now() - t); // the first run warms the JIT
}
const coverMs = median(times);
let coveredCount = 0;
for (const c of covered) coveredCount += c;
log(
  `ours: index + covered within ${RADIUS} m: median ${coverMs.toFixed(1)} ms of ${runs} (${times.map((x) => x.toFixed(0)).join(', ')}); covered ${coveredCount.toLocaleString()} (${((100 * coveredCount) / demand.lng.length).toFixed(2)} %)`,
);

const sample = Int32Array.from({ length: Math.floor(demand.lng.length / 100) }, (_, k) => k * 100);
t = performance.now();
const reference = bruteForceCovered(demand, facilities, {
  radius: RADIUS,
  indices: sample,
  projection: new FacilityIndex(facilities, { radius: RADIUS }).projection,
});
const bruteMs = performance.now() - t;
let agree = true;
for (let k = 0; k < sample.length; k++) if (reference[k] !== covered[sample[k]]) agree = false;
log(
  `brute force O(n·m) on a 1 % sample (${sample.length.toLocaleString()} × ${facilities.lng.length.toLocaleString()}): ${bruteMs.toFixed(0)} ms (≈ ${((bruteMs * 100) / 1000).toFixed(0)} s for all); same covered set: ${agree}`,
);

// PostGIS
let postgisMs: number | null = null;
const dbName = `luoshi_cov_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
try {
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query('create extension postgis');
    await db.query('create table demand (id int primary key, g geography(Point, 4326))');
    await db.query('create table facility (id int primary key, g geography(Point, 4326))');
    const load = async (table: string, lng: Float64Array, lat: Float64Array) => {
      for (let from = 0; from < lng.length; from += 100_000) {
        const to = Math.min(lng.length, from + 100_000);
        await db.query(
          `insert into ${table} select $3::int + n - 1, ST_SetSRID(ST_MakePoint(x, y), 4326)::geography from unnest($1::float8[], $2::float8[]) with ordinality as u(x, y, n)`,
          [Array.from(lng.subarray(from, to)), Array.from(lat.subarray(from, to)), from],
        );
      }
    };
    await load('demand', demand.lng, demand.lat);
    await load('facility', facilities.lng, facilities.lat);
    await db.query('create index on facility using gist (g)');
    await db.query('analyze demand; analyze facility');
    const pgTimes: number[] = [];
    let pgCount = 0;
    for (let r = 0; r < runs; r++) {
      t = performance.now();
      const res = await db.query(
        `select count(*)::int as n from demand d where exists (select 1 from facility f where ST_DWithin(d.g, f.g, ${RADIUS}))`,
      );
      pgTimes.push(performance.now() - t);
      pgCount = res.rows[0].n;
    }
    postgisMs = median(pgTimes);
    const version = (await db.query('select postgis_lib_version() as v')).rows[0].v;
    log(
      `PostGIS ${version} (geography, GiST, ST_DWithin on the spheroid): median ${postgisMs.toFixed(0)} ms of ${runs} (${pgTimes.map((x) => x.toFixed(0)).join(', ')}); covered ${pgCount.toLocaleString()} (ours − PostGIS: ${coveredCount - pgCount})`,
    );
    log(`ratio PostGIS / ours: ${(postgisMs / coverMs).toFixed(1)}×`);
  } catch (error) {
    log(`PostGIS: skipped (${(error as Error).message})`);
  } finally {
    await db.end();
    await admin.query(`drop database if exists ${dbName}`);
  }
} catch (error) {
  log(`PostGIS: skipped, PostgreSQL not reachable (${(error as Error).message})`);
} finally {
  await admin.end().catch(() => {});
}

// 2. greedy site suggestion: 50 sites, 100,000 demand points × ~20,000 grid candidates
const small = syntheticHebiLayers(districts, { seed: 2019, demandPoints: 100_000 }).demand.population;
const outline = readHebiOutline().features[0];
const candidates = candidateGrid(outline, 330);
const existing = layers.facilities.find((f) => f.type === 'bus_stop')!.points;
const already = new FacilityIndex(existing, { radius: RADIUS }).coverAll(small);
const greedyTimes: number[] = [];
let solution = greedyMaxCover(buildCoverSets(small, candidates, RADIUS, already), 50);
for (let r = 0; r < runs; r++) {
  t = performance.now();
  const sets = buildCoverSets(small, candidates, RADIUS, already);
  solution = greedyMaxCover(sets, 50);
  greedyTimes.push(performance.now() - t);
}
const greedyMs = median(greedyTimes);
let uncovered = 0;
for (let i = 0; i < small.lng.length; i++) if (!already[i]) uncovered += small.weight![i];
log(
  `greedy site suggestion: 50 sites, ${small.lng.length.toLocaleString()} demand × ${candidates.lng.length.toLocaleString()} candidates (330 m grid), ${RADIUS} m: median ${greedyMs.toFixed(0)} ms of ${runs}; covers ${Math.round(solution.covered).toLocaleString()} of ${Math.round(uncovered).toLocaleString()} uncovered residents; optimum ≤ ${Math.round(solution.upperBound).toLocaleString()} (greedy ≥ ${((100 * solution.covered) / solution.upperBound).toFixed(1)} % of it)`,
);

if (values.json)
  console.log(
    JSON.stringify({
      coverMs: Math.round(coverMs * 10) / 10,
      postgisMs: postgisMs === null ? null : Math.round(postgisMs),
      agree,
      greedyMs: Math.round(greedyMs),
    }),
  );

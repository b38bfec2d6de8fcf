/**
 * Site suggestion (选址建议) as a maximal covering location problem: open N new facilities among
 * candidate sites so that the most not-yet-covered population lies within the service radius.
 *
 * - {@link greedyMaxCover}: lazy greedy with a max-heap. Coverage is monotone submodular, so greedy
 *   reaches at least 1 − (1 − 1/N)^N ≥ 1 − 1/e ≈ 63.2 % of the optimum (Nemhauser, Wolsey &
 *   Fisher 1978); it also returns a per-instance upper bound on the optimum (the value plus the N
 *   largest remaining marginal gains), usually far tighter than the a-priori factor.
 * - {@link exactMaxCover}: the MILP (x_j site open, y_i demand covered, Σx = N,
 *   y_i ≤ Σ_{j covers i} x_j, max Σ w_i·y_i) in CPLEX LP format, solved by HiGHS (WebAssembly) —
 *   for small instances, to show how close greedy is.
 */
import KDBush from 'kdbush';
import type { AreaFeature, PointLayer } from './coverage.types.ts';
import { CANONICAL_DATUM } from './coverage.types.ts';
import { PolygonLocator } from './area-locator.ts';
import { LocalProjection } from './geo-distance.ts';
import { RADIUS_TOLERANCE } from './spatial-index.ts';

/** The guarantee of greedy max cover, 1 − 1/e. */
export const GREEDY_GUARANTEE = 1 - 1 / Math.E;

/**
 * Which demand points each candidate covers, in CSR form: candidate j covers
 * `members[offsets[j] .. offsets[j+1])` (demand indices); `weight[i]` is demand i's weight.
 */
export interface CoverSets {
  candidateCount: number;
  demandCount: number;
  offsets: Int32Array;
  members: Int32Array;
  weight: Float64Array;
}

/**
 * Builds the cover sets of `candidates` over `demand` within `radius` metres. Demand points that
 * are already covered (`alreadyCovered[i] = 1`) or weigh 0 are left out: only uncovered
 * population counts toward a new site.
 */
export function buildCoverSets(demand: PointLayer, candidates: PointLayer, radius: number, alreadyCovered?: Uint8Array): CoverSets {
  if (!(radius > 0) || !Number.isFinite(radius)) throw new RangeError('radius must be a positive number of metres');
  const n = demand.lng.length;
  const weight = new Float64Array(n);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    weight[i] = demand.weight ? demand.weight[i] : 1;
    if (!alreadyCovered?.[i] && weight[i] > 0) keep.push(i);
  }
  const m = candidates.lng.length;
  const offsets = new Int32Array(m + 1);
  if (keep.length === 0 || m === 0) return { candidateCount: m, demandCount: n, offsets, members: new Int32Array(0), weight };
  const p = LocalProjection.around(candidates.lng, candidates.lat);
  const tree = new KDBush(keep.length, 16);
  const dx = new Float64Array(keep.length);
  const dy = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) {
    dx[k] = p.x(demand.lng[keep[k]]);
    dy[k] = p.y(demand.lat[keep[k]]);
    tree.add(dx[k], dy[k]);
  }
  tree.finish();
  const r = radius * (1 + RADIUS_TOLERANCE);
  const r2 = r * r;
  const lists: Int32Array[] = [];
  let total = 0;
  for (let j = 0; j < m; j++) {
    const cx = p.x(candidates.lng[j]);
    const cy = p.y(candidates.lat[j]);
    const s = p.xScale(candidates.lat[j]);
    const found = tree.range(cx - r / s, cy - r, cx + r / s, cy + r);
    const inRange: number[] = [];
    for (const k of found) {
      const ex = (dx[k] - cx) * s;
      const ey = dy[k] - cy;
      if (ex * ex + ey * ey <= r2) inRange.push(keep[k]);
    }
    inRange.sort((a, b) => a - b);
    lists.push(Int32Array.from(inRange));
    total += inRange.length;
    offsets[j + 1] = total;
  }
  const members = new Int32Array(total);
  for (let j = 0; j < m; j++) members.set(lists[j], offsets[j]);
  return { candidateCount: m, demandCount: n, offsets, members, weight };
}

/** A chosen set of sites and what it covers. */
export interface MaxCoverSolution {
  /** Candidate indices, in the order chosen (greedy) or ascending (exact). */
  sites: number[];
  /** Total weight covered by the sites. */
  covered: number;
}

/** Greedy's result: the sites, each step's marginal gain, and an upper bound on the optimum. */
export interface GreedySolution extends MaxCoverSolution {
  gains: number[];
  /** OPT ≤ covered + the `count` largest marginal gains left (a per-instance bound). */
  upperBound: number;
  /** The a-priori factor: covered ≥ factor × OPT, 1 − (1 − 1/N)^N. */
  guaranteeFactor: number;
}

/**
 * Lazy greedy max cover: pick `count` candidates, each time the one adding the most uncovered
 * weight (ties: the lowest index). Stops early when no candidate adds anything.
 */
export function greedyMaxCover(sets: CoverSets, count: number): GreedySolution {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const { candidateCount: m, offsets, members, weight } = sets;
  const isCovered = new Uint8Array(sets.demandCount);
  const gainOf = (j: number) => {
    let g = 0;
    for (let k = offsets[j]; k < offsets[j + 1]; k++) if (!isCovered[members[k]]) g += weight[members[k]];
    return g;
  };
  const heap = new MaxHeap(m);
  for (let j = 0; j < m; j++) heap.push(j, gainOf(j));
  const sites: number[] = [];
  const gains: number[] = [];
  let covered = 0;
  while (sites.length < count && heap.size > 0) {
    const j = heap.popId();
    const g = gainOf(j);
    // A stale key is an upper bound (submodularity): if the fresh gain still beats the next key, j is best.
    if (heap.size === 0 || g > heap.topKey() || (g === heap.topKey() && j < heap.topId())) {
      if (g <= 0) break;
      sites.push(j);
      gains.push(g);
      covered += g;
      for (let k = offsets[j]; k < offsets[j + 1]; k++) isCovered[members[k]] = 1;
    } else {
      heap.push(j, g);
    }
  }
  const chosen = new Set(sites);
  const remaining: number[] = [];
  for (let j = 0; j < m; j++) if (!chosen.has(j)) remaining.push(gainOf(j));
  remaining.sort((a, b) => b - a);
  let upperBound = covered;
  for (let k = 0; k < Math.min(count, remaining.length); k++) upperBound += remaining[k];
  const guaranteeFactor = count > 0 ? 1 - (1 - 1 / count) ** count : 1;
  return { sites, covered, gains, upperBound, guaranteeFactor };
}

/** The MILP of max cover in CPLEX LP format; demand points with equal covering sets are merged. */
export function maxCoverLp(sets: CoverSets, count: number): string {
  const { candidateCount: m, offsets, members, weight } = sets;
  const coveringOf = new Map<number, number[]>();
  for (let j = 0; j < m; j++) {
    for (let k = offsets[j]; k < offsets[j + 1]; k++) {
      const i = members[k];
      const list = coveringOf.get(i);
      if (list) list.push(j);
      else coveringOf.set(i, [j]);
    }
  }
  const groups = new Map<string, { candidates: number[]; weight: number }>();
  for (const [i, list] of coveringOf) {
    const key = list.join(',');
    const g = groups.get(key);
    if (g) g.weight += weight[i];
    else groups.set(key, { candidates: list, weight: weight[i] });
  }
  const rows = [...groups.values()];
  const lines: string[] = ['Maximize'];
  const wrap = (head: string, terms: string[], tail = '') => {
    // LP readers limit line length: ten terms a line.
    for (let k = 0; k < terms.length; k += 10) lines.push(`${k === 0 ? head : ' '} ${terms.slice(k, k + 10).join(' ')}`);
    if (terms.length === 0) lines.push(head);
    if (tail) lines.push(` ${tail}`);
  };
  wrap(' obj:', rows.length ? rows.map((r, g) => `${g === 0 ? '' : '+ '}${r.weight} y${g}`) : ['0 x0']);
  lines.push('Subject To');
  wrap(
    ' sites:',
    Array.from({ length: m }, (_, j) => `${j === 0 ? '' : '+ '}x${j}`),
    `= ${Math.min(count, m)}`,
  );
  for (const [g, r] of rows.entries())
    wrap(
      ` c${g}: y${g}`,
      r.candidates.map((j) => `- x${j}`),
      '<= 0',
    );
  lines.push('Bounds');
  for (let g = 0; g < rows.length; g++) lines.push(` 0 <= y${g} <= 1`);
  lines.push('Binary');
  for (let j = 0; j < m; j += 10) lines.push(` ${Array.from({ length: Math.min(10, m - j) }, (_, k) => `x${j + k}`).join(' ')}`);
  lines.push('End');
  return lines.join('\n');
}

/** The solve function of a loaded HiGHS module (`(await highsLoader()).solve`). */
export type HighsSolve = (
  lp: string,
  options?: Record<string, unknown>,
) => { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> };

/** The exact solution and the solver's status ('Optimal', or e.g. 'Time limit reached'). */
export interface ExactSolution extends MaxCoverSolution {
  status: string;
}

/**
 * The exact max cover by MILP. Instances beyond a few hundred candidates can take long: pass
 * `timeLimit` (seconds); the status then says whether the answer is proven optimal.
 */
export function exactMaxCover(sets: CoverSets, count: number, solve: HighsSolve, options: { timeLimit?: number } = {}): ExactSolution {
  if (sets.candidateCount === 0 || count === 0) return { sites: [], covered: 0, status: 'Optimal' };
  const res = solve(maxCoverLp(sets, count), { time_limit: options.timeLimit ?? 60, output_flag: false, mip_rel_gap: 0 });
  const sites: number[] = [];
  for (let j = 0; j < sets.candidateCount; j++) if ((res.Columns[`x${j}`]?.Primal ?? 0) > 0.5) sites.push(j);
  return { sites, covered: coveredWeight(sets, sites), status: res.Status };
}

/** The weight the given sites cover together (each demand point counted once). */
export function coveredWeight(sets: CoverSets, sites: readonly number[]): number {
  const seen = new Uint8Array(sets.demandCount);
  let w = 0;
  for (const j of sites) {
    for (let k = sets.offsets[j]; k < sets.offsets[j + 1]; k++) {
      const i = sets.members[k];
      if (!seen[i]) {
        seen[i] = 1;
        w += sets.weight[i];
      }
    }
  }
  return w;
}

/**
 * Candidate sites on a square grid of `spacing` metres over the boundary, kept where inside it.
 * Spacing below 50 m is refused (a 2,000 km² city would yield a million candidates).
 */
export function candidateGrid(boundary: AreaFeature<unknown>, spacing: number): PointLayer {
  if (!(spacing >= 50)) throw new RangeError('grid spacing must be at least 50 m');
  const locator = new PolygonLocator(boundary);
  const coords = boundary.geometry.type === 'Polygon' ? boundary.geometry.coordinates.flat() : boundary.geometry.coordinates.flat(2);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const c of coords) {
    minX = Math.min(minX, c[0]);
    maxX = Math.max(maxX, c[0]);
    minY = Math.min(minY, c[1]);
    maxY = Math.max(maxY, c[1]);
  }
  const p = new LocalProjection((minX + maxX) / 2, (minY + maxY) / 2);
  const lng: number[] = [];
  const lat: number[] = [];
  for (let y = p.y(minY) + spacing / 2; y <= p.y(maxY); y += spacing) {
    const la = p.lat(y);
    const step = spacing / p.xScale(la);
    for (let x = p.x(minX) + step / 2; x <= p.x(maxX); x += step) {
      const lo = p.lng(x);
      if (locator.contains(lo, la)) {
        lng.push(lo);
        lat.push(la);
      }
    }
  }
  return { datum: CANONICAL_DATUM, lng: Float64Array.from(lng), lat: Float64Array.from(lat) };
}

/** Given candidates and grid candidates together (given first, so their indices stay). */
export function concatCandidates(...layers: PointLayer[]): PointLayer {
  const n = layers.reduce((s, l) => s + l.lng.length, 0);
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  let at = 0;
  for (const l of layers) {
    lng.set(l.lng, at);
    lat.set(l.lat, at);
    at += l.lng.length;
  }
  return { datum: CANONICAL_DATUM, lng, lat };
}

/** A binary max-heap of (key, id); ties broken toward the lower id so results are deterministic. */
class MaxHeap {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.ids = new Int32Array(Math.max(1, capacity));
  }

  private above(a: number, b: number): boolean {
    return this.keys[a] > this.keys[b] || (this.keys[a] === this.keys[b] && this.ids[a] < this.ids[b]);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    const i = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = i;
  }

  push(id: number, key: number): void {
    let at = this.size++;
    this.keys[at] = key;
    this.ids[at] = id;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.above(at, parent)) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  topKey(): number {
    return this.keys[0];
  }

  topId(): number {
    return this.ids[0];
  }

  popId(): number {
    const id = this.ids[0];
    this.size--;
    if (this.size > 0) {
      this.keys[0] = this.keys[this.size];
      this.ids[0] = this.ids[this.size];
      let at = 0;
      for (;;) {
        const l = 2 * at + 1;
        const r = l + 1;
        let best = at;
        if (l < this.size && this.above(l, best)) best = l;
        if (r < this.size && this.above(r, best)) best = r;
        if (best === at) break;
        this.swap(at, best);
        at = best;
      }
    }
    return id;
  }
}

/**
 * Distances on the WGS-84 ellipsoid and the local projection the fast paths use.
 *
 * - {@link vincentyDistance}: Vincenty's inverse formula on the WGS-84 ellipsoid (sub-millimetre
 *   for the distances here); the reference every fast path is tested against.
 * - {@link LocalProjection}: an equirectangular projection to metres around a centre, with the
 *   ellipsoid's meridional radius for y and, per point, the prime-vertical scale of the point's own
 *   latitude for x ({@link LocalProjection.xScale}). A plain equirectangular projection with one
 *   cos φ0 errs by tan φ · Δφ (≈ 0.4 % at 35.7° N, 0.33° from the centre: the whole of Hebi); with
 *   the per-point x scale a 0–2,000 m distance errs by < 0.01 % within ~0.5° of the centre (all of
 *   Hebi) and < 0.05 % at 1.5° (the meridian radius is that of φ0) — geo-distance.test.ts — and the
 *   comparison stays squared-distance only.
 */

/** WGS-84 semi-major axis (m). */
export const WGS84_A = 6378137;
/** WGS-84 flattening. */
export const WGS84_F = 1 / 298.257223563;
const WGS84_B = WGS84_A * (1 - WGS84_F);
const E2 = WGS84_F * (2 - WGS84_F);
const RAD = Math.PI / 180;
/** Mean earth radius (IUGG, m) used by the haversine formula. */
export const MEAN_EARTH_RADIUS = 6371008.8;

/**
 * Geodesic distance in metres between two WGS-84 points (Vincenty 1975, inverse). Converges for
 * every pair except nearly antipodal ones, which never occur at city scale; then it throws.
 */
export function vincentyDistance(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const L = (lng2 - lng1) * RAD;
  const U1 = Math.atan((1 - WGS84_F) * Math.tan(lat1 * RAD));
  const U2 = Math.atan((1 - WGS84_F) * Math.tan(lat2 * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 1;
  let sigma = 0;
  let cos2Alpha = 1;
  let cos2SigmaM = 0;
  for (let iter = 0; iter < 200; iter++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    const t1 = cosU2 * sinLambda;
    const t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda;
    sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
    if (sinSigma === 0) return 0; // coincident points
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0; // equatorial line
    const C = (WGS84_F / 16) * cos2Alpha * (4 + WGS84_F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * WGS84_F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B)) / (WGS84_B * WGS84_B);
      const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        B *
        sinSigma *
        (cos2SigmaM +
          (B / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
              (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      return WGS84_B * A * (sigma - deltaSigma);
    }
  }
  throw new RangeError('vincentyDistance: no convergence (nearly antipodal points)');
}

/** Great-circle distance in metres on a sphere of the mean earth radius (≈ 0.3 % off the ellipsoid). */
export function haversineDistance(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * MEAN_EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Prime-vertical radius of curvature N(φ) on WGS-84. */
function primeVerticalRadius(latRad: number): number {
  const s = Math.sin(latRad);
  return WGS84_A / Math.sqrt(1 - E2 * s * s);
}

/** Meridional radius of curvature M(φ) on WGS-84. */
function meridionalRadius(latRad: number): number {
  const s = Math.sin(latRad);
  return (WGS84_A * (1 - E2)) / (1 - E2 * s * s) ** 1.5;
}

/**
 * A local metric projection around (lng0, lat0): x = (λ − λ0)·N(φ0)·cos φ0, y = (φ − φ0)·M(φ0),
 * in metres. True east-west distances at latitude φ are x-differences times
 * {@link LocalProjection.xScale}(φ); distance comparisons use
 * `((xj − xi)·s_i)² + (yj − yi)² ≤ r²` with s_i the scale at the demand point.
 */
export class LocalProjection {
  /** Metres per degree of longitude at lat0. */
  readonly kx: number;
  /** Metres per degree of latitude at lat0. */
  readonly ky: number;

  /** @param lng0 centre longitude (degrees) @param lat0 centre latitude (degrees) */
  constructor(
    readonly lng0: number,
    readonly lat0: number,
  ) {
    const phi0 = lat0 * RAD;
    this.kx = primeVerticalRadius(phi0) * Math.cos(phi0) * RAD;
    this.ky = meridionalRadius(phi0) * RAD;
  }

  /** A projection centred on the middle of a layer's bounding box. */
  static around(lng: ArrayLike<number>, lat: ArrayLike<number>): LocalProjection {
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < lng.length; i++) {
      if (lng[i] < minX) minX = lng[i];
      if (lng[i] > maxX) maxX = lng[i];
      if (lat[i] < minY) minY = lat[i];
      if (lat[i] > maxY) maxY = lat[i];
    }
    if (lng.length === 0) return new LocalProjection(0, 0);
    return new LocalProjection((minX + maxX) / 2, (minY + maxY) / 2);
  }

  /** Projected x (m). */
  x(lng: number): number {
    return (lng - this.lng0) * this.kx;
  }

  /** Projected y (m). */
  y(lat: number): number {
    return (lat - this.lat0) * this.ky;
  }

  /** Inverse of {@link x}. */
  lng(x: number): number {
    return this.lng0 + x / this.kx;
  }

  /** Inverse of {@link y}. */
  lat(y: number): number {
    return this.lat0 + y / this.ky;
  }

  /** True metres per projected x-metre at latitude `lat`: N(φ)·cos φ / (N(φ0)·cos φ0). */
  xScale(lat: number): number {
    const phi = lat * RAD;
    return (primeVerticalRadius(phi) * Math.cos(phi) * RAD) / this.kx;
  }

  /**
   * A lookup table of {@link xScale} over the latitude range of `lat` in 0.01° steps with linear
   * interpolation (error < 1e-8: the scale's curvature over 0.01° is that small), so a bulk pass
   * pays no trigonometry per point.
   */
  xScaleTable(lat: ArrayLike<number>): XScaleTable {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < lat.length; i++) {
      if (lat[i] < min) min = lat[i];
      if (lat[i] > max) max = lat[i];
    }
    if (!(min <= max)) min = max = this.lat0;
    return new XScaleTable(this, min, max);
  }

  /** Projects columns of lng/lat into new x/y columns (metres). */
  projectAll(lng: ArrayLike<number>, lat: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
    const n = lng.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (lng[i] - this.lng0) * this.kx;
      y[i] = (lat[i] - this.lat0) * this.ky;
    }
    return { x, y };
  }

  /**
   * Distance in metres between two lng/lat points by this projection (scale at their mean latitude).
   * Accurate to < 0.01 % for distances up to a few kilometres within ~0.5° of the centre.
   */
  distance(lng1: number, lat1: number, lng2: number, lat2: number): number {
    const dx = (lng2 - lng1) * this.kx * this.xScale((lat1 + lat2) / 2);
    const dy = (lat2 - lat1) * this.ky;
    return Math.sqrt(dx * dx + dy * dy);
  }
}

/** {@link LocalProjection.xScale} tabulated over a latitude range (see xScaleTable). */
export class XScaleTable {
  private static readonly STEP = 0.01;
  private readonly min: number;
  private readonly values: Float64Array;

  constructor(
    private readonly projection: LocalProjection,
    minLat: number,
    maxLat: number,
  ) {
    this.min = minLat;
    const n = Math.ceil((maxLat - minLat) / XScaleTable.STEP) + 2;
    this.values = new Float64Array(n);
    for (let i = 0; i < n; i++) this.values[i] = projection.xScale(minLat + i * XScaleTable.STEP);
  }

  /** The x scale at `lat` (exact formula outside the tabulated range). */
  at(lat: number): number {
    const t = (lat - this.min) / XScaleTable.STEP;
    const i = Math.floor(t);
    if (!(i >= 0 && i < this.values.length - 1)) return this.projection.xScale(lat);
    const f = t - i;
    return this.values[i] * (1 - f) + this.values[i + 1] * f;
  }
}

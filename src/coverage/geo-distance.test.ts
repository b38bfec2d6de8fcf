import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineDistance, LocalProjection, vincentyDistance } from './geo-distance.ts';

describe('vincentyDistance', () => {
  it("reproduces Vincenty's own test line (Flinders Peak → Buninyong, 54,972.271 m)", () => {
    const d = vincentyDistance(144.42486788888888, -37.95103341666667, 143.92649552777777, -37.65282113888889);
    expect(d).toBeCloseTo(54972.271, 2);
  });

  it('gives the textbook lengths of one degree on WGS-84', () => {
    expect(vincentyDistance(0, 0, 1, 0)).toBeCloseTo(111319.491, 2); // equator, longitude
    expect(vincentyDistance(0, 0, 0, 1)).toBeCloseTo(110574.389, 2); // meridian at the equator
    expect(vincentyDistance(114.3, 35.7, 114.3, 35.7)).toBe(0);
  });
});

describe('LocalProjection accuracy (the claim: < 0.5 %; measured < 0.01 % over Hebi)', () => {
  const hebi = new LocalProjection(114.35, 35.72); // centre of the Hebi districts' bounding box
  // Pairs anywhere in Hebi (and a margin), or 1.5° beyond it; 1 m–2 km apart, in any direction.
  const pair = (lngMin: number, lngMax: number, latMin: number, latMax: number) =>
    fc.record({
      lng: fc.double({ min: lngMin, max: lngMax, noNaN: true }),
      lat: fc.double({ min: latMin, max: latMax, noNaN: true }),
      bearing: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      dist: fc.double({ min: 1, max: 2000, noNaN: true }),
    });
  const relativeErrors = ({ lng, lat, bearing, dist }: { lng: number; lat: number; bearing: number; dist: number }) => {
    const lat2 = lat + (dist * Math.cos(bearing)) / 111000;
    const lng2 = lng + (dist * Math.sin(bearing)) / (111000 * Math.cos((lat * Math.PI) / 180));
    const truth = vincentyDistance(lng, lat, lng2, lat2);
    // The bulk path: x-difference in the projection times the demand point's own x scale.
    const dx = (hebi.x(lng2) - hebi.x(lng)) * hebi.xScale(lat);
    const dy = hebi.y(lat2) - hebi.y(lat);
    return [Math.abs(Math.hypot(dx, dy) - truth) / truth, Math.abs(hebi.distance(lng, lat, lng2, lat2) - truth) / truth];
  };

  it('stays within 1e-4 (0.01 %) of the ellipsoid across Hebi and 0.2° around it', () => {
    fc.assert(
      fc.property(pair(113.8, 114.9, 35.2, 36.3), (p) => {
        for (const e of relativeErrors(p)) expect(e).toBeLessThan(1e-4);
      }),
      { numRuns: 3000 },
    );
  });

  it('stays within 5e-4 (0.05 %) even 1.5° from the centre (the meridian radius is fixed at φ0)', () => {
    fc.assert(
      fc.property(pair(112.8, 115.9, 34.2, 37.2), (p) => {
        for (const e of relativeErrors(p)) expect(e).toBeLessThan(5e-4);
      }),
      { numRuns: 3000 },
    );
  });

  it('is needed: one cos φ0 for the whole city (plain equirectangular) errs by ~0.4 % at its edge', () => {
    // East-west 500 m at 36.05° N, 0.33° north of the centre.
    const truth = vincentyDistance(114.3, 36.05, 114.3 + 500 / (111320 * Math.cos((36.05 * Math.PI) / 180)), 36.05);
    const plain = Math.abs(hebi.x(114.3 + 500 / (111320 * Math.cos((36.05 * Math.PI) / 180))) - hebi.x(114.3));
    expect(Math.abs(plain - truth) / truth).toBeGreaterThan(0.003);
    const scaled = plain * hebi.xScale(36.05);
    expect(Math.abs(scaled - truth) / truth).toBeLessThan(1e-5);
  });

  it('haversine is within 0.5 % of the ellipsoid (and so is not the reference)', () => {
    const truth = vincentyDistance(114.29, 35.74, 114.3, 35.745);
    expect(Math.abs(haversineDistance(114.29, 35.74, 114.3, 35.745) - truth) / truth).toBeLessThan(0.005);
  });

  it('tabulates the x scale with an error below 1e-8', () => {
    const table = hebi.xScaleTable([35.3, 36.1]);
    for (let lat = 35.3; lat <= 36.1; lat += 0.00137) expect(Math.abs(table.at(lat) - hebi.xScale(lat))).toBeLessThan(1e-8);
    expect(table.at(40)).toBe(hebi.xScale(40)); // outside the table: the formula
  });

  it('inverts its own x and y', () => {
    expect(hebi.lng(hebi.x(114.123456))).toBeCloseTo(114.123456, 10);
    expect(hebi.lat(hebi.y(35.654321))).toBeCloseTo(35.654321, 10);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { locateInAreas } from './area-locator.ts';
import { computeIndicator } from './indicator.compute.ts';
import { HEBI_PLAN_INDICATORS } from './indicator.types.ts';
import { HEBI_GEO_DIR, readHebiDistricts } from './hebi-geo.node.ts';
import { createRandom, HEBI_DISTRICT_PROFILES, SYNTHETIC_NOTICE, syntheticHebiLayers } from './synthetic-layers.ts';
import { syntheticLayersAsGeoJson } from './synthetic-layers.export.ts';

const districts = readHebiDistricts();

describe('synthetic Hebi layers', () => {
  const layers = syntheticHebiLayers(districts, { seed: 7, demandPoints: 3000 });

  it('is deterministic from its seed', () => {
    expect(createRandom(1)()).toBe(createRandom(1)());
    const again = syntheticHebiLayers(districts, { seed: 7, demandPoints: 3000 });
    expect([...again.demand.population.lng]).toEqual([...layers.demand.population.lng]);
    const other = syntheticHebiLayers(districts, { seed: 8, demandPoints: 3000 });
    expect([...other.demand.population.lng]).not.toEqual([...layers.demand.population.lng]);
  });

  it('puts every resident inside a district, weighted by the districts’ populations, and says it is synthetic', () => {
    const pop = layers.demand.population;
    const where = locateInAreas(pop, districts.features);
    expect(where.every((w) => w >= 0)).toBe(true);
    for (const profile of HEBI_DISTRICT_PROFILES) {
      const k = districts.features.findIndex((f) => f.properties.name === profile.name);
      let sum = 0;
      where.forEach((w, i) => {
        if (w === k) sum += pop.weight![i];
      });
      expect(sum).toBeCloseTo(profile.population, -1);
    }
    expect(layers.synthetic).toBe(true);
    expect(layers.notice).toBe(SYNTHETIC_NOTICE);
    expect(layers.builtUpAreas.features).toHaveLength(5);
    const toilets = layers.facilities.find((f) => f.type === 'public_toilet')!;
    expect(new Set(toilets.roadClass)).toEqual(new Set(['main_street', 'ordinary_road', 'riverside_park']));
  });

  it('feeds every plan indicator, per district, with all three methods', () => {
    for (const indicator of HEBI_PLAN_INDICATORS) {
      const r = computeIndicator(indicator, layers);
      expect(r.districts.map((d) => d.district).sort()).toEqual(HEBI_DISTRICT_PROFILES.map((p) => p.name).sort());
      for (const d of [...r.districts, r.overall]) {
        expect(d.results.map((x) => x.method)).toEqual(['buffer_area', 'point_count', 'population']);
        for (const x of d.results) expect(x.ratio).toBeGreaterThanOrEqual(0);
        for (const x of d.results) expect(x.ratio).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is what the shipped files under samples/geo/synthetic/ hold (regenerate with synthetic-layers.export.ts)', () => {
    const files = syntheticLayersAsGeoJson(syntheticHebiLayers(districts));
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(`${HEBI_GEO_DIR}synthetic/${name}`, 'utf8'), name).toBe(content);
    }
  });
});

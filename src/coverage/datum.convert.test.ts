import { describe, expect, it } from 'vitest';
import { coveredMask } from './coverage.compute.ts';
import { convertLngLat, fromCanonical, pointLayerFrom, polygonLayerFrom, toCanonical } from './datum.convert.ts';
import { vincentyDistance } from './geo-distance.ts';

// 鹤壁市人民政府 (淇滨区), as a WGS-84 position.
const WGS: [number, number] = [114.2926, 35.7477];

describe('datum conversion', () => {
  it('offsets GCJ-02 by a few hundred metres in Hebi and converts back to within 0.5 m', () => {
    const gcj = fromCanonical(WGS, 'GCJ02');
    const offset = vincentyDistance(WGS[0], WGS[1], gcj[0], gcj[1]);
    expect(offset).toBeGreaterThan(200);
    expect(offset).toBeLessThan(900);
    const back = toCanonical(gcj, 'GCJ02');
    expect(vincentyDistance(WGS[0], WGS[1], back[0], back[1])).toBeLessThan(0.5);
  });

  it('converts BD-09 through GCJ-02 and back', () => {
    const bd = convertLngLat(WGS, 'WGS84', 'BD09');
    expect(vincentyDistance(WGS[0], WGS[1], bd[0], bd[1])).toBeGreaterThan(500);
    const back = toCanonical(bd, 'BD09');
    expect(vincentyDistance(WGS[0], WGS[1], back[0], back[1])).toBeLessThan(0.5);
    expect(convertLngLat(WGS, 'WGS84', 'WGS84')).toEqual(WGS);
  });

  it('lets a facility picked on a GCJ-02 map cover a resident surveyed by GPS at the same place', () => {
    const gcj = fromCanonical(WGS, 'GCJ02');
    const bd = convertLngLat(WGS, 'WGS84', 'BD09');
    const demand = pointLayerFrom([{ lng: WGS[0], lat: WGS[1] }], 'WGS84');
    const fromGcj = pointLayerFrom([{ lng: gcj[0], lat: gcj[1] }], 'GCJ02');
    const fromBd = pointLayerFrom([{ lng: bd[0], lat: bd[1] }], 'BD09');
    expect([...coveredMask(demand, fromGcj, { radius: 5 })]).toEqual([1]);
    expect([...coveredMask(demand, fromBd, { radius: 5 })]).toEqual([1]);
    // Taking the GCJ-02 numbers as WGS-84 (the mistake the declared datum prevents) misses by hundreds of metres.
    const mistaken = pointLayerFrom([{ lng: gcj[0], lat: gcj[1] }], 'WGS84');
    expect([...coveredMask(demand, mistaken, { radius: 100 })]).toEqual([0]);
  });

  it('keeps weight, radius and id columns only when every point has them, and refuses bad coordinates', () => {
    const layer = pointLayerFrom(
      [
        { lng: 114.3, lat: 35.7, weight: 10, id: 'a' },
        { lng: 114.31, lat: 35.71, weight: 5, id: 'b', radius: 300 },
      ],
      'WGS84',
    );
    expect(layer.datum).toBe('WGS84');
    expect([...layer.weight!]).toEqual([10, 5]);
    expect(layer.radius).toBeUndefined();
    expect(layer.ids).toEqual(['a', 'b']);
    expect(() => pointLayerFrom([{ lng: Number.NaN, lat: 35 }], 'WGS84')).toThrow(RangeError);
    expect(() => pointLayerFrom([{ lng: 114, lat: 95 }], 'GCJ02')).toThrow(RangeError);
  });

  it('converts every ring of a polygon layer', () => {
    const gcj = fromCanonical(WGS, 'GCJ02');
    const layer = polygonLayerFrom(
      {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { name: '测试' }, geometry: { type: 'Polygon', coordinates: [[gcj, gcj, gcj, gcj]] } }],
      },
      'GCJ02',
    );
    const c = (layer.features[0].geometry.coordinates as number[][][])[0][0];
    expect(vincentyDistance(c[0], c[1], WGS[0], WGS[1])).toBeLessThan(0.5);
    expect(layer.features[0].properties.name).toBe('测试');
  });
});

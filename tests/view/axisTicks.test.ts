import { describe, expect, it } from 'vitest';
import { scaleLinear } from 'd3';
import { axisTicks } from '../../src/view/anim/axisTicks.ts';

describe('axis ticks', () => {
  const wanted = [0, 1024, 32768, 49152, 61000, 65535];

  it('keeps the ends and drops ticks that would overlap', () => {
    const x = scaleLinear().domain([0, 65535]).range([0, 500]);
    expect(axisTicks(x, wanted, 44)).toEqual([0, 32768, 49152, 65535]);
  });

  it('keeps them all when there is room', () => {
    const x = scaleLinear().domain([0, 65535]).range([0, 50_000]);
    expect(axisTicks(x, wanted, 44)).toEqual(wanted);
  });

  it('falls back to nice ticks when zoomed in between the wanted values', () => {
    const x = scaleLinear().domain([2000, 3000]).range([0, 500]);
    const ticks = axisTicks(x, wanted, 44);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((v) => v >= 2000 && v <= 3000)).toBe(true);
  });
});

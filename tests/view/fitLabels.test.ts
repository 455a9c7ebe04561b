import { describe, expect, it } from 'vitest';
import { fitLabels } from '../../src/view/anim/fitLabels.ts';

describe('label fitting', () => {
  it('keeps the most important labels that do not overlap', () => {
    const items = [
      { x: 100, width: 80, priority: 1 },
      { x: 150, width: 80, priority: 5 },
      { x: 300, width: 80, priority: 2 },
      { x: 590, width: 80, priority: 9 },
    ];
    expect([...fitLabels(items, 0, 600)].sort()).toEqual([1, 2]);
  });
});

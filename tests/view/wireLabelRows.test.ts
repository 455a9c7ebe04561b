import { describe, expect, it } from 'vitest';
import { monoTextWidth, placeWireLabels, wireLabelRows } from '../../src/view/anim/wireLabelRows.ts';

describe('wire label rows', () => {
  it('puts overlapping labels on one link on separate rows, older packets lower', () => {
    const rows = wireLabelRows([
      { pkt: 12, link: 'a-b', x: 360, text: 'TCP [ACK]' },
      { pkt: 11, link: 'a-b', x: 370, text: 'TCP [ACK, PSH] len=5' },
      { pkt: 13, link: 'a-b', x: 600, text: 'TCP [ACK]' },
      { pkt: 14, link: 'c-d', x: 365, text: 'ARP request' },
    ]);
    expect(rows.get(11)).toBe(0);
    expect(rows.get(12)).toBe(1);
    // Far enough along the link, or on another link: the first row.
    expect(rows.get(13)).toBe(0);
    expect(rows.get(14)).toBe(0);
  });

  it('measures CJK characters a full em wide', () => {
    expect(monoTextWidth('ARP')).toBeCloseTo(22.5);
    expect(monoTextWidth('请求')).toBe(25);
  });

  it('labels only the frames that have a text', () => {
    const placed = placeWireLabels(
      [
        { pkt: 1, link: 'l', x: 100 },
        { pkt: 2, link: 'l', x: 105 },
        { pkt: 3, link: 'l', x: 110 },
      ],
      (pkt) => (pkt === 2 ? undefined : `frame ${pkt}`),
    );
    expect([...placed]).toEqual([
      [1, { text: 'frame 1', row: 0 }],
      [3, { text: 'frame 3', row: 1 }],
    ]);
  });
});

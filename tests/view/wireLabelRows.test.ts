import { describe, expect, it } from 'vitest';
import { clampLabelX, monoTextWidth, placeWireLabels, wireLabelRows } from '../../src/view/anim/wireLabelRows.ts';

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
      [1, { text: 'frame 1', row: 0, x: 100 }],
      [3, { text: 'frame 3', row: 1, x: 110 }],
    ]);
  });

  it('keeps a label between the ends of a straight link, so it never covers a host', () => {
    // 'TCP [ACK]' is 9 × 7.5 = 67.5 wide: its centre stays 33.75 inside each end.
    expect(clampLabelX(400, 'TCP [ACK]', 300, 600)).toBe(400);
    expect(clampLabelX(598, 'TCP [ACK]', 300, 600)).toBeCloseTo(566.25);
    expect(clampLabelX(301, 'TCP [ACK]', 300, 600)).toBeCloseTo(333.75);
    // A link shorter than the label: its middle.
    expect(clampLabelX(310, 'TCP [ACK]', 300, 340)).toBe(320);
    // Placed labels use the clamped centre, and rows are worked out from it: two frames at
    // the server's end overlap once their labels are pulled in, so they take two rows.
    const placed = placeWireLabels(
      [
        { pkt: 1, link: 'l', x: 598, span: [300, 600] },
        { pkt: 2, link: 'l', x: 590, span: [300, 600] },
        { pkt: 3, link: 'c', x: 598 },
      ],
      () => 'TCP [ACK]',
    );
    expect(placed.get(1)).toEqual({ text: 'TCP [ACK]', row: 0, x: 566.25 });
    expect(placed.get(2)).toEqual({ text: 'TCP [ACK]', row: 1, x: 566.25 });
    expect(placed.get(3)).toEqual({ text: 'TCP [ACK]', row: 0, x: 598 });
  });
});

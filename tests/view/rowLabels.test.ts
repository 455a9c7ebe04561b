import { describe, expect, it } from 'vitest';
import { fitRowLabel, pduKeyFor, textWidth, transportPdus } from '../../src/view/anim/rowLabels.ts';
import { stackGeometry } from '../../src/view/anim/stackGeometry.ts';
import { translator } from '../../src/view/i18n/translate.ts';
import { LAYERS } from '../../src/view/anim/stackGeometry.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { lessonTrace } from './fixtures.ts';

describe('layer row labels', () => {
  it('estimate wide letters, narrow letters and CJK differently', () => {
    expect(textWidth('mmmm', 14)).toBeGreaterThan(textWidth('iiii', 14) * 0.99);
    expect(textWidth('传输层', 14)).toBe(42);
    expect(textWidth('abc', 14, true)).toBeGreaterThan(textWidth('abc', 14));
  });

  it('shorten the label instead of cutting it off', () => {
    expect(fitRowLabel('Transport layer', 'Transport', 'segment/datagram', 400)).toEqual({ layer: 'Transport layer', pdu: 'segment/datagram' });
    expect(fitRowLabel('Transport layer', 'Transport', 'segment/datagram', 240)).toEqual({ layer: 'Transport', pdu: 'segment/datagram' });
    expect(fitRowLabel('Transport layer', 'Transport', 'segment/datagram', 140)).toEqual({ layer: 'Transport layer', pdu: null });
    expect(fitRowLabel('Transport layer', 'Transport', 'segment/datagram', 90)).toEqual({ layer: 'Transport', pdu: null });
  });

  it('name the PDU the host really uses at the transport layer', () => {
    const tcp = transportPdus(lessonTrace('tcp-handshake').events);
    expect(pduKeyFor('transport', tcp.get('client'))).toBe('pdu.segment');
    expect(pduKeyFor('transport', transportPdus(lessonTrace('udp-echo').events).get('server'))).toBe('pdu.datagram');
    expect(pduKeyFor('transport', undefined)).toBe('pdu.segmentOrDatagram');
    expect(pduKeyFor('link', undefined)).toBe('pdu.frame');
  });

  it('fit every row of every lesson, wide and on a phone, in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      const t = translator(lang);
      for (const l of LESSONS) {
        const trace = lessonTrace(l.id);
        const pdus = transportPdus(trace.events);
        for (const compact of [false, true]) {
          for (const node of stackGeometry(trace.meta, compact).nodes) {
            for (const layer of LAYERS) {
              const row = node.rows[layer];
              if (!row) continue;
              const label = fitRowLabel(t(`layer.${layer}Alt`), t(`layer.${layer}`), t(pduKeyFor(layer, pdus.get(node.id))), row.w - 16);
              const w = textWidth(label.layer, 14, true) + (label.pdu ? textWidth(' · ' + label.pdu, 14) : 0);
              expect(w, `${lang} ${l.id} ${compact ? 'phone' : 'wide'} ${node.id} ${layer}: ${label.layer} · ${label.pdu}`).toBeLessThanOrEqual(row.w - 16);
            }
          }
        }
      }
    }
  });
});

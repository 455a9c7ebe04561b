import { describe, expect, it } from 'vitest';
import { EDGES, NODES, edgeFor, nodeFor } from '../../src/view/anim/tcpDiagramLayout.ts';
import { connectionsAt } from '../../src/view/model/tcpConnections.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { builtinTrace, lessonTrace } from './fixtures.ts';

describe('the TCP state diagram', () => {
  it('has RFC 9293’s eleven states (CLOSED drawn twice) and twenty transitions', () => {
    expect(NODES).toHaveLength(12);
    expect(EDGES).toHaveLength(20);
    for (const e of EDGES) {
      expect(NODES.some((n) => n.id === e.from)).toBe(true);
      expect(NODES.some((n) => n.id === e.to)).toBe(true);
    }
  });

  it('finds the RFC edge of every transition the lessons take, except resets', () => {
    for (const l of LESSONS.filter((x) => !x.hidden)) {
      for (const e of lessonTrace(l.id).events) {
        if (e.k !== 'tcp') continue;
        const edge = edgeFor(e.from, e.to);
        if (/RST/.test(e.cause)) continue;
        expect(edge, `${l.id}: ${e.from} → ${e.to} (${e.cause})`).toBeDefined();
      }
    }
    expect(nodeFor('CLOSED', 'TIME_WAIT')).toBe('CLOSED_END');
    expect(nodeFor('CLOSED', 'SYN_SENT')).toBe('CLOSED');
  });

  it('tracks each connection’s state and last transition', () => {
    const trace = builtinTrace('tcp-echo');
    const end = connectionsAt(trace.events, trace.events.length);
    expect(end.map((c) => `${c.host}/${c.sid} ${c.state}`)).toEqual(['server/1 CLOSED', 'client/1 CLOSED', 'server/2 CLOSED']);
    const mid = connectionsAt(trace.events, trace.events.findIndex((e) => e.k === 'tcp' && e.to === 'TIME_WAIT') + 1);
    expect(mid.find((c) => c.host === 'client')!.state).toBe('TIME_WAIT');
  });
});

import { describe, expect, it } from 'vitest';
import { narrate, narrateAt, narrationContext } from '../../src/view/model/narration.ts';
import { eventsAtStep } from '../../src/view/model/traceIndex.ts';
import { translator } from '../../src/view/i18n/translate.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { builtinTrace, index, lessonTrace } from './fixtures.ts';

const en = translator('en');
const zh = translator('zh');

describe('narration', () => {
  const ix = index(builtinTrace('tcp-echo'));
  const ctx = narrationContext(ix);
  const at = (t: number, tr = en): string[] => {
    const { from, to } = eventsAtStep(ix, t);
    return narrate(ctx, from, to, tr);
  };

  it('says in one sentence that the client’s kernel picks a port and sends a SYN', () => {
    expect(at(200_001)[0]).toBe('The client’s kernel picks ephemeral port 42096 and sends a SYN to 10.0.0.2:8080.');
    expect(at(200_001, zh)[0]).toBe('客户端的内核选择临时端口 42096,并向 10.0.0.2:8080 发送 SYN。');
  });

  it('explains the handshake, ARP, TIME_WAIT and its end', () => {
    expect(at(200_005).join(' ')).toContain('broadcasts an ARP request: “Who has 10.0.0.2?”');
    expect(at(200_183).join(' ')).toContain('creates a new connection (SYN_RECV)');
    expect(at(200_249).join(' ')).toContain('ESTABLISHED');
    expect(at(200_542).join(' ')).toContain('TIME_WAIT');
    expect(at(60_200_542)[0]).toContain('port 42096 is free again');
  });

  it('says why a UDP datagram to a closed port comes back as ICMP', () => {
    const uix = index(builtinTrace('udp-no-receiver'));
    const uctx = narrationContext(uix);
    const icmp = builtinTrace('udp-no-receiver').events.find((e) => e.k === 'layer' && e.proto === 'icmp')!;
    const { from, to } = eventsAtStep(uix, icmp.t);
    expect(narrate(uctx, from, to, en).join(' ')).toContain('No socket is bound to UDP port 9999 on the server');
  });

  it('has a sentence, fully filled in, for every step of every lesson, in both languages', () => {
    for (const lesson of LESSONS.filter((l) => !l.hidden)) {
      const lix = index(lessonTrace(lesson.id));
      const lctx = narrationContext(lix);
      const times = [...new Set(lix.trace.events.map((e) => e.t))];
      for (const tr of [en, zh]) {
        for (const t of times) {
          const { from, to } = eventsAtStep(lix, t);
          for (const x of narrate(lctx, from, to, tr)) expect(x, `${lesson.id} @${t}`).not.toMatch(/\{\w+\}|undefined|NaN/);
          expect(narrateAt(lctx, t, tr)?.sentences.length, `${lesson.id} @${t}`).toBeGreaterThan(0);
        }
      }
    }
  });
});

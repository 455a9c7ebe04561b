import { describe, expect, it } from 'vitest';
import { classifyAll, describeEvent, filtered, NO_FILTER } from '../../src/view/model/eventLog.ts';
import { narrationContext } from '../../src/view/model/narration.ts';
import { translator } from '../../src/view/i18n/translate.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { builtinTrace, index, lessonTrace } from './fixtures.ts';

describe('the event log', () => {
  const trace = builtinTrace('tcp-echo');
  const ctx = narrationContext(index(trace));
  const classes = classifyAll(ctx);

  it('filters by host, layer and protocol', () => {
    expect(filtered(classes, NO_FILTER)).toHaveLength(trace.events.length);
    const arp = filtered(classes, { host: null, layer: null, proto: 'arp' });
    expect([...arp].every((i) => ['wire', 'arp', 'layer'].includes(trace.events[i]!.k))).toBe(true);
    const serverLink = filtered(classes, { host: 'server', layer: 'link', proto: null });
    expect([...serverLink].some((i) => trace.events[i]!.k === 'wire')).toBe(true);
    const calls = filtered(classes, { host: 'client', layer: 'application', proto: null });
    expect([...calls].every((i) => ['proc', 'call', 'ret', 'out', 'line', 'layer'].includes(trace.events[i]!.k))).toBe(true);
  });

  it('describes every event of every lesson in both languages', () => {
    for (const l of LESSONS.filter((x) => !x.hidden)) {
      const t = lessonTrace(l.id);
      const c = narrationContext(index(t));
      for (const tr of [translator('en'), translator('zh')]) {
        for (const e of t.events) expect(describeEvent(c, e, tr)).not.toMatch(/\{\w+\}|undefined/);
      }
    }
    expect(describeEvent(ctx, trace.events.find((e) => e.k === 'wire')!, translator('en'))).toBe('client → server: ARP request (60 B)');
  });
});

import { describe, expect, it } from 'vitest';
import { lineRanges, narrate, narrationContext } from '../../src/view/model/narration.ts';
import { describeEvent } from '../../src/view/model/eventLog.ts';
import { eventsAtStep } from '../../src/view/model/traceIndex.ts';
import { translator } from '../../src/view/i18n/translate.ts';
import type { Trace, TraceEvent } from '../../src/sim/trace.ts';
import { builtinTrace, index } from './fixtures.ts';

const en = translator('en');
const zh = translator('zh');

describe('narration says which frame, and what programs and threads do', () => {
  it('names the frame a host receives when a step has several (the ARP reply arriving as the SYN leaves)', () => {
    const trace = builtinTrace('tcp-echo');
    const ix = index(trace);
    const ctx = narrationContext(ix);
    const sentences: string[] = [];
    for (const e of trace.events) {
      if (e.k !== 'layer' || e.dir !== 'up' || e.layer !== 'link') continue;
      const { from, to } = eventsAtStep(ix, e.t);
      sentences.push(...narrate(ctx, from, to, en), ...narrate(ctx, from, to, zh));
    }
    expect(sentences).toContain('The client receives the ARP reply frame and removes the Ethernet header.');
    expect(sentences).toContain('客户端收到帧(ARP 应答),去掉以太网首部。');
    expect(sentences).toContain('The server receives the TCP [SYN] frame and removes the Ethernet header.');
    expect(sentences.filter((s) => s.includes('receives the frame') || s.includes('收到这个帧'))).toEqual([]);
  });

  it('narrates line events, with loops as line ranges', () => {
    expect(lineRanges([3, 4, 5, 9, 11, 12])).toBe('3–5, 9, 11–12');
    const base: Omit<Trace, 'events'> = { meta: { version: 1, scenario: 'x', seed: 1, hosts: [], switches: [], links: [] }, end: 100 };
    const events: TraceEvent[] = [
      { t: 0, k: 'proc', op: 'start', host: 'h', pid: 7, ppid: 1, user: 'student', cmd: 'python3 main.py' },
      { t: 1, k: 'line', host: 'h', pid: 7, tid: 7, file: 'main.py', lines: [1], at: [0] },
      { t: 2, k: 'line', host: 'h', pid: 7, tid: 7, file: 'main.py', lines: [2, 3, 2, 3], at: [0, 1, 2, 3] },
      { t: 10, k: 'line', host: 'h', pid: 7, tid: 7, file: 'main.py', run: { count: 65536, dur: 50, set: [2, 3], last: 3 } },
      { t: 60, k: 'tls', host: 'h', pid: 7, tid: 8, obj: 'local#1', attr: 'x', value: '42' },
      { t: 61, k: 'async', host: 'h', pid: 7, tid: 7, op: 'pass', task: 'main', ready: 2 },
    ];
    const trace: Trace = { ...base, events };
    const ix = index(trace);
    const ctx = narrationContext(ix);
    const say = (t: number, tr = en): string[] => {
      const { from, to } = eventsAtStep(ix, t);
      return narrate(ctx, from, to, tr);
    };
    expect(say(1)).toEqual(['main.py runs line 1.']);
    expect(say(2)).toEqual(['main.py runs lines 2–3.']);
    expect(say(10)).toEqual(['main.py runs 65,536 statements on lines 2–3 (a loop).']);
    expect(say(10, zh)).toEqual(['main.py 在第 2–3 行执行了 65,536 条语句(一个循环)。']);
    expect(describeEvent(ctx, events[4]!, en)).toBe('h pid 7: thread 8 sets local#1.x = 42');
    expect(describeEvent(ctx, events[5]!, en)).toBe('h pid 7: asyncio pass main (ready=2)');
    expect(describeEvent(ctx, events[5]!, zh)).toBe('h pid 7:asyncio pass main (ready=2)');
  });

  it('narrates CPU cores only where threads compete for them', () => {
    const base: Omit<Trace, 'events'> = { meta: { version: 1, scenario: 'x', seed: 1, hosts: [], switches: [], links: [] }, end: 100 };
    const start: TraceEvent = { t: 0, k: 'proc', op: 'start', host: 'h', pid: 7, ppid: 1, user: 'student', cmd: 'python3 main.py' };
    const core: TraceEvent = { t: 5, k: 'core', host: 'h', core: 0, pid: 7, tid: 8 };
    const thread = (tid: number): TraceEvent => ({ t: 1, k: 'thread', host: 'h', pid: 7, tid, name: `T${tid}`, state: 'new' });
    const sayAt5 = (events: TraceEvent[]): string[] => {
      const ix = index({ ...base, events });
      const { from, to } = eventsAtStep(ix, 5);
      return narrate(narrationContext(ix), from, to, en);
    };
    expect(sayAt5([start, thread(7), core])).toEqual([]);
    expect(sayAt5([start, thread(7), thread(8), core])).toContain('On the h, CPU core 0 now runs thread 8 of main.py.');
  });
});

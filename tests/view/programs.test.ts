import { describe, expect, it } from 'vitest';
import { inferLines, programAt, programLineMarks, trackPrograms } from '../../src/view/model/programs.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { builtinTrace, lessonTrace } from './fixtures.ts';

const lesson = (id: string) => LESSONS.find((l) => l.id === id)!;

describe('programs', () => {
  it('infers lines from calls and prints, round the loop and into except', () => {
    const src = ['s = socket()', 'try:', '    s.connect(a)', '    print("ok")', 'except Exception as e:', '    print(e)', 's.close()'];
    const marks = inferLines(src, [
      { t: 1, kind: 'call', fn: 'socket' },
      { t: 2, kind: 'call', fn: 'connect' },
      { t: 3, kind: 'raise' },
      { t: 4, kind: 'out' },
      { t: 5, kind: 'call', fn: 'close' },
    ]);
    expect(marks.map((m) => m.line)).toEqual([1, 3, 5, 6, 7]);
    const loop = ['while True:', '    d = c.recv(1)', '    if not d:', '        break', '    c.sendall(d)', 'c.close()'];
    const m2 = inferLines(loop, [
      { t: 1, kind: 'call', fn: 'recv' },
      { t: 2, kind: 'call', fn: 'sendall' },
      { t: 3, kind: 'call', fn: 'recv' },
      { t: 4, kind: 'call', fn: 'close' },
    ]);
    expect(m2.map((m) => m.line)).toEqual([2, 5, 2, 6]);
  });

  it('follows the tcp-echo server through its Python source', () => {
    const l = lesson('tcp-handshake');
    const trace = builtinTrace('tcp-echo');
    const [, server] = trackPrograms(trace, l.sources);
    expect(server!.inferred).toBe(true);
    expect(server!.marks.map((m) => m.line)).toEqual([3, 4, 5, 7, 9, 11, 14, 15, 11, 16, 17, 18]);
    const end = programAt(trace, server!, trace.end);
    expect(end.status).toBe('exited');
    expect(end.output.map((o) => o.text)).toEqual(['connection from 10.0.0.1', 'echoed 5 bytes', 'done']);
    expect(programAt(trace, server!, 0).line).toBe(3);
  });

  it('uses the line events of lessons run in Python', () => {
    const l = lesson('time-wait');
    const trace = lessonTrace('time-wait');
    const tracks = trackPrograms(trace, l.sources);
    expect(tracks.every((t) => !t.inferred && t.marks.length > 0)).toBe(true);
    const server = tracks.find((t) => t.file === 'server.py')!;
    const failedBind = trace.events.find((e) => e.k === 'ret' && e.error)!;
    // The except clause (16) and its print (17) run in the step that starts when bind() returns, in the same µs.
    expect(programAt(trace, server, failedBind.t).line).toBe(17);
    expect(programLineMarks(tracks).length).toBeGreaterThan(20);
  });

  it('says when a program has not started yet', () => {
    const l = lesson('tcp-handshake');
    const trace = builtinTrace('tcp-echo');
    const [client] = trackPrograms(trace, l.sources);
    expect(programAt(trace, client!, 0).status).toBe('pending');
  });
});

import { describe, expect, it } from 'vitest';
import { executingLines, inferLines, lineAt, programAt, programLineMarks, trackPrograms } from '../../src/view/model/programs.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { builtinTrace, lessonTrace } from './fixtures.ts';
import type { Trace } from '../../src/sim/trace.ts';

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

  it('maps (trace, time, host and file) to the line(s) executing: what the Code view and the sandbox editor mark', () => {
    const l = lesson('time-wait');
    const trace = lessonTrace('time-wait');
    const tracks = trackPrograms(trace, l.sources);
    const call = (fn: string, host: string) => trace.events.find((e) => e.k === 'call' && e.fn === fn && e.host === host)!;
    const clientStart = trace.events.find((e) => e.k === 'proc' && e.op === 'start' && e.host === 'client')!.t;
    // The server's `accept()` is on line 7, and it waits there while the client starts…
    expect(executingLines(tracks, 'server', 'server.py', call('accept', 'server').t)).toEqual({ line: 7, hot: [] });
    expect(executingLines(tracks, 'server', 'server.py', clientStart)).toEqual({ line: 7, hot: [] });
    // …whose first step runs lines 1 and 3 in the same µs: the later one is the line shown; then connect() on line 4.
    expect(executingLines(tracks, 'client', 'client.py', clientStart)).toEqual({ line: 3, hot: [] });
    expect(executingLines(tracks, 'client', 'client.py', call('connect', 'client').t)).toEqual({ line: 4, hot: [] });
    // Before a program starts and after it exits nothing is executing; a file not in the run has no answer.
    expect(executingLines(tracks, 'client', 'client.py', clientStart - 1)).toEqual({ line: null, hot: [] });
    const clientExit = trace.events.find((e) => e.k === 'proc' && e.op === 'exit' && e.host === 'client')!;
    expect(executingLines(tracks, 'client', 'client.py', clientExit.t - 1)?.line).toBe(7);
    expect(executingLines(tracks, 'client', 'client.py', clientExit.t)).toEqual({ line: null, hot: [] });
    expect(executingLines(tracks, 'server', 'client.py', 3)).toBeNull();
    expect(executingLines(tracks, 'client', 'other.py', 3)).toBeNull();
    // The same answer as the Code view's programAt, at every line mark.
    for (const tr of tracks) for (const m of tr.marks) expect(executingLines(tracks, tr.host, tr.file, m.t)).toEqual({ line: programAt(trace, tr, m.t).line, hot: programAt(trace, tr, m.t).hot });
  });

  it('marks the lines a hot loop visits while its compacted run lasts', () => {
    const l = lesson('convoy-effect');
    const trace = lessonTrace('convoy-effect');
    const tracks = trackPrograms(trace, l.sources);
    const run = trace.events.find((e) => e.k === 'line' && e.run && e.file === 'server.py')!;
    if (run.k !== 'line' || !run.run) throw new Error('no run');
    const during = executingLines(tracks, 'server', 'server.py', run.t)!;
    expect(during.hot).toEqual(run.run.set);
    expect(run.run.set).toContain(during.line);
    // The line shown while it lasts is the one it executes most: the loop, not the code around it.
    expect(during.line).toBe(run.run.top);
  });

  it('shows a run’s most executed line while it lasts, whatever lines the step began and ended on', () => {
    const sources = [{ host: 'h', file: 'main.py', source: 'a\nb\nc\nd\ne\nf\n' }];
    const trace: Trace = {
      meta: { version: 1, scenario: 'x', seed: 1, hosts: [], switches: [], links: [] },
      end: 100,
      events: [
        { t: 0, k: 'proc', op: 'start', host: 'h', pid: 7, ppid: 1, user: 'student', cmd: 'python3 main.py' },
        { t: 10, k: 'line', host: 'h', pid: 7, tid: 7, file: 'main.py', run: { count: 9001, dur: 50, set: [2, 4, 5, 6], last: 6, top: 5 } },
        { t: 10, k: 'line', host: 'h', pid: 7, tid: 7, file: 'main.py', run: { count: 9001, dur: 50, set: [2, 4, 5, 6], last: 6 } },
      ],
    };
    const [withTop] = trackPrograms({ ...trace, events: trace.events.slice(0, 2) }, sources);
    expect(lineAt(withTop!, 30)).toEqual({ line: 5, hot: [2, 4, 5, 6] });
    expect(lineAt(withTop!, 60)).toEqual({ line: 6, hot: [] });
    // A trace recorded before runs had `top`: the first line of the run.
    const [without] = trackPrograms({ ...trace, events: [trace.events[0]!, trace.events[2]!] }, sources);
    expect(lineAt(without!, 30)).toEqual({ line: 2, hot: [2, 4, 5, 6] });
  });

  it('takes only the lines of the program’s own file, not of a module it imports', () => {
    const l = lesson('time-wait');
    const base = lessonTrace('time-wait');
    const server = base.events.find((e) => e.k === 'proc' && e.host === 'server')!;
    if (server.k !== 'proc') throw new Error('no server');
    // The server, waiting in accept() on line 7, runs line 2 of helper.py at t = 10 µs.
    const events = [...base.events];
    events.splice(events.findIndex((e) => e.t > 10), 0, { t: 10, k: 'line', host: 'server', pid: server.pid, tid: server.pid, file: 'helper.py', lines: [2], at: [0] });
    const trace = { ...base, events };
    const track = trackPrograms(trace, l.sources).find((tr) => tr.file === 'server.py')!;
    expect(lineAt(track, 10)).toEqual({ line: 7, hot: [] });
    expect(track.marks.every((m) => m.line !== 2 || m.t !== 10)).toBe(true);
  });

  it('says when a program has not started yet', () => {
    const l = lesson('tcp-handshake');
    const trace = builtinTrace('tcp-echo');
    const [client] = trackPrograms(trace, l.sources);
    expect(programAt(trace, client!, 0).status).toBe('pending');
  });
});

/**
 * The lessons as data and as stored traces (no Python here: tests/lessons/traces.test.ts reruns
 * them): ids, both languages, programs that ran and exited cleanly, line events on real lines of
 * the displayed source, what they print, their notes, and that every intro's claims hold in its
 * trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LESSONS, LISTED_LESSONS, lessonById } from '../../src/lessons/index.ts';
import { lessonInputsHash } from '../../src/lessons/lesson.ts';
import { decodeTrace } from '../../src/lessons/traceFile.ts';
import { lessonTrace } from '../view/fixtures.ts';

const TRACES = new URL('../../src/lessons/traces/', import.meta.url);
const out = (id: string): string[] => lessonTrace(id).events.flatMap((e) => (e.k === 'out' ? [e.text] : []));

describe('lessons', () => {
  it('have unique URL-safe ids, text in both languages, and views to show', () => {
    const ids = new Set<string>();
    for (const l of LESSONS) {
      expect(l.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(ids.has(l.id)).toBe(false);
      ids.add(l.id);
      for (const txt of [l.title, l.summary, l.intro]) {
        expect(txt.en.length).toBeGreaterThan(3);
        expect(txt.zh.length).toBeGreaterThan(3);
      }
      expect(l.views.length).toBeGreaterThan(0);
      expect(lessonById(l.id)).toBe(l);
    }
    expect(LISTED_LESSONS.length).toBeGreaterThanOrEqual(10);
  });

  it('cover every topic of the course', () => {
    const ids = LISTED_LESSONS.map((l) => l.id);
    for (const id of ['encapsulation', 'ip-addresses', 'ports', 'creating-sockets', 'udp-echo', 'udp-no-receiver', 'bind-errors', 'tcp-handshake', 'tcp-refused', 'time-wait']) expect(ids).toContain(id);
  });

  it('run only files they display, and display every file they run', () => {
    for (const l of LESSONS) {
      const paths = l.scenario.hosts.flatMap((h) => (h.programs ?? []).map((p) => p.path));
      expect(new Set(paths), l.id).toEqual(new Set(Object.keys(l.files)));
    }
  });

  it('each have a stored trace made from their current sources (else: npm run lessons), and no stray trace files', () => {
    for (const l of LESSONS) {
      const stored = decodeTrace(readFileSync(new URL(`${l.id}.json`, TRACES), 'utf8'));
      expect(stored.header.lesson).toBe(l.id);
      expect(stored.header.inputs, `${l.id}: its scenario or Python changed since its trace was made: run npm run lessons`).toBe(lessonInputsHash(l));
    }
    const files = readdirSync(TRACES).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(LESSONS.map((l) => `${l.id}.json`).sort());
  });

  it('ran every displayed program, and each exited with status 0', () => {
    for (const l of LISTED_LESSONS) {
      const trace = lessonTrace(l.id);
      expect(trace.events.length).toBeGreaterThan(10);
      for (const s of l.sources) {
        const started = trace.events.some((e) => e.k === 'proc' && e.op === 'start' && e.host === s.host && e.cmd.endsWith(s.file));
        expect(started, `${l.id} ${s.file}`).toBe(true);
      }
      const failed = trace.events.filter((e) => e.k === 'proc' && e.op === 'exit' && e.status !== 0);
      expect(failed, l.id).toEqual([]);
      expect(trace.events.filter((e) => e.k === 'out' && e.stream === 'stderr'), l.id).toEqual([]);
    }
  });

  it('mark only real, non-blank lines of the Python they display', () => {
    for (const l of LISTED_LESSONS) {
      const trace = lessonTrace(l.id);
      for (const e of trace.events) {
        if (e.k !== 'line') continue;
        const src = l.sources.find((s) => s.host === e.host && s.file === e.file);
        expect(src, `${l.id} ${e.file}`).toBeDefined();
        const lines = src!.source.split('\n');
        for (const n of [...(e.lines ?? []), ...(e.run?.set ?? [])]) expect(lines[n - 1]?.trim(), `${l.id} ${e.file}:${n}`).toBeTruthy();
      }
    }
  });

  it('show, for a golden case, exactly the Python and scenario recorded on real Linux', () => {
    const golden: Record<string, string> = { 'tcp-handshake': 'tcp-echo', 'tcp-refused': 'tcp-refused', 'udp-echo': 'udp-echo', 'udp-no-receiver': 'udp-no-receiver', 'port-conflict': 'port-conflict' };
    for (const [lessonId, caseId] of Object.entries(golden)) {
      const l = lessonById(lessonId)!;
      const dir = new URL(`../golden/cases/${caseId}/`, import.meta.url);
      expect(l.scenario, lessonId).toEqual(JSON.parse(readFileSync(new URL('scenario.json', dir), 'utf8')));
      for (const [path, source] of Object.entries(l.files)) expect(source, `${lessonId} ${path}`).toBe(readFileSync(new URL(path, dir), 'utf8'));
    }
  });

  it('print what the Python prints', () => {
    expect(out('bind-errors')).toEqual([
      'a listens on port 8080',
      'port in use: [Errno 98] Address already in use',
      'privileged port: [Errno 13] Permission denied',
      'out of range: bind(): port must be 0-65535.',
      expect.stringMatching(/^port 0 means any free port: \d+$/),
    ]);
    expect(out('time-wait')).toEqual(["server closed first, recv returned b''", 'bind failed: [Errno 98] Address already in use', '61 s later: bind ok']);
    expect(out('creating-sockets')).toEqual(['fds: 3 4 5 6', "b'hi'"]);
  });
});

describe('lesson notes', () => {
  it('each match an event of their lesson', () => {
    for (const l of LISTED_LESSONS) {
      for (const n of l.notes ?? []) expect(lessonTrace(l.id).events.some(n.match), `${l.id}: ${n.text.en}`).toBe(true);
    }
  });
});

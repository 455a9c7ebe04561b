import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../src/view/model/route.ts';

const known = (id: string): boolean => ['tcp-handshake', 'udp-echo'].includes(id);

describe('the URL', () => {
  it('reads the lesson list, a lesson, its time, its packet and embedding', () => {
    expect(parseRoute('', '', known)).toEqual({ route: { kind: 'list', embed: false } });
    expect(parseRoute('#/', '', known).route.kind).toBe('list');
    expect(parseRoute('#/lesson/tcp-handshake', '', known)).toEqual({ route: { kind: 'lesson', id: 'tcp-handshake', t: null, pkt: null, embed: false } });
    expect(parseRoute('#/lesson/tcp-handshake?t=200123&pkt=4', '', known).route).toEqual({ kind: 'lesson', id: 'tcp-handshake', t: 200123, pkt: 4, embed: false });
    expect(parseRoute('#/lesson/udp-echo', '?embed=1', known).route).toMatchObject({ embed: true });
    expect(parseRoute('#/lesson/udp-echo?embed=1', '', known).route).toMatchObject({ embed: true });
  });

  it('round-trips every route through the hash', () => {
    const routes: Route[] = [
      { kind: 'list', embed: false },
      { kind: 'list', embed: true },
      { kind: 'lesson', id: 'udp-echo', t: null, pkt: null, embed: false },
      { kind: 'lesson', id: 'tcp-handshake', t: 60200542, pkt: 12, embed: true },
      { kind: 'lesson', id: 'tcp-handshake', t: 0, pkt: null, embed: false },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r), '', known).route).toEqual(r);
  });

  it('explains a malformed link and falls back, keeping what it could not read', () => {
    const cases: [string, string][] = [
      ['#/lesson/nope', 'unknown-lesson'],
      ['#/lessen/tcp-handshake', 'bad-route'],
      ['#/lesson/%E0%A4%A', 'bad-route'],
      ['#/lesson/TCP', 'bad-route'],
      ['#/lesson/tcp-handshake?t=abc', 'bad-time'],
      ['#/lesson/tcp-handshake?t=-5', 'bad-time'],
      ['#/lesson/tcp-handshake?t=1.5', 'bad-time'],
      ['#/lesson/tcp-handshake?pkt=x', 'bad-packet'],
    ];
    for (const [hash, kind] of cases) {
      const p = parseRoute(hash, '', known);
      expect(p.problem?.kind, hash).toBe(kind);
      expect(p.problem?.raw).toBe(hash);
    }
    expect(parseRoute('#/lesson/tcp-handshake?t=abc', '', known).route).toMatchObject({ kind: 'lesson', t: null });
    expect(parseRoute('#/lesson/nope', '', known).route.kind).toBe('list');
  });

  it('never throws, whatever the link', () => {
    const alphabet = '#/?&=%lesontcp-hdk0123456789xyz.~!';
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 40);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(() => parseRoute(s, s.slice(0, 5), known)).not.toThrow();
    }
  });
});

/**
 * The URL: which lesson, which moment, which packet, embedded or not.
 *
 *   #/                                   the lesson list
 *   #/lesson/tcp-handshake               a lesson at its start
 *   #/lesson/tcp-handshake?t=200123      …at virtual time 200123 µs
 *   #/lesson/tcp-handshake?t=200123&pkt=4   …with packet 4 selected
 *   ?embed=1#/lesson/tcp-handshake       chrome hidden (for slides); `embed=1` may also sit in the hash query
 *   #/sandbox                            the sandbox (the student's own programs, as last saved)
 *   #/sandbox?lesson=tcp-handshake       …opened with a lesson's programs and network
 *   #/sandbox?example=udp-echo           …opened with a starter example
 *   #/sandbox?s=1.<crc>.<data>           …opened from a share link (src/view/sandbox/model/share.ts)
 *
 * Parsing never throws: anything it cannot read becomes a `problem` (with the text it could not
 * read, so nothing is lost) and a route to fall back to.
 * Pure: strings in, data out. May not touch `location`, `history`, the DOM or Svelte.
 */

export type Route =
  | { kind: 'list'; embed: boolean }
  | { kind: 'lesson'; id: string; t: number | null; pkt: number | null; embed: boolean }
  /** The sandbox; at most one of `lesson`, `example`, `share` says what to open in it (the sandbox checks them). */
  | { kind: 'sandbox'; lesson: string | null; example: string | null; share: string | null; embed: boolean };

export type RouteProblem =
  | { kind: 'unknown-lesson'; id: string; raw: string }
  | { kind: 'bad-time'; value: string; raw: string }
  | { kind: 'bad-packet'; value: string; raw: string }
  | { kind: 'bad-route'; raw: string };

export interface ParsedRoute {
  route: Route;
  problem?: RouteProblem;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function params(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    const v = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (k !== null && v !== null) out.set(k, v);
  }
  return out;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const UINT = /^(0|[1-9][0-9]{0,14})$/;

function truthy(v: string | undefined): boolean {
  return v === '1' || v === 'true' || v === '';
}

/**
 * Reads `location.hash` and `location.search`. `known` says whether a lesson id exists.
 */
export function parseRoute(hash: string, search: string, known: (id: string) => boolean): ParsedRoute {
  const raw = hash;
  const outer = params(search.replace(/^\?/, ''));
  const h = hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  const inner = params(q < 0 ? '' : h.slice(q + 1));
  const embed = (outer.has('embed') && truthy(outer.get('embed'))) || (inner.has('embed') && truthy(inner.get('embed')));
  const list: Route = { kind: 'list', embed };
  if (path === '' || path === '/' || path === '/lessons' || path === '/lessons/') {
    return { route: list };
  }
  if (path === '/sandbox' || path === '/sandbox/') {
    const word = (k: string): string | null => {
      const v = inner.get(k);
      return v !== undefined && ID.test(v) ? v : null;
    };
    const s = inner.get('s');
    return { route: { kind: 'sandbox', lesson: word('lesson'), example: word('example'), share: s !== undefined ? s : null, embed } };
  }
  const m = /^\/lesson\/([^/?]*)\/?$/.exec(path);
  const id = m ? decode(m[1]!) : null;
  if (!m || id === null || !ID.test(id)) return { route: list, problem: { kind: 'bad-route', raw } };
  if (!known(id)) return { route: list, problem: { kind: 'unknown-lesson', id, raw } };
  const route: Route = { kind: 'lesson', id, t: null, pkt: null, embed };
  let problem: RouteProblem | undefined;
  const t = inner.get('t');
  if (t !== undefined) {
    if (UINT.test(t)) route.t = Number(t);
    else problem = { kind: 'bad-time', value: t, raw };
  }
  const pkt = inner.get('pkt');
  if (pkt !== undefined) {
    if (UINT.test(pkt)) route.pkt = Number(pkt);
    else problem ??= { kind: 'bad-packet', value: pkt, raw };
  }
  return problem ? { route, problem } : { route };
}

/** The hash for a route (embedding is kept in the hash query so a copied link keeps it). */
export function formatRoute(r: Route): string {
  if (r.kind === 'list') return r.embed ? '#/?embed=1' : '#/';
  if (r.kind === 'sandbox') {
    const q: string[] = [];
    if (r.lesson !== null) q.push(`lesson=${encodeURIComponent(r.lesson)}`);
    if (r.example !== null) q.push(`example=${encodeURIComponent(r.example)}`);
    if (r.share !== null) q.push(`s=${encodeURIComponent(r.share)}`);
    if (r.embed) q.push('embed=1');
    return `#/sandbox${q.length ? '?' + q.join('&') : ''}`;
  }
  const q: string[] = [];
  if (r.t !== null) q.push(`t=${Math.max(0, Math.round(r.t))}`);
  if (r.pkt !== null) q.push(`pkt=${r.pkt}`);
  if (r.embed) q.push('embed=1');
  return `#/lesson/${encodeURIComponent(r.id)}${q.length ? '?' + q.join('&') : ''}`;
}

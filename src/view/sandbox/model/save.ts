/**
 * The sandbox's saved form (localStorage), versioned:
 *
 *   {"format":"wirescope-sandbox","version":1,"saved":"2026-11-28T21:40:00.000Z","scenario":{…}}
 *
 * `scenario` is the sandbox as a scenario file (src/view/sandbox/model/doc.ts). Reading never
 * throws and never guesses: text that is not JSON, JSON that is not this format, a version
 * this build does not know, or a scenario without a usable shape comes back as a problem with
 * the raw text, so the caller can offer it to the student instead of dropping it.
 *
 * Pure: strings in, data out. May not touch storage, the DOM or Svelte (the time is passed in).
 */
import { docToScenario, scenarioToDoc, type SandboxDoc } from './doc.ts';

export const SAVE_FORMAT = 'wirescope-sandbox';
export const SAVE_VERSION = 1;

/** Why a saved text could not be read. */
export type SaveProblem =
  /** Not JSON at all (cut short, edited by hand, another program's bytes). */
  | { kind: 'corrupt'; detail: string }
  /** JSON, but not a wirescope sandbox. */
  | { kind: 'foreign'; detail: string }
  /** A wirescope sandbox from a newer version of the app. */
  | { kind: 'newer'; version: number }
  /** The right format, but its scenario cannot be turned into a sandbox. */
  | { kind: 'damaged'; detail: string };

export type ReadSave = { ok: true; doc: SandboxDoc; saved: string | null } | { ok: false; problem: SaveProblem; raw: string };

/** The text to store. */
export function encodeSave(doc: SandboxDoc, now: Date): string {
  return JSON.stringify({ format: SAVE_FORMAT, version: SAVE_VERSION, saved: now.toISOString(), scenario: docToScenario(doc) });
}

export function decodeSave(raw: string): ReadSave {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    return { ok: false, problem: { kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) }, raw };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, problem: { kind: 'foreign', detail: 'not an object' }, raw };
  const o = data as Record<string, unknown>;
  if (o.format !== SAVE_FORMAT) return { ok: false, problem: { kind: 'foreign', detail: `format ${JSON.stringify(o.format ?? null)}` }, raw };
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) return { ok: false, problem: { kind: 'damaged', detail: `version ${JSON.stringify(o.version ?? null)}` }, raw };
  if (o.version > SAVE_VERSION) return { ok: false, problem: { kind: 'newer', version: o.version }, raw };
  const r = scenarioToDoc(o.scenario);
  if (!r.ok) return { ok: false, problem: { kind: 'damaged', detail: r.problem }, raw };
  return { ok: true, doc: r.doc, saved: typeof o.saved === 'string' ? o.saved : null };
}

/** Earlier sandboxes kept when one is replaced (an example, a lesson, a share link): newest first. */
export interface Kept {
  saved: string;
  name: string;
  /** The save text (encodeSave). */
  text: string;
}

export const KEEP_MAX = 8;

/** The list of kept sandboxes from its stored text; unreadable entries are kept as they are (they are still the student's). */
export function decodeKept(raw: string | null): Kept[] {
  if (!raw) return [];
  try {
    const data: unknown = JSON.parse(raw);
    if (!Array.isArray(data)) return [];
    return data.filter((k): k is Kept => typeof k === 'object' && k !== null && typeof k.text === 'string').map((k) => ({ saved: String(k.saved ?? ''), name: String(k.name ?? ''), text: k.text }));
  } catch {
    return [];
  }
}

/** Keep `text` at the front of the list (unless the newest kept one is the same), at most KEEP_MAX. */
export function keep(list: readonly Kept[], entry: Kept): Kept[] {
  const same = (a: string, b: string): boolean => stripSaved(a) === stripSaved(b);
  if (list.length > 0 && same(list[0]!.text, entry.text)) return [...list];
  return [entry, ...list.filter((k) => !same(k.text, entry.text))].slice(0, KEEP_MAX);
}

/** A save's text without its time stamp, to compare two saves' contents. */
export function stripSaved(text: string): string {
  return text.replace(/"saved":"[^"]*",?/, '');
}

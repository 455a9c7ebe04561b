/**
 * The sandbox's state: the document being edited, where it came from, saving it (localStorage,
 * never losing what was there), running it in the Python worker (src/python/sandbox.ts) and the
 * player of the last run.
 *
 * Storage keys:
 *   wirescope.sandbox             the current sandbox (src/view/sandbox/model/save.ts)
 *   wirescope.sandbox.kept        earlier sandboxes, kept when one was replaced (newest first)
 *   wirescope.sandbox.unreadable  saved texts that could not be read, kept until the student dismisses them
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- the Dates here are time stamps written into saves, never reactive state */
import { runPythonScenario, disposePythonWorker } from '../../python/sandbox.ts';
import type { SandboxResult } from '../../python/sandbox-protocol.ts';
import { loadScenarioData } from '../../scenarios/load.ts';
import { lessonById } from '../../lessons/index.ts';
import type { Text, ViewId } from '../../lessons/lesson.ts';
import type { Route } from '../model/route.ts';
import { formatRoute } from '../model/route.ts';
import { Player, type PlayerLesson } from '../state/player.svelte.ts';
import { docToScenario, emptyDoc, lessonToDoc, scenarioToDoc, splitProblem, type SandboxDoc } from './model/doc.ts';
import { decodeKept, decodeSave, encodeSave, keep, stripSaved, type Kept, type SaveProblem } from './model/save.ts';
import { decodeShare, encodeShare, type ShareProblem } from './model/share.ts';
import { exampleById, EXAMPLES } from './model/examples.ts';
import { outcomeOf, type Diagnostic, type Outcome } from './model/outcome.ts';

export const KEY = 'wirescope.sandbox';
export const KEPT_KEY = 'wirescope.sandbox.kept';
export const UNREADABLE_KEY = 'wirescope.sandbox.unreadable';

/** The sandbox's default step budget: a runaway loop stops after a few seconds, not a minute. */
export const SANDBOX_STEP_BUDGET = 10_000_000;
/** Real-time limit of one run (the worker is terminated after it: a loop in C code). */
export const RUN_TIMEOUT_MS = 60_000;

export interface Store {
  get(key: string): string | null;
  /** False when the browser refused (storage full or disabled). */
  set(key: string, value: string): boolean;
  remove(key: string): void;
}

export const browserStore: Store = {
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to do
    }
  },
};

/** A saved text that could not be read, kept for the student. */
export interface Unreadable {
  found: string;
  problem: SaveProblem;
  raw: string;
}

export type SandboxNotice =
  | { kind: 'bad-share'; problem: ShareProblem; raw: string }
  | { kind: 'unknown-lesson'; id: string }
  | { kind: 'unknown-example'; id: string }
  | { kind: 'replaced'; name: string }
  | { kind: 'storage-failed' };

export type Phase = 'idle' | 'loading' | 'running';

/**
 * Python in the worker (module-level, as the worker in src/python/sandbox.ts is): not loaded,
 * loading (the warm-up run below), or ready.
 */
const python = $state<{ status: 'cold' | 'loading' | 'ready' }>({ status: 'cold' });
/** The warm-up run in flight, if any: the sandbox starts it when it opens, a Run waits for it. */
let warming: Promise<SandboxResult> | null = null;

const SANDBOX_VIEWS: ViewId[] = ['stack', 'code', 'packet', 'sockets', 'log', 'tcp', 'ports', 'ip'];

/**
 * Run once in a new worker before the student's first program: it loads Python and pays, out of
 * sight, for what a first program would (socket's modules installed on first import, threading
 * compiled for the first program that uses it): about 1 s that a first TCP echo otherwise waited
 * for. Runs do not depend on what the interpreter ran before (docs/python-runtime.md), so the
 * student's traces are the same with or without it.
 */
const WARM_UP = {
  hosts: [{ name: 'warmup', ip: '10.0.0.1', programs: [{ name: 'warmup.py', code: 'import socket, threading\nthreading.Thread(target=int).start()\n' }] }],
};

/** Load Python in the worker (once; again after the worker was stopped or failed). */
function warmPython(): Promise<SandboxResult> {
  if (!warming) {
    python.status = 'loading';
    warming = runPythonScenario({ scenario: WARM_UP }, { timeoutMs: RUN_TIMEOUT_MS * 2 }).then((r) => {
      python.status = r.ok ? 'ready' : 'cold';
      if (!r.ok) warming = null;
      return r;
    });
  }
  return warming;
}

export class Sandbox {
  doc = $state<SandboxDoc>(emptyDoc());
  /** The host and program being edited, by key. */
  selected = $state<{ host: number; program: number | null }>({ host: 0, program: null });
  phase = $state<Phase>('idle');
  outcome = $state.raw<Outcome | null>(null);
  player = $state.raw<Player | null>(null);
  /** The programs as they were when the shown run started (the player shows these). */
  ranDoc = $state.raw<SandboxDoc | null>(null);
  notices = $state<SandboxNotice[]>([]);
  unreadable = $state<Unreadable[]>([]);
  kept = $state<Kept[]>([]);
  saveState = $state<'saved' | 'unsaved' | 'failed'>('saved');
  /** Milliseconds the current run has taken (updated while it runs). */
  elapsed = $state(0);
  /** For "go to line": which program and line to reveal; `n` changes on every request. */
  reveal = $state<{ programKey: number; line: number; n: number } | null>(null);
  shareUrl = $state<string | null>(null);

  /** The scenario file of the document, and the validator's problems with it. */
  scenario = $derived(docToScenario(this.doc));
  problems = $derived.by(() => {
    const r = loadScenarioData(this.scenario, 'sandbox', () => undefined);
    return r.ok ? [] : r.errors.map(splitProblem);
  });

  private store: Store;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private prepareTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSaved = '';
  private tick: ReturnType<typeof setInterval> | null = null;

  constructor(store: Store = browserStore) {
    this.store = store;
  }

  // ——— opening ———

  /** Opens what the route names (a lesson's programs, an example, a share link) or the saved sandbox. */
  async open(route: Extract<Route, { kind: 'sandbox' }>): Promise<void> {
    this.notices = [];
    this.readUnreadable();
    this.kept = decodeKept(this.store.get(KEPT_KEY));
    const saved = this.readSaved();
    let next: SandboxDoc | null = null;
    if (route.share !== null) {
      const r = await decodeShare(route.share);
      if (r.ok) next = r.doc;
      else this.notices.push({ kind: 'bad-share', problem: r.problem, raw: route.share });
    } else if (route.lesson !== null) {
      const lesson = lessonById(route.lesson);
      if (lesson) next = lessonToDoc(lesson);
      else this.notices.push({ kind: 'unknown-lesson', id: route.lesson });
    } else if (route.example !== null) {
      const ex = exampleById(route.example);
      if (ex) next = scenarioToDocOrEmpty(ex.scenario);
      else this.notices.push({ kind: 'unknown-example', id: route.example });
    }
    if (next && saved) {
      this.setDoc(saved, true);
      this.replace(next);
    } else this.setDoc(next ?? saved ?? scenarioToDocOrEmpty(EXAMPLES[0]!.scenario), true);
    this.lastSaved = this.currentSaveBody();
    if (!saved || next) this.saveNow();
    // The URL now says only "the sandbox": a reload shows the saved (perhaps edited) sandbox, not the link again.
    if (typeof history !== 'undefined' && (route.share !== null || route.lesson !== null || route.example !== null)) {
      history.replaceState(history.state, '', formatRoute({ kind: 'sandbox', lesson: null, example: null, share: null, embed: route.embed }));
    }
  }

  /** Replace the document with another, keeping the current one among the earlier sandboxes. */
  replace(doc: SandboxDoc): void {
    const before = encodeSave(this.doc, new Date());
    const after = encodeSave(doc, new Date());
    if (stripSaved(before) !== stripSaved(after)) {
      this.kept = keep(this.kept, { saved: new Date().toISOString(), name: this.doc.name, text: before });
      if (!this.store.set(KEPT_KEY, JSON.stringify(this.kept))) this.notices.push({ kind: 'storage-failed' });
      else this.notices.push({ kind: 'replaced', name: this.doc.name });
    }
    this.setDoc(doc, true);
  }

  loadExample(id: string): void {
    const ex = exampleById(id);
    if (ex) this.replace(scenarioToDocOrEmpty(ex.scenario));
    this.saveNow();
  }

  /** Bring back an earlier sandbox (the current one is kept in its place). */
  restore(index: number): void {
    const k = this.kept[index];
    if (!k) return;
    const r = decodeSave(k.text);
    if (!r.ok) return;
    this.kept = this.kept.filter((_, i) => i !== index);
    this.replace(r.doc);
    this.saveNow();
  }

  private setDoc(doc: SandboxDoc, clearRun: boolean): void {
    this.doc = doc;
    const h = doc.hosts[0];
    this.selected = { host: h?.key ?? 0, program: h?.programs[0]?.key ?? null };
    if (clearRun) {
      this.outcome = null;
      this.player = null;
      this.ranDoc = null;
    }
  }

  private readSaved(): SandboxDoc | null {
    const raw = this.store.get(KEY);
    if (raw === null) return null;
    const r = decodeSave(raw);
    if (r.ok) return r.doc;
    // Keep the unreadable text for the student before anything may write over it.
    const list = this.unreadableList();
    if (!list.some((u) => u.raw === raw)) {
      list.push({ found: new Date().toISOString(), raw });
      if (!this.store.set(UNREADABLE_KEY, JSON.stringify(list))) {
        // Nowhere to keep it: leave it where it is and do not save over it this visit.
        this.saveBlocked = true;
      }
    }
    this.readUnreadable();
    if (!this.unreadable.some((u) => u.raw === raw)) this.unreadable = [...this.unreadable, { found: new Date().toISOString(), problem: r.problem, raw }];
    return null;
  }

  private saveBlocked = false;

  private unreadableList(): { found: string; raw: string }[] {
    try {
      const data: unknown = JSON.parse(this.store.get(UNREADABLE_KEY) ?? '[]');
      return Array.isArray(data) ? data.filter((x): x is { found: string; raw: string } => typeof x?.raw === 'string') : [];
    } catch {
      return [];
    }
  }

  private readUnreadable(): void {
    this.unreadable = this.unreadableList().map((u) => {
      const r = decodeSave(u.raw);
      return { found: String(u.found ?? ''), raw: u.raw, problem: r.ok ? { kind: 'damaged', detail: '' } : r.problem };
    });
  }

  /** The student has the text (copied or downloaded): forget it. */
  dismissUnreadable(raw: string): void {
    const list = this.unreadableList().filter((u) => u.raw !== raw);
    if (list.length) this.store.set(UNREADABLE_KEY, JSON.stringify(list));
    else this.store.remove(UNREADABLE_KEY);
    this.unreadable = this.unreadable.filter((u) => u.raw !== raw);
  }

  dismissNotice(i: number): void {
    this.notices = this.notices.filter((_, j) => j !== i);
  }

  // ——— saving ———

  private currentSaveBody(): string {
    return JSON.stringify(this.scenario);
  }

  /** Called whenever the document may have changed: saves after a short pause in typing. */
  docChanged(): void {
    const body = this.currentSaveBody();
    if (body === this.lastSaved) return;
    this.saveState = 'unsaved';
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), 400);
  }

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.saveBlocked) {
      this.saveState = 'failed';
      return;
    }
    const ok = this.store.set(KEY, encodeSave($state.snapshot(this.doc) as SandboxDoc, new Date()));
    this.lastSaved = this.currentSaveBody();
    this.saveState = ok ? 'saved' : 'failed';
  }

  /** The sandbox as a scenario file (for download). */
  scenarioText(): string {
    return JSON.stringify(this.scenario, null, 2) + '\n';
  }

  async makeShareUrl(base: string): Promise<string> {
    const code = await encodeShare($state.snapshot(this.doc) as SandboxDoc);
    const url = base.replace(/#.*$/, '') + formatRoute({ kind: 'sandbox', lesson: null, example: null, share: code, embed: false });
    this.shareUrl = url;
    return url;
  }

  // ——— running ———

  /** Run the sandbox: load Python on first use, run in the worker, show the result in the player. */
  async run(): Promise<void> {
    if (this.phase !== 'idle') return;
    const doc = cloneDocKeepKeys($state.snapshot(this.doc) as SandboxDoc);
    const scenario = docToScenario(doc);
    this.saveNow();
    const local = loadScenarioData(scenario, 'sandbox', () => undefined);
    if (!local.ok) {
      this.outcome = { kind: 'invalid', problems: local.errors.map(splitProblem) };
      return;
    }
    const started = performance.now();
    this.elapsed = 0;
    this.tick = setInterval(() => (this.elapsed = performance.now() - started), 250);
    try {
      if (python.status !== 'ready') {
        this.phase = 'loading';
        const w = await warmPython();
        if (!w.ok) {
          this.finish(w, doc);
          return;
        }
      }
      this.phase = 'running';
      const request = { scenario, ...(typeof scenario.step_budget === 'number' ? {} : { stepBudget: SANDBOX_STEP_BUDGET }) };
      const r = await runPythonScenario(request, { timeoutMs: RUN_TIMEOUT_MS });
      this.finish(r, doc);
    } finally {
      if (this.tick) clearInterval(this.tick);
      this.tick = null;
      this.phase = 'idle';
    }
  }

  /** Stop a run that is taking too long (terminates the worker; Python loads again next time). */
  stop(): void {
    if (this.phase === 'idle') return;
    disposePythonWorker();
  }

  private finish(r: SandboxResult, doc: SandboxDoc): void {
    if (!r.ok && (r.kind === 'timeout' || r.kind === 'crash')) {
      python.status = 'cold';
      warming = null;
    }
    const outcome = outcomeOf(r, doc);
    this.outcome = outcome;
    this.player?.dispose();
    this.player = null;
    if (outcome.kind === 'ran') {
      this.ranDoc = doc;
      this.player = new Player(runLesson(doc), outcome.trace);
    }
  }

  /** Diagnostics of the shown run for one program. */
  diagnosticsFor(programKey: number): Diagnostic[] {
    const o = this.outcome;
    if (!o || (o.kind !== 'ran' && o.kind !== 'syntax')) return [];
    return o.diagnostics.filter((d) => d.programKey === programKey);
  }

  /** Select a program and put its cursor on a line. */
  goTo(programKey: number, line: number | null): void {
    const host = this.doc.hosts.find((h) => h.programs.some((p) => p.key === programKey));
    if (!host) return;
    this.selected = { host: host.key, program: programKey };
    this.reveal = { programKey, line: line ?? 1, n: (this.reveal?.n ?? 0) + 1 };
  }

  /** Python in the worker: not loaded, loading (in the background or for a Run), or ready. */
  get pythonStatus(): 'cold' | 'loading' | 'ready' {
    return python.status;
  }

  /**
   * Start loading Python in the background, so that the first Run does not wait for it. Left
   * to `delayMs` after opening, so that the page is drawn and usable first.
   */
  preparePython(delayMs = 300): void {
    if (python.status !== 'cold' || this.prepareTimer) return;
    this.prepareTimer = setTimeout(() => {
      this.prepareTimer = null;
      if (this.phase === 'idle') void warmPython();
    }, delayMs);
  }

  dispose(): void {
    if (this.prepareTimer) clearTimeout(this.prepareTimer);
    this.prepareTimer = null;
    if (this.saveTimer) this.saveNow();
    this.player?.dispose();
  }
}

function scenarioToDocOrEmpty(data: unknown): SandboxDoc {
  const r = scenarioToDoc(data);
  return r.ok ? r.doc : emptyDoc();
}

/** A copy of the document that keeps its keys (so diagnostics point at the programs being edited). */
function cloneDocKeepKeys(doc: SandboxDoc): SandboxDoc {
  return JSON.parse(JSON.stringify(doc)) as SandboxDoc;
}

/** What the player needs to show a run: its programs as they were run. */
export function runLesson(doc: SandboxDoc): PlayerLesson {
  const title: Text = { en: doc.name || 'sandbox', zh: doc.name || '沙盒' };
  return {
    id: 'sandbox',
    title,
    summary: { en: '', zh: '' },
    intro: { en: '', zh: '' },
    sources: doc.hosts.flatMap((h) => h.programs.map((p) => ({ host: h.name, file: p.name, source: p.code }))),
    views: SANDBOX_VIEWS,
  };
}


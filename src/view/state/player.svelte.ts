/**
 * The player: one lesson's trace and the current virtual time, plus everything the views
 * derive from them. The views are pure functions of (trace, t); play, pause, step, scrub and
 * speed only change `t`. The animation loop is the one place that reads the wall clock: it maps
 * wall milliseconds to playback position through the speed, and playback position to virtual
 * time through the timeline (src/view/model/timeline.ts).
 */
import type { Trace } from '../../sim/trace.ts';
import type { Lesson, ViewId } from '../../lessons/lesson.ts';
import { buildIndex, stepTime, upto, type TraceIndex } from '../model/traceIndex.ts';
import { advance, nextSpeed, posOf, speedOf, timelineForTrace, timeOf, type Timeline } from '../model/timeline.ts';
import { anyEvent, marksWhere, nextMark, packetEvent, prevMark, lineMarks } from '../model/stepping.ts';
import { narrationContext, type NarrationContext } from '../model/narration.ts';
import { programLineMarks, trackPrograms, type ProgramTrack } from '../model/programs.ts';
import { stackGeometry, type StackGeometry } from '../anim/stackGeometry.ts';
import { classifyAll, type LogClass } from '../model/eventLog.ts';

export type StepUnit = 'event' | 'packet' | 'line';

/** What the player needs of a lesson: texts, the displayed programs, emphasised views, notes (the sandbox makes one from a run). */
export type PlayerLesson = Pick<Lesson, 'id' | 'title' | 'summary' | 'intro' | 'sources' | 'views' | 'notes'>;

/** Longest wall-clock gap one animation frame may advance by (a background tab, a debugger pause). */
const MAX_FRAME_MS = 100;

export class Player {
  readonly lesson: PlayerLesson;
  readonly trace: Trace;
  readonly index: TraceIndex;
  readonly timeline: Timeline;
  readonly marks: Record<StepUnit, Float64Array>;
  readonly narration: NarrationContext;
  readonly programs: ProgramTrack[];
  readonly geometry: StackGeometry;
  /** The same picture laid out for a phone. */
  readonly compactGeometry: StackGeometry;
  readonly logClasses: LogClass[];

  /** Virtual time, µs (fractional while playing; whole when paused). */
  t = $state(0);
  playing = $state(false);
  /** log10 of the speed: −1 … 1 for 0.1× … 10×. */
  logSpeed = $state(0);
  unit = $state<StepUnit>('event');
  selectedPkt = $state<number | null>(null);
  /** The view picked in the tabs; null until the reader picks one (then the layout's default shows). */
  view = $state<ViewId | null>(null);

  speed = $derived(speedOf(this.logSpeed));
  /** How many events have happened: the discrete views depend on this, not on t. */
  cursor = $derived.by(() => upto(this.index, this.t));
  /** Time of the latest event that has happened (the step the player is on), or null before any. */
  stepT = $derived.by(() => (this.cursor === 0 ? null : this.index.times[this.cursor - 1]!));
  position = $derived.by(() => posOf(this.timeline, this.t));
  atEnd = $derived.by(() => this.t >= this.trace.end);
  /** The packet of the latest packet event that has happened: what the details show when none is picked. */
  currentPkt = $derived.by(() => {
    for (let i = this.cursor - 1; i >= 0; i--) {
      const p = this.index.eventPkt[i]!;
      if (p >= 0) return p;
    }
    return null;
  });
  /** The packet the details view shows: the picked one, else the current one. */
  shownPkt = $derived(this.selectedPkt ?? this.currentPkt);

  private raf = 0;
  private lastWall: number | null = null;

  constructor(lesson: PlayerLesson, trace: Trace) {
    this.lesson = lesson;
    this.trace = trace;
    this.index = buildIndex(trace);
    this.timeline = timelineForTrace(trace);
    this.narration = narrationContext(this.index);
    this.programs = trackPrograms(trace, lesson.sources);
    this.geometry = stackGeometry(trace.meta);
    this.compactGeometry = stackGeometry(trace.meta, true);
    this.logClasses = classifyAll(this.narration);
    const lines = lineMarks(trace.events);
    this.marks = {
      event: marksWhere(trace.events, anyEvent),
      packet: marksWhere(trace.events, packetEvent),
      line: lines.length > 0 ? lines : programLineMarks(this.programs),
    };
  }

  /** Jump to virtual time t (clamped), stopping playback. */
  seek(t: number): void {
    this.pause();
    this.t = Math.round(Math.min(this.trace.end, Math.max(0, t)));
  }

  /** Jump to a playback position (the scrub bar). */
  seekPosition(p: number): void {
    this.seek(timeOf(this.timeline, p));
  }

  stepForward(unit: StepUnit = this.unit): void {
    const m = nextMark(this.marks[unit], this.t);
    this.seek(m ?? this.trace.end);
  }

  stepBack(unit: StepUnit = this.unit): void {
    const m = prevMark(this.marks[unit], this.t);
    this.seek(m ?? 0);
  }

  toStart(): void {
    this.seek(0);
  }

  toEnd(): void {
    this.seek(this.trace.end);
  }

  faster(): void {
    this.logSpeed = Math.log10(nextSpeed(this.speed, 1));
  }

  slower(): void {
    this.logSpeed = Math.log10(nextSpeed(this.speed, -1));
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing) return;
    if (this.atEnd) this.t = 0;
    this.playing = true;
    this.lastWall = null;
    this.raf = requestAnimationFrame(this.frame);
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.t = Math.round(this.t);
  }

  /** Stop the loop for good (the lesson is closed). */
  dispose(): void {
    this.pause();
  }

  private frame = (wall: number): void => {
    if (!this.playing) return;
    const dt = this.lastWall === null ? 0 : Math.min(MAX_FRAME_MS, wall - this.lastWall);
    this.lastWall = wall;
    const r = advance(this.timeline, this.t, dt, this.speed);
    this.t = r.t;
    if (r.done) {
      this.playing = false;
      this.t = this.trace.end;
      return;
    }
    this.raf = requestAnimationFrame(this.frame);
  };

  /** The step time at or before t (for views that show "the current step"). */
  stepAt(t: number): number | null {
    return stepTime(this.index, t);
  }

  select(pkt: number | null): void {
    this.selectedPkt = pkt;
    if (pkt !== null) this.view = 'packet';
  }
}

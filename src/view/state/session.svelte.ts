/**
 * The application session: the route (which lesson, which moment, embedded or not), a
 * message when a link could not be honoured, and the player of the open lesson. Routes come
 * from the URL (src/view/model/route.ts); the trace comes from the lesson's trace source.
 */
import { lessonById } from '../../lessons/index.ts';
import { loadLessonTrace } from '../../lessons/traceSource.ts';
import { parseRoute, type Route, type RouteProblem } from '../model/route.ts';
import { Player } from './player.svelte.ts';

export type Notice = RouteProblem | { kind: 'time-out-of-range'; value: number; end: number } | { kind: 'no-such-packet'; value: number } | { kind: 'load-failed'; message: string };

export class Session {
  route = $state<Route>({ kind: 'list', embed: false });
  notice = $state<Notice | null>(null);
  player = $state.raw<Player | null>(null);
  loading = $state(false);
  embed = $derived(this.route.embed);
  /** Bumped on every navigation, so a slow load cannot install a stale player. */
  private generation = 0;

  /** Reads location.hash/search and opens what they name. Never throws. */
  navigate(hash: string, search: string): void {
    const parsed = parseRoute(hash, search, (id) => lessonById(id) !== undefined);
    this.notice = parsed.problem ?? null;
    void this.open(parsed.route);
  }

  private async open(route: Route): Promise<void> {
    const gen = ++this.generation;
    const current = this.player;
    const sameLesson = route.kind === 'lesson' && current !== null && current.lesson.id === route.id;
    this.route = route;
    if (route.kind === 'list' || route.kind === 'sandbox') {
      // The sandbox (src/view/sandbox/) owns its own runs and player.
      current?.dispose();
      this.player = null;
      return;
    }
    let player = sameLesson ? current : null;
    if (!player) {
      current?.dispose();
      this.player = null;
      const lesson = lessonById(route.id)!;
      this.loading = true;
      try {
        const trace = await loadLessonTrace(lesson);
        if (gen !== this.generation) return;
        player = new Player(lesson, trace);
      } catch (e) {
        if (gen !== this.generation) return;
        this.notice = { kind: 'load-failed', message: e instanceof Error ? e.message : String(e) };
        this.route = { kind: 'list', embed: route.embed };
        return;
      } finally {
        if (gen === this.generation) this.loading = false;
      }
    }
    if (route.t !== null) {
      if (route.t > player.trace.end) this.notice = { kind: 'time-out-of-range', value: route.t, end: player.trace.end };
      player.seek(route.t);
    } else if (!sameLesson) player.seek(0);
    if (route.pkt !== null) {
      if (player.index.packets.has(route.pkt)) player.select(route.pkt);
      else this.notice = { kind: 'no-such-packet', value: route.pkt };
    }
    this.player = player;
  }

  dismissNotice(): void {
    this.notice = null;
  }
}

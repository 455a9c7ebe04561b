/**
 * A load test, not a lesson (hidden from the list): 40 TCP connections send 20 kB each at once
 * over a long, fast link (5 ms, 1 Gbit/s), so more than 300 frames are in flight at the peak.
 * bench/ui.ts measures frame times on it.
 */
import { AF_INET, SOCK_STREAM, type Py } from '../../sim/api/pysocket.ts';
import type { ProgramSpec } from '../../sim/scenario.ts';
import type { Lesson } from '../lesson.ts';

export const BENCH_FLOWS = 40;

function programs(): ProgramSpec[] {
  const out: ProgramSpec[] = [];
  for (let i = 0; i < BENCH_FLOWS; i++) {
    const port = 9000 + i;
    out.push({
      host: 'server',
      file: `sink${i}.py`,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.bind(['', port]);
        yield* s.listen(1);
        const [c] = yield* s.accept();
        for (;;) {
          const d = yield* c.recv(65536);
          if (d.length === 0) break;
        }
        yield* c.close();
        yield* s.close();
      },
    });
    out.push({
      host: 'client',
      file: `source${i}.py`,
      start: 1000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.connect(['10.0.0.2', port]);
        yield* s.sendall(new Uint8Array(20_000).fill(0x61));
        yield* s.close();
      },
    });
  }
  return out;
}

export const benchFlows: Lesson = {
  id: 'bench-flows',
  hidden: true,
  title: { en: 'Load test: 40 bulk transfers', zh: '负载测试:40 个批量传输' },
  summary: { en: 'More than 300 frames in flight at once.', zh: '同时有 300 多个帧在传输。' },
  intro: { en: 'A benchmark scenario for the player’s frame time.', zh: '用于测量播放器帧时间的基准场景。' },
  scenario: {
    id: 'bench-flows',
    seed: 1,
    network: {
      hosts: [
        { name: 'server', ip: '10.0.0.2' },
        { name: 'client', ip: '10.0.0.1' },
      ],
      link: { mtu: 1500, latency: 5000, bandwidth: 1_000_000_000 },
    },
    programs: programs(),
  },
  sources: [],
  views: ['stack', 'log'],
};

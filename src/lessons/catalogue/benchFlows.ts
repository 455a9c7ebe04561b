/**
 * A load test, not a lesson (hidden from the list): 40 TCP connections send 20 kB each at once
 * over a long, fast link (5 ms, 1 Gbit/s), so more than 300 frames are in flight at the peak.
 * bench/ui.ts measures frame times on it. Each flow is its own pair of programs (sink.py and
 * source.py with the port as argument).
 */
import { defineLesson } from '../lesson.ts';

export const BENCH_FLOWS = 40;

const sink = `import sys
from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", int(sys.argv[1])))
s.listen(1)
c, _ = s.accept()
while c.recv(65536):
    pass
c.close()
s.close()
`;

const source = `import sys
from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.connect(("10.0.0.2", int(sys.argv[1])))
s.sendall(b"a" * 20000)
s.close()
`;

const ports = Array.from({ length: BENCH_FLOWS }, (_, i) => 9000 + i);

export const benchFlows = defineLesson({
  id: 'bench-flows',
  hidden: true,
  title: { en: 'Load test: 40 bulk transfers', zh: '负载测试:40 个批量传输' },
  summary: { en: 'More than 300 frames in flight at once.', zh: '同时有 300 多个帧在传输。' },
  intro: { en: 'A benchmark scenario for the player’s frame time.', zh: '用于测量播放器帧时间的基准场景。' },
  files: { 'sink.py': sink, 'source.py': source },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: ports.map((p) => ({ path: 'sink.py', args: [p] })) },
      { name: 'client', ip: '10.0.0.1', programs: ports.map((p) => ({ path: 'source.py', args: [p], start_ms: 1 })) },
    ],
    link: { mtu: 1500, latency_ms: 5, bandwidth: 1_000_000_000 },
  },
  views: ['stack', 'log'],
});

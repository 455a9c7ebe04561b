/** Lesson: the same two CPU-bound threads on free-threaded CPython 3.14t (no GIL) — both cores busy. */
import { defineLesson } from '../lesson.ts';
import { COUNT_PY } from './gilThreads.ts';

export const freeThreading = defineLesson({
  id: 'free-threading',
  title: { en: 'Free-threaded Python 3.14t: both cores busy', zh: '自由线程的 Python 3.14t:两个核心都在忙' },
  summary: {
    en: 'The same program on the free-threaded build, which has no GIL: the two threads run on both cores at once and finish in about half the time.',
    zh: '同一个程序运行在没有 GIL 的自由线程构建上:两个线程同时在两个核心上运行,用时大约减半。',
  },
  intro: {
    en: 'This is the program of the previous lesson, run by the free-threaded build of CPython 3.14 (python3.14t, PEP 703), which has no GIL.\n\nNow nothing stops two threads from running Python at the same time: in the Threads view both are green at once, each on its own core, and there are no GIL lanes at all — no waiting, no drop requests, no hand-offs. The two threads take about half the time of one call after the other, and even beat the two processes, which first spend 15 ms starting.\n\nThe price is a little speed per thread: count() takes about 5% longer than on the default build (about 40% on 3.13t). Importing a C extension that is not free-threading safe turns the GIL back on (so does PYTHON_GIL=1).',
    zh: '这是上一课的程序,由 CPython 3.14 的自由线程构建(python3.14t,PEP 703)运行,它没有 GIL。\n\n现在没有什么能阻止两个线程同时运行 Python:在“线程”视图中两个线程同时是绿色,各自占用一个核心,也根本没有 GIL 泳道 —— 没有等待、没有释放请求、没有交接。两个线程的用时大约是依次调用的一半,甚至比两个进程还快,因为进程要先花 15 毫秒启动。\n\n代价是每个线程慢一点:count() 比默认构建慢约 5%(在 3.13t 上约慢 40%)。导入一个不支持自由线程的 C 扩展会重新开启 GIL(设置 PYTHON_GIL=1 也会)。',
  },
  files: { 'count.py': COUNT_PY },
  scenario: {
    seed: 1,
    python: '3.14t',
    cores: 2,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'count.py' }] }],
  },
  views: ['threads', 'code', 'log'],
  notes: [
    {
      match: (e) => e.k === 'out' && e.text.startsWith('two threads'),
      text: {
        en: 'About half the sequential time: with no GIL both cores computed at once.',
        zh: '大约是依次运行的一半:没有 GIL,两个核心同时在计算。',
      },
    },
  ],
});

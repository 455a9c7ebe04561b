/** Lesson: two CPU-bound threads under CPython's GIL on two cores — one core busy at a time. */
import { defineLesson } from '../lesson.ts';

export const COUNT_PY = `import multiprocessing
import threading
import time


def count(n):
    while n > 0:
        n -= 1


N = 2_000_000

if __name__ == "__main__":
    multiprocessing.set_start_method("fork")

    start = time.perf_counter()
    count(N)
    count(N)
    print(f"one after the other: {(time.perf_counter() - start) * 1000:.1f} ms")

    start = time.perf_counter()
    a = threading.Thread(target=count, args=(N,))
    b = threading.Thread(target=count, args=(N,))
    a.start()
    b.start()
    a.join()
    b.join()
    print(f"two threads:         {(time.perf_counter() - start) * 1000:.1f} ms")

    start = time.perf_counter()
    p = multiprocessing.Process(target=count, args=(N,))
    q = multiprocessing.Process(target=count, args=(N,))
    p.start()
    q.start()
    p.join()
    q.join()
    print(f"two processes:       {(time.perf_counter() - start) * 1000:.1f} ms")
`;

export const gilThreads = defineLesson({
  id: 'gil-threads',
  title: { en: 'Threads and the GIL: one core busy at a time', zh: '线程与 GIL:同一时刻只有一个核心在忙' },
  summary: {
    en: 'Two CPU-bound threads on a two-core machine take as long as doing the work one after the other: only the thread holding the GIL runs Python.',
    zh: '在双核机器上,两个 CPU 密集型线程的耗时和依次完成同样的工作一样长:只有持有 GIL 的线程才能运行 Python。',
  },
  intro: {
    en: 'count(2_000_000) is pure Python: a loop that never waits for anything. The program runs it twice — one call after the other, then in two threads at once, then in two processes at once — on a machine with two cores.\n\nIn CPython (3.2 and later) only the thread holding the global interpreter lock, the GIL, may run Python code. In the Threads view the two threads take turns: one is green (running Python, holding the GIL) while the other is amber (waiting for it). After 5 ms — the switch interval, sys.getswitchinterval() — the waiting thread sets a drop request (the red triangle); the holder lets go at its next check point and the GIL changes hands, about 200 times a second. The machine has two cores, but the core lanes show only one busy at any moment, so the threads take about 100 ms, as long as one call after the other.\n\nEach process has its own interpreter and its own GIL. After about 15 ms to fork them, the two processes run on both cores at once: 65 ms in all, half the work’s time plus the start. For pure-Python computation use processes (or a free-threaded Python: next lesson); threads help programs that wait for the network or the disk.',
    zh: 'count(2_000_000) 是纯 Python 代码:一个从不等待任何东西的循环。程序在一台双核机器上把它运行两次 —— 先依次调用,再用两个线程同时运行,最后用两个进程同时运行。\n\n在 CPython(3.2 及以后)中,只有持有全局解释器锁(GIL)的线程才能运行 Python 代码。在“线程”视图中,两个线程轮流运行:一个是绿色(运行 Python,持有 GIL),另一个是琥珀色(等待 GIL)。等满 5 毫秒 —— 切换间隔,即 sys.getswitchinterval() —— 等待的线程发出释放请求(红色三角);持有者在下一个检查点放手,GIL 易手,每秒大约 200 次。机器有两个核心,但核心泳道显示任何时刻只有一个在忙,所以两个线程用了大约 100 毫秒,和依次调用一样长。\n\n每个进程都有自己的解释器和自己的 GIL。用大约 15 毫秒 fork 出两个进程后,它们同时在两个核心上运行:总共 65 毫秒,即工作时间的一半加上启动开销。纯 Python 计算请用多进程(或自由线程的 Python:见下一课);线程适合需要等待网络或磁盘的程序。',
  },
  files: { 'count.py': COUNT_PY },
  scenario: {
    seed: 1,
    python: '3.14',
    cores: 2,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'count.py' }] }],
  },
  views: ['threads', 'code', 'log'],
  notes: [
    {
      match: (e) => e.k === 'gil' && e.op === 'drop-request',
      text: {
        en: 'The waiting thread has waited a whole switch interval (5 ms) without the GIL changing hands, so it asks the holder to drop it.',
        zh: '等待的线程已经等了整整一个切换间隔(5 毫秒),GIL 仍未易手,于是它要求持有者释放 GIL。',
      },
    },
    {
      match: (e) => e.k === 'out' && e.text.startsWith('two threads'),
      text: {
        en: 'Two threads, two cores, and no speed-up: the GIL let only one of them run Python at a time.',
        zh: '两个线程、两个核心,却没有加速:GIL 每次只允许其中一个运行 Python。',
      },
    },
    {
      match: (e) => e.k === 'out' && e.text.startsWith('two processes'),
      text: {
        en: 'Two processes, two GILs: both cores computed at once.',
        zh: '两个进程、两个 GIL:两个核心同时在计算。',
      },
    },
  ],
});

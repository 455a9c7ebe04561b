/** Lesson: the old GIL (CPython ≤ 3.1, here 2.7): on two cores the threads fight over it; on one core they do not. */
import { defineLesson } from '../lesson.ts';

const count = `import threading
import time


def count(n):
    while n > 0:
        n -= 1


N = 100000

start = time.time()
count(N)
count(N)
print("one after the other: %.1f ms" % ((time.time() - start) * 1000))

start = time.time()
a = threading.Thread(target=count, args=(N,))
b = threading.Thread(target=count, args=(N,))
a.start()
b.start()
a.join()
b.join()
print("two threads:         %.1f ms" % ((time.time() - start) * 1000))
`;

export const oldGil = defineLesson({
  id: 'old-gil',
  title: { en: 'The old GIL (Python 2): a battle on two cores', zh: '旧 GIL(Python 2):双核上的争夺战' },
  summary: {
    en: 'With the GIL of Python 2 two CPU-bound threads are much slower on two cores than one after the other — thousands of failed acquisitions a second — but not on one core.',
    zh: '在 Python 2 的 GIL 下,两个 CPU 密集型线程在双核上比依次运行慢得多 —— 每秒成千上万次获取失败 —— 在单核上却不会。',
  },
  intro: {
    en: 'Before Python 3.2 the GIL worked differently. Every 100 ticks (about 100 bytecode instructions) the thread holding it released it, signalled a waiting thread, and immediately took it back. There was no switch interval and no drop request.\n\nThe same program runs on two hosts modelling Python 2.7: dual has two cores, single has one. On single, a signalled thread cannot run until the operating system pre-empts the holder (about every 4 ms), so the signals cost nothing and the threads take no longer than one call after the other. On dual, the signalled thread wakes at once on the other core, finds the GIL already taken again and goes back to sleep: a failed acquisition, a red tick in the Threads view — thousands of them a second. Each one slows the holder down (waking the other core, fighting over the GIL’s lock), and the waiter wins only now and then: several failed acquisitions for every hand-over. The two threads take almost three times as long as one call after the other.\n\nThis “GIL battle” (David Beazley, 2009) is why Python 3.2 introduced the new GIL with its 5 ms switch interval.',
    zh: '在 Python 3.2 之前,GIL 的工作方式不同。持有 GIL 的线程每执行 100 个 tick(大约 100 条字节码指令)就释放它,唤醒一个等待的线程,然后立刻又把它拿回来。既没有切换间隔,也没有释放请求。\n\n同一个程序在两台模拟 Python 2.7 的主机上运行:dual 有两个核心,single 只有一个。在 single 上,被唤醒的线程要等操作系统抢占持有者(大约每 4 毫秒一次)才能运行,所以这些唤醒不花任何代价,两个线程的用时也不比依次调用更长。在 dual 上,被唤醒的线程立刻在另一个核心上醒来,却发现 GIL 又被拿走了,只好再次睡眠:一次获取失败,在“线程”视图中是一条红色刻度 —— 每秒成千上万次。每一次都会拖慢持有者(唤醒另一个核心、争抢 GIL 的锁),而等待者只是偶尔才能抢到:每成功交接一次,都伴随着好几次获取失败。两个线程的用时几乎是依次调用的三倍。\n\n这场“GIL 争夺战”(David Beazley,2009)正是 Python 3.2 引入带 5 毫秒切换间隔的新 GIL 的原因。',
  },
  files: { 'count.py': count },
  scenario: {
    seed: 1,
    python: '2.7',
    hosts: [
      { name: 'dual', ip: '10.0.0.1', cores: 2, programs: [{ path: 'count.py' }] },
      { name: 'single', ip: '10.0.0.2', cores: 1, programs: [{ path: 'count.py' }] },
    ],
  },
  views: ['threads', 'code', 'log'],
  notes: [
    {
      match: (e) => e.k === 'gil' && e.op === 'failed',
      text: {
        en: 'A failed acquisition: the woken thread ran on the other core, but the holder had already taken the GIL back.',
        zh: '一次获取失败:被唤醒的线程在另一个核心上运行了,但持有者已经把 GIL 拿回去了。',
      },
    },
  ],
});

/** Lesson: asyncio — many tasks on one thread, and a task that computes without awaiting blocks them all. */
import { defineLesson } from '../lesson.ts';

const tasks = `import asyncio
import time

start = time.perf_counter()


def now():
    return f"{(time.perf_counter() - start) * 1000:5.1f} ms"


async def ticker(name):
    for i in range(3):
        await asyncio.sleep(0.005)
        print(now(), name, "tick", i + 1)


async def hog():
    n = 1_000_000
    while n > 0:  # pure computation: no await
        n -= 1
    print(now(), "hog done")


async def main():
    tasks = [asyncio.create_task(ticker(name), name=name) for name in "abc"]
    await asyncio.gather(*tasks)
    print(now(), "--- again, beside a task that never awaits ---")
    tasks = [asyncio.create_task(ticker(name), name=name) for name in "ab"]
    tasks.append(asyncio.create_task(hog(), name="hog"))
    await asyncio.gather(*tasks)


asyncio.run(main())
`;

export const asyncioTasks = defineLesson({
  id: 'asyncio-tasks',
  title: { en: 'asyncio: many tasks, one thread', zh: 'asyncio:许多任务,一个线程' },
  summary: {
    en: 'Three tasks tick every 5 ms on one thread, taking turns at each await; a task that computes without awaiting holds up all the others.',
    zh: '三个任务在同一个线程上每 5 毫秒报一次时,在每个 await 处轮流执行;一个只计算、从不 await 的任务会挡住其他所有任务。',
  },
  intro: {
    en: 'asyncio runs many tasks on one thread. Its event loop works in passes: each pass runs exactly the callbacks that were ready when it began — a task that is ready runs until its next await, then the next one runs. In the Threads view the event-loop lane under the thread shows which task runs, and the asyncio table below gives every task’s state, the current pass and how many callbacks were ready.\n\nFirst three tickers sleep 5 ms and print, three times: they all tick at 5, 10 and 15 ms, taking turns on one thread — no threads, no GIL switches, no locks.\n\nThen two tickers run beside hog(), which counts down from a million without ever awaiting. Once hog starts, the loop cannot get control back until it returns: the tickers, due at 20 ms, tick only at 40 ms, when hog is done. A task must await to let the others run; CPU-bound work belongs in a thread or, better, a process (loop.run_in_executor).',
    zh: 'asyncio 在一个线程上运行许多任务。它的事件循环一轮一轮地工作:每一轮只运行这一轮开始时已经就绪的回调 —— 就绪的任务一直运行到它的下一个 await,然后轮到下一个。在“线程”视图中,线程下方的事件循环泳道显示正在运行哪个任务,下面的 asyncio 表格列出每个任务的状态、当前是第几轮以及有多少回调就绪。\n\n首先,三个报时任务各自睡眠 5 毫秒后打印,重复三次:它们都在 5、10、15 毫秒报时,在一个线程上轮流运行 —— 没有多线程,没有 GIL 切换,也没有锁。\n\n然后两个报时任务和 hog() 一起运行,hog 从一百万倒数,从不 await。hog 一旦开始,事件循环就拿不回控制权,直到它返回:本该在 20 毫秒报时的任务,直到 40 毫秒 hog 结束时才能报时。任务必须 await 才能让其他任务运行;CPU 密集型的工作应该放到线程里,最好是放到进程里(loop.run_in_executor)。',
  },
  files: { 'tasks.py': tasks },
  scenario: {
    seed: 1,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'tasks.py' }] }],
  },
  views: ['threads', 'code', 'log'],
  notes: [
    {
      match: (e) => e.k === 'out' && e.text.endsWith('hog done'),
      text: {
        en: 'hog() returns at last: only now can the event loop run the tickers, which were due 20 ms ago.',
        zh: 'hog() 终于返回:事件循环直到现在才能运行那些报时任务,它们本该在 20 毫秒前运行。',
      },
    },
  ],
});

/** Lesson: threading.local — each thread sees only its own attributes. */
import { defineLesson } from '../lesson.ts';

const local = `import threading
import time

local = threading.local()


def handle(user):
    local.user = user
    local.requests = 0
    for _ in range(3):
        local.requests += 1
        time.sleep(0.001)
    print(threading.current_thread().name, "sees", local.user, local.requests)


local.user = "admin"
workers = [threading.Thread(target=handle, args=(name,)) for name in ("alice", "bob")]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("MainThread sees", local.user, hasattr(local, "requests"))
`;

export const threadLocal = defineLesson({
  id: 'thread-local',
  title: { en: 'threading.local: one object, a value per thread', zh: 'threading.local:一个对象,每个线程一份值' },
  summary: {
    en: 'Three threads set local.user on the same threading.local object, and each reads back only its own value.',
    zh: '三个线程给同一个 threading.local 对象设置 local.user,每个线程读回的都只是它自己的值。',
  },
  intro: {
    en: 'local = threading.local() is one object shared by the whole program, but its attributes are per thread. The main thread sets local.user = "admin"; then two worker threads each set local.user and local.requests and count their requests while the other one runs too.\n\nThe threading.local table in the Threads view shows what each thread sees at every step: the workers never see "admin" or each other’s values, and after they finish the main thread still sees its own "admin" and has no requests attribute at all. A thread’s values are created on its first assignment and freed when it ends.\n\nServers use this for per-request state (the current user, a database connection) without passing it through every function. (All asyncio tasks run in one thread, so they would share one set of values: for them Python has context variables.)',
    zh: 'local = threading.local() 是整个程序共享的一个对象,但它的属性是按线程区分的。主线程设置 local.user = "admin";然后两个工作线程各自设置 local.user 和 local.requests,并在彼此同时运行时统计各自的请求数。\n\n“线程”视图中的 threading.local 表显示了每一步每个线程看到的内容:工作线程永远看不到 "admin",也看不到对方的值;它们结束后,主线程看到的仍是自己的 "admin",而且根本没有 requests 属性。一个线程的值在它第一次赋值时创建,在线程结束时释放。\n\n服务器用它保存每个请求的状态(当前用户、数据库连接),而不必在每个函数之间传递。(所有 asyncio 任务都在同一个线程里运行,所以它们会共享同一组值:Python 为它们提供了上下文变量。)',
  },
  files: { 'local.py': local },
  scenario: {
    seed: 1,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'local.py' }] }],
  },
  views: ['threads', 'code', 'log'],
  notes: [
    {
      match: (e) => e.k === 'tls' && e.value === "'bob'",
      text: {
        en: 'Bob’s thread sets local.user too — alice’s value in her thread is untouched.',
        zh: 'bob 的线程也设置了 local.user —— alice 的线程里她的值丝毫未变。',
      },
    },
  ],
});

/**
 * threading, multiprocessing, asyncio and concurrent.futures on the simulated kernel: the
 * programs' output is CPython's (checked against CPython 3.13 where 3.14 behaves the same; the
 * differences are 3.14's: forkserver by default, the Context.run frame of a thread's traceback),
 * on the virtual clock. Pyodide is loaded once for the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSimPython, type SimPython } from '../../src/python/simulated.ts';
import { events, runModel, runProgram } from './threads-helper.ts';

let py: SimPython;
beforeAll(async () => {
  py = await loadSimPython();
});

const PRIMITIVES = `
import threading, queue, time, sys
out = []
lock = threading.Lock()
print(type(lock).__module__, type(lock).__name__, lock.locked(), lock.acquire(), lock.acquire(False), lock.acquire(timeout=0.01), lock.locked())
lock.release()
try: lock.release()
except RuntimeError as e: print("RuntimeError:", e)
for args in [(False, 1), (True, -2)]:
    try: lock.acquire(*args)
    except ValueError as e: print("ValueError:", e)
r = threading.RLock()
print(r.acquire(), r.acquire(), r._is_owned()); r.release(); r.release()
try: r.release()
except RuntimeError as e: print("RuntimeError:", e)
# counter with lock
counter = 0
def inc(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
ts = [threading.Thread(target=inc, args=(2000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print("counter", counter)
# Condition / producer-consumer with queue
q = queue.Queue(maxsize=2)
def producer():
    for i in range(5):
        q.put(i)
    q.put(None)
def consumer():
    while True:
        item = q.get()
        if item is None: break
        out.append(item)
pt = threading.Thread(target=producer); ct = threading.Thread(target=consumer)
pt.start(); ct.start(); pt.join(); ct.join()
print("queue", out, q.empty())
try: q.get(timeout=0.01)
except queue.Empty: print("Empty")
# Event, Timer
ev = threading.Event()
def setter(): ev.set()
tm = threading.Timer(0.02, setter); tm.start()
print("event wait", ev.wait(0.005), ev.wait(1), ev.is_set())
tm.join()
# Semaphore, BoundedSemaphore
s = threading.BoundedSemaphore(1)
s.acquire()
print("sem", s.acquire(blocking=False)); s.release()
try: s.release()
except ValueError as e: print("ValueError:", e)
# Barrier
b = threading.Barrier(3)
res = []
def waiter(i):
    res.append(b.wait())
ws = [threading.Thread(target=waiter, args=(i,)) for i in range(3)]
for w in ws: w.start()
for w in ws: w.join()
print("barrier", sorted(res))
# join timeout, daemon, is_alive
def sleeper(): time.sleep(0.05)
t = threading.Thread(target=sleeper, daemon=True, name="sleepy"); t.start()
t.join(timeout=0.01)
print("alive after timeout", t.is_alive(), t.daemon, t.name, repr(t).startswith("<Thread(sleepy, started daemon"))
t.join()
print("alive after join", t.is_alive(), repr(t).startswith("<Thread(sleepy, stopped daemon"))
print("enumerate", [x.name for x in threading.enumerate()], threading.active_count())
print("main", threading.current_thread() is threading.main_thread(), threading.main_thread().name)
# exceptions in threads
def boom(): raise ValueError("boom")
t = threading.Thread(target=boom); t.start(); t.join()
print("after boom", t.is_alive())
# local
loc = threading.local()
loc.x = "main"
def show():
    print("local in thread", getattr(loc, "x", None)); loc.x = "t"
t = threading.Thread(target=show); t.start(); t.join()
print("local in main", loc.x)
class MyLocal(threading.local):
    def __init__(self, v): self.v = v; self.inits = getattr(self, "inits", 0) + 1
ml = MyLocal(7)
t = threading.Thread(target=lambda: print("mylocal", ml.v, ml.inits)); t.start(); t.join()
try: threading.local(1)
except TypeError as e: print("TypeError:", e)
print("switch", sys.getswitchinterval()); sys.setswitchinterval(0.001); print("switch", sys.getswitchinterval())
try: sys.setswitchinterval(0)
except ValueError as e: print("ValueError:", e)
try: threading.Thread(target=1).join()
except RuntimeError as e: print("RuntimeError:", e)
t = threading.Thread(target=lambda: None); t.start()
try: t.start()
except RuntimeError as e: print("RuntimeError:", e)
t.join()
try: threading.current_thread().join()
except RuntimeError as e: print("RuntimeError:", e)
import _thread
done = []
_thread.start_new_thread(lambda a: done.append(a), (5,))
time.sleep(0.01)
print("start_new_thread", done, _thread._count())
def daemon_forever():
    while True: time.sleep(0.001)
threading.Thread(target=daemon_forever, daemon=True).start()
def nd():
    time.sleep(0.02); print("non-daemon finished last")
threading.Thread(target=nd).start()
print("main done")
`;

const ASYNCIO = `
import asyncio, time, threading
t0 = time.perf_counter()
def now(): return round((time.perf_counter() - t0) * 1000, 1)
async def ticker(name, n, d):
    for i in range(n):
        print(name, i, now())
        await asyncio.sleep(d)
    return name
async def crunch():
    n = 400_000
    while n > 0:
        n -= 1
    print("crunch done", now())
async def main():
    r = await asyncio.gather(ticker("a", 3, 0.01), ticker("b", 2, 0.015))
    print("gathered", r, now())
    q = asyncio.Queue()
    async def prod():
        for i in range(3): await q.put(i)
        await q.put(None)
    async def cons():
        out = []
        while (x := await q.get()) is not None: out.append(x)
        return out
    p = asyncio.create_task(prod(), name="producer")
    print("queue", await cons(), now())
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0.005)
    except TimeoutError:
        print("wait_for timed out", now())
    t = asyncio.create_task(ticker("c", 3, 0.005))
    await asyncio.sleep(0.001)
    await crunch()
    await t
    print("current task", asyncio.current_task().get_name(), threading.current_thread().name)
print(asyncio.run(main()), now())
`;

const PROCESSES = `
import multiprocessing as mp, os, sys, time
counter = 0
def work(q, n):
    global counter
    counter += n
    print("child", mp.current_process().name, counter, os.getppid() == PARENT, mp.parent_process().name)
    q.put(counter * 10)
def boom():
    raise ValueError("boom")
def bye(code):
    sys.exit(code)
PARENT = os.getpid()
if __name__ == "__main__":
    mp.set_start_method("fork"); print("start method", mp.get_start_method(), mp.get_all_start_methods())
    q = mp.Queue()
    ps = [mp.Process(target=work, args=(q, i + 1)) for i in range(2)]
    t0 = time.perf_counter()
    for p in ps: p.start()
    for p in ps: p.join()
    print("parent counter", counter, sorted([q.get(), q.get()]), [p.exitcode for p in ps], q.empty())
    print("took ms", round((time.perf_counter() - t0) * 1000))
    p = mp.Process(target=boom); p.start(); p.join(); print("boom exitcode", p.exitcode)
    p = mp.Process(target=bye, args=(3,)); p.start(); p.join(); print("exit exitcode", p.exitcode, repr(p)[:40])
    p = mp.Process(target=time.sleep, args=(10,)); p.start(); p.terminate(); p.join(); print("terminated", p.exitcode, repr(p))
    try:
        mp.Process(target=lambda: None).start()
    except Exception as e:
        print(type(e).__name__, str(e)[:60])
`;

const POOL_AND_SHARED = `
import multiprocessing as mp, os, time
counter = 0
items = []
def work(n):
    global counter
    counter += n
    items.append(n)
    print("child", mp.current_process().name, "counter", counter, "items", items)
def square(x):
    return x * x
def fail(x):
    if x == 3: raise KeyError(x)
    return x
def add(v, a, lock):
    for _ in range(100):
        with lock:
            a[0] += 1
        with v.get_lock():
            v.value += 1
def talk(conn):
    conn.send({"hello": os.getpid() != 0}); print("child got", conn.recv()); conn.close()
if __name__ == "__main__":
    for method in ("fork", "spawn"):
        ctx = mp.get_context(method)
        counter = 100; items.append("parent")
        p = ctx.Process(target=work, args=(1,)); p.start(); p.join()
        print(method, "parent counter", counter, items, p.name)
    with mp.Pool(2) as pool:
        print("pool map", pool.map(square, range(10)))
        print("pool starmap", pool.starmap(pow, [(2, 3), (3, 2)]))
        r = pool.apply_async(square, (7,)); print("apply_async", r.get(timeout=1))
        try: pool.map(fail, range(5))
        except KeyError as e: print("remote error", repr(e), type(e.__cause__).__name__)
        print("workers", pool.map(square, []), [w.name for w in pool._pool])
    v = mp.Value("i", 0); a = mp.Array("i", [0, 0]); lock = mp.Lock()
    ps = [mp.Process(target=add, args=(v, a, lock)) for _ in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("shared", v.value, list(a))
    here, there = mp.Pipe()
    p = mp.Process(target=talk, args=(there,)); p.start()
    print("parent got", here.recv()); here.send("bye"); p.join()
    print("children left", mp.active_children())
`;

const NO_MAIN_GUARD = `
import multiprocessing as mp
def hello(): print("hello from", mp.current_process().name)
print("top level runs in", mp.current_process().name, __name__)
p = mp.Process(target=hello); p.start(); p.join()
print("exitcode", p.exitcode)
`;

const EXIT = `
import threading, time
def slow():
    time.sleep(0.02)
    print("non-daemon thread finishes after the main thread's error")
def forever():
    while True:
        time.sleep(0.001)
threading.Thread(target=forever, daemon=True, name="spinner").start()
threading.Thread(target=slow).start()
t0 = time.perf_counter()
t = threading.Thread(target=lambda: None)
t.start()
print(f"start() returned after {(time.perf_counter() - t0) * 1e3:.2f} ms")
raise SystemExit("main gives up")
`;

const EXECUTOR = `
import concurrent.futures as cf, threading, time
def job(x):
    time.sleep(0.01 * (3 - x))
    return x * 10, threading.current_thread().name
start = time.perf_counter()
with cf.ThreadPoolExecutor(max_workers=3) as ex:
    futs = []
    for i in range(3):
        futs.append(ex.submit(job, i))
    for f in futs:
        print(f.result())
print(f"took {(time.perf_counter() - start) * 1000:.0f} ms")
start = time.perf_counter()
with cf.ThreadPoolExecutor(max_workers=3) as ex:
    for r in ex.map(job, range(3)):
        print("map", r, f"{(time.perf_counter() - start) * 1000:.0f} ms")
    futs = {ex.submit(job, i): i for i in range(3)}
    for f in cf.as_completed(futs):
        print("completed", futs[f], f.result(), f"{(time.perf_counter() - start) * 1000:.0f} ms")
    done, not_done = cf.wait(futs, timeout=1)
    print(len(done), len(not_done))
`;

const KEY_FUNCTION_WAITS = `
import threading, time
lock = threading.Lock()
def holder():
    with lock:
        time.sleep(0.01)
threading.Thread(target=holder).start()
time.sleep(0.001)
t0 = time.perf_counter()
def key(x):
    with lock:
        return x
print(sorted([2, 1], key=key), round((time.perf_counter() - t0) * 1000))
# Taking the lock twice without releasing it: a deadlock, as in CPython.
print(sorted([2, 1], key=lambda x: lock.acquire() and x))
`;

const POOL_EVERY_GIL = `
import sys, threading, time
from concurrent.futures import ThreadPoolExecutor
def work(n):
    time.sleep(0.01 * n)
    return n * n
ts = [threading.Thread(target=work, args=(i,)) for i in range(3)]
for t in ts: t.start()
[t.join() for t in ts]
print("joined in a comprehension")
for i in range(20):
    with ThreadPoolExecutor(2) as ex:
        out = list(ex.map(work, range(4)))
print(out, "gil enabled:", sys._is_gil_enabled())
`;

const ASYNC_SERVER = `
import asyncio
async def handle(reader, writer):
    data = await reader.readline()
    print("server got", data, writer.get_extra_info("peername")[0])
    writer.write(data.upper())
    await writer.drain()
    writer.close()
    await writer.wait_closed()
async def main():
    server = await asyncio.start_server(handle, "0.0.0.0", 8888)
    print("serving on", server.sockets[0].getsockname())
    async with server:
        await asyncio.sleep(0.5)
asyncio.run(main())
`;

const ASYNC_CLIENT = `
import asyncio, socket
async def main():
    reader, writer = await asyncio.open_connection("h1", 8888)
    writer.write(b"hello\\n")
    await writer.drain()
    print("client got", await reader.readline())
    writer.close()
    await writer.wait_closed()
    loop = asyncio.get_running_loop()
    s = socket.socket(); s.setblocking(False)
    await loop.sock_connect(s, ("10.0.0.1", 8888))
    await loop.sock_sendall(s, b"raw\\n")
    print("sock_recv", await loop.sock_recv(s, 100))
    s.close()
asyncio.run(main())
`;

describe('threading', () => {
  it('locks, RLock, Condition/queue.Queue, Event, Timer, Semaphore, Barrier, join timeouts, daemon, names, exceptions in threads, threading.local, switch interval, _thread', () => {
    const r = runProgram(py, PRIMITIVES);
    expect(r.out).toEqual([
      "_thread lock False True False False True",
      "RuntimeError: release unlocked lock",
      "ValueError: can't specify a timeout for a non-blocking call",
      "ValueError: timeout value must be a non-negative number",
      "True True True",
      "RuntimeError: cannot release un-acquired lock",
      "counter 8000",
      "queue [0, 1, 2, 3, 4] True",
      "Empty",
      "event wait False True True",
      "sem False",
      "ValueError: Semaphore released too many times",
      "barrier [0, 1, 2]",
      "alive after timeout True True sleepy True",
      "alive after join False True",
      "enumerate ['MainThread'] 1",
      "main True MainThread",
      "Exception in thread Thread-11 (boom):",
      "Traceback (most recent call last):",
      "  File \"/lib/python314.zip/threading.py\", line 1082, in _bootstrap_inner",
      "    self._context.run(self.run)",
      "    ~~~~~~~~~~~~~~~~~^^^^^^^^^^",
      "  File \"/lib/python314.zip/threading.py\", line 1024, in run",
      "    self._target(*self._args, **self._kwargs)",
      "    ~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/sim/host/main.py\", line 74, in boom",
      "    def boom(): raise ValueError(\"boom\")",
      "                ^^^^^^^^^^^^^^^^^^^^^^^^",
      "ValueError: boom",
      "after boom False",
      "local in thread None",
      "local in main main",
      "mylocal 7 1",
      "TypeError: Initialization arguments are not supported",
      "switch 0.005",
      "switch 0.001",
      "ValueError: switch interval must be strictly positive",
      "RuntimeError: cannot join thread before it is started",
      "RuntimeError: threads can only be started once",
      "RuntimeError: cannot join current thread",
      "start_new_thread [5] 0",
      "main done",
      "non-daemon finished last",
    ]);
    expect(r.programs[0]).toMatchObject({ state: 'exited', status: 0 });
  });

  it('a main thread that exits with an error first reports it, then waits for the non-daemon threads; daemon threads die with the process', () => {
    const r = runProgram(py, EXIT);
    expect(r.out).toEqual(['start() returned after 0.15 ms', 'main gives up', "non-daemon thread finishes after the main thread's error"]);
    expect(r.programs[0]).toMatchObject({ state: 'exited', status: 1 });
    const exit = events(r, 'proc').find((e) => e.op === 'exit')!;
    const spinner = events(r, 'thread').filter((e) => e.name === 'spinner');
    expect(spinner.at(-1)).toMatchObject({ state: 'done', t: exit.t });
    expect(exit.t).toBeGreaterThanOrEqual(20_000);
  });

  it('concurrent.futures.ThreadPoolExecutor: submit/result, map, as_completed, wait; workers named as CPython names them; results in virtual time', () => {
    const r = runProgram(py, EXECUTOR);
    expect(r.out).toEqual([
      "(0, 'ThreadPoolExecutor-0_0')",
      "(10, 'ThreadPoolExecutor-0_1')",
      "(20, 'ThreadPoolExecutor-0_2')",
      'took 30 ms',
      "map (0, 'ThreadPoolExecutor-1_0') 30 ms",
      "map (10, 'ThreadPoolExecutor-1_1') 30 ms",
      "map (20, 'ThreadPoolExecutor-1_2') 30 ms",
      // Which idle worker takes a job is the OS's choice in CPython; here it is always the same.
      "completed 2 (20, 'ThreadPoolExecutor-1_1') 40 ms",
      "completed 1 (10, 'ThreadPoolExecutor-1_2') 50 ms",
      "completed 0 (0, 'ThreadPoolExecutor-1_0') 60 ms",
      '3 0',
    ]);
  });

  it('a thread waiting for another inside code called from C (a sort key) lets it run; a deadlock there gets a clear error, not a hang', () => {
    const r = runProgram(py, KEY_FUNCTION_WAITS);
    // The key function waits ~9 ms for the holder thread to release the lock.
    expect(r.out[0]).toBe('[1, 2] 9');
    expect(r.out.at(-1)).toBe('RuntimeError: lock_acquire() would block forever: nothing else can happen in the simulation');
    expect(r.programs[0]!.status).toBe(1);
  });

  it.each([
    ['new', true],
    ['old', true],
    ['off', false],
  ] as const)('GIL %s: joins inside a comprehension; a thread pool started and shut down 20 times; sys._is_gil_enabled() is %s', (gil, enabled) => {
    const r = runProgram(py, POOL_EVERY_GIL, { gil });
    expect(r.out).toEqual(['joined in a comprehension', `[0, 1, 4, 9] gil enabled: ${enabled ? 'True' : 'False'}`]);
    expect(r.programs[0]!.status).toBe(0);
  });

  it("bad arguments get CPython's messages: lock timeouts compared live with Pyodide's real C _thread, the switch interval, thread starts", () => {
    const r = runProgram(
      py,
      [
        'import sys, threading, _thread as sim',
        'from wirescope.sim.install import REAL',
        'real = REAL["_thread"]',
        'def outcome(f):',
        '    try:',
        '        return repr(f())',
        '    except Exception as e:',
        '        return f"{type(e).__name__}: {e}"',
        'cases = [(True, "x"), (True, 1e10), (True, 9223372036.0), (True, 9223372037.0), (True, -2), (True, 1e20),',
        '         (True, float("nan")), (False, 1), (False, -1), (True, -1.0), (True, None), (1, 2**70), ("", 0)]',
        'for args in cases:',
        '    a, b = (outcome(lambda: m.allocate_lock().acquire(*args)) for m in (real, sim))',
        '    print("same" if a == b else f"differs: {args} real {a} simulated {b}")',
        'for f in (lambda: sys.setswitchinterval(-1), lambda: sys.setswitchinterval("x"),',
        '          lambda: sim.start_new_thread(1, ()), lambda: sim.start_new_thread(print, []),',
        '          lambda: threading.Thread(target=print).join()):',
        '    print(outcome(f))',
      ].join('\n'),
    );
    expect(r.out).toEqual([
      ...Array<string>(13).fill('same'),
      'ValueError: switch interval must be strictly positive',
      'TypeError: must be real number, not str',
      'TypeError: first arg must be callable',
      'TypeError: 2nd arg must be a tuple',
      'RuntimeError: cannot join thread before it is started',
    ]);
  });
});

describe('multiprocessing', () => {
  it('fork: children change their own copy of the globals; exit codes 0, 1 with the traceback, n; terminate; queues; a lambda target is fine (nothing is pickled)', () => {
    const r = runProgram(py, PROCESSES);
    expect(r.out).toEqual([
      "start method fork ['forkserver', 'fork', 'spawn']",
      'child Process-1 1 True MainProcess',
      'child Process-2 2 True MainProcess',
      'parent counter 0 [10, 20] [0, 0] True',
      'took ms 15',
      'Process Process-3:',
      'Traceback (most recent call last):',
      '  File "/lib/python314.zip/multiprocessing/process.py", line 320, in _bootstrap',
      '    self.run()',
      '    ~~~~~~~~^^',
      '  File "/lib/python314.zip/multiprocessing/process.py", line 108, in run',
      '    self._target(*self._args, **self._kwargs)',
      '    ~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      '  File "/sim/host/main.py", line 10, in boom',
      '    raise ValueError("boom")',
      'ValueError: boom',
      'boom exitcode 1',
      expect.stringMatching(/^exit exitcode 3 <Process name='Process-4' pid=\d+ pa/),
      expect.stringMatching(/^terminated -15 <Process name='Process-5' pid=\d+ parent=\d+ stopped exitcode=-SIGTERM>$/),
    ]);
    // The children are processes of their own, started 15 ms (fork) after start().
    const starts = events(r, 'proc').filter((e) => e.op === 'start');
    expect(starts.length).toBe(7);
    expect(new Set(starts.map((e) => e.pid)).size).toBe(7);
    expect(starts[1]!.t).toBeGreaterThanOrEqual(15_000);
  });

  it('spawn: the child imports the main module again as __mp_main__ (globals start afresh); Pool, shared Value/Array with a Lock, Pipe', () => {
    const r = runProgram(py, POOL_AND_SHARED);
    expect(r.out).toEqual([
      "child ForkProcess-1 counter 101 items ['parent', 1]",
      "fork parent counter 100 ['parent'] ForkProcess-1",
      'child SpawnProcess-2 counter 1 items [1]',
      "spawn parent counter 100 ['parent', 'parent'] SpawnProcess-2",
      'pool map [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]',
      'pool starmap [8, 9]',
      'apply_async 49',
      'remote error KeyError(3) RemoteTraceback',
      "workers [] ['ForkServerPoolWorker-3', 'ForkServerPoolWorker-4']",
      'shared 200 [200, 0]',
      "parent got {'hello': True}",
      'child got bye',
      'children left []',
    ]);
  });

  it('without `if __name__ == "__main__":` a spawned child starting a process fails as in CPython', () => {
    const r = runProgram(py, NO_MAIN_GUARD);
    expect(r.out.slice(0, 2)).toEqual(['top level runs in MainProcess __main__', 'top level runs in MainProcess __mp_main__']);
    expect(r.out).toContain('        An attempt has been made to start a new process before the');
    expect(r.out.at(-1)).toBe('exitcode 1');
    expect(r.programs[0]!.status).toBe(0);
  });
});

describe('asyncio', () => {
  it('run, create_task, gather, sleep, wait_for, Queue in virtual time, in CPython\'s order', () => {
    const r = runProgram(py, ASYNCIO);
    expect(r.out).toEqual([
      'a 0 0.0',
      'b 0 0.0',
      'a 1 10.0',
      'b 1 15.0',
      'a 2 20.0',
      "gathered ['a', 'b'] 30.0",
      'queue [0, 1, 2] 30.0',
      'wait_for timed out 35.0',
      'c 0 35.0',
      'crunch done 46.0',
      'c 1 46.0',
      'c 2 51.1',
      'current task Task-1 MainThread',
      'None 56.1',
    ]);
  });

  it('start_server/open_connection and loop.sock_* over the simulated network', () => {
    const r = runModel(py, [[{ code: ASYNC_SERVER, name: 'server.py' }], [{ code: ASYNC_CLIENT, name: 'client.py', start_ms: 10 }]]);
    expect(r.lines).toEqual([
      "[h1] serving on ('0.0.0.0', 8888)",
      "[h1] server got b'hello\\n' 10.0.0.2",
      "[h2] client got b'HELLO\\n'",
      "[h1] server got b'raw\\n' 10.0.0.2",
      "[h2] sock_recv b'RAW\\n'",
    ]);
    expect(r.programs.map((p) => p.status)).toEqual([0, 0]);
    // The self-pipe is a socketpair; the name lookup runs in an executor thread, as in CPython.
    expect(events(r, 'call').some((e) => e.fn === 'socketpair')).toBe(true);
    expect(events(r, 'thread').some((e) => e.host === 'h2' && e.name.startsWith('asyncio_'))).toBe(true);
  });
});

"""asyncio on the simulated system: CPython's own SelectorEventLoop over the simulated
``select``/``socket`` (not Pyodide's WebLoop), with ``asyncio.run`` and the loop's
``run_forever``/``run_until_complete``/``_run_once`` made suspendable, so a program's thread
waits in the kernel's ``select`` while the rest of the simulation runs.

* ``SimEventLoop`` is ``asyncio.SelectorEventLoop`` (``_UnixSelectorEventLoop``) with a
  ``selectors.SelectSelector`` of the simulated ``select``. Its ``_run_once`` is CPython 3.14's
  (``Lib/asyncio/base_events.py``): one pass runs exactly the callbacks that were ready when
  it began. It records ``async`` trace notes: each pass (with that number), and for each task
  step the task ``run`` and then ``await`` (what it waits for) or ``done``; ``create`` when a
  task is created.
* ``asyncio.run``/``asyncio.Runner`` are ``Lib/asyncio/runners.py`` compiled suspendable.
* Inside a program, the event loop policy makes ``SimEventLoop``s and keeps the current loop of
  each thread; the running loop is per thread (driver.step swaps it with each step).
* The asyncio modules' ``socket`` and ``selectors`` are the simulated ones.

Compiled with the suspendable transform, statements recorded: the loop's own Python code costs
virtual time, as CPython's does.
"""

import heapq
import sys
import weakref

import asyncio
from asyncio import base_events, events, futures, tasks

from wirescope import runtime as _rt
from wirescope.sim import process as _process

_note = _process.note_async
_MIN_SCHEDULED_TIMER_HANDLES = base_events._MIN_SCHEDULED_TIMER_HANDLES
_MIN_CANCELLED_TIMER_HANDLES_FRACTION = base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION
MAXIMUM_SELECT_TIMEOUT = base_events.MAXIMUM_SELECT_TIMEOUT
_run_until_complete_cb = base_events._run_until_complete_cb
_format_handle = base_events._format_handle
logger = base_events.logger


def _task_of(handle):
    """The task whose step (or wake-up) ``handle`` runs, if any."""
    owner = getattr(handle._callback, "__self__", None)
    if owner is not None and futures.isfuture(owner) and hasattr(owner, "get_coro"):
        return owner
    return None


def _awaiting(task):
    """What a suspended task waits for, e.g. "sleep (line 7)", "Queue.get", "gather"."""
    waiter = getattr(task, "_fut_waiter", None)
    coro = task.get_coro()
    home = _process.current.home + "/" if _process.current is not None else None
    user_line = None
    first_lib = None
    innermost = None
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        innermost = coro
        code = frame.f_code
        if home and code.co_filename.startswith(home):
            user_line = frame.f_lineno
        elif first_lib is None and user_line is not None:
            first_lib = getattr(coro, "__qualname__", code.co_name)
        nxt = getattr(coro, "cr_await", None)
        if nxt is None:
            nxt = getattr(coro, "gi_yieldfrom", None)
        coro = nxt if hasattr(nxt, "cr_frame") or hasattr(nxt, "gi_frame") else None
    if waiter is None:
        what = "sleep(0)"
    elif first_lib is not None:
        what = first_lib
    elif futures.isfuture(waiter) and hasattr(waiter, "get_name"):
        what = waiter.get_name()
    elif type(waiter).__name__ == "_GatheringFuture":
        what = "gather"
    elif innermost is not None and first_lib is None and user_line is None:
        what = getattr(innermost, "__qualname__", "future")
    else:
        what = type(waiter).__name__
    return what if user_line is None else f"{what} (line {user_line})"


class SimEventLoop(asyncio.SelectorEventLoop):
    """asyncio's selector event loop on the simulated select(), with trace notes."""

    def __init__(self, selector=None):
        if selector is None:
            selectors = _import_simulated("selectors")  # (install.py; a plain function)

            selector = selectors.SelectSelector()
        super().__init__(selector)
        # The tasks made by create_task, in creation order (weakly: finished ones go).
        self._ws_created = weakref.WeakKeyDictionary()

    def create_task(self, coro, *, name=None, **kwargs):
        p = _process.current
        if name is None and p is not None:
            # CPython numbers tasks per process; the interpreter here is shared by programs.
            p.task_number += 1
            name = f"Task-{p.task_number}"
        task = super().create_task(coro, name=name, **kwargs)
        self._ws_created[task] = None
        _note("create", task.get_name())
        return task

    def _do_shutdown(self, future):
        # Runs in a thread of its own (shutdown_default_executor): suspendable, so that joining
        # the executor's threads lets them run.
        try:
            self._default_executor.shutdown(wait=True)
            if not self.is_closed():
                self.call_soon_threadsafe(futures._set_result_unless_cancelled, future, None)
        except Exception as ex:
            if not self.is_closed() and not future.cancelled():
                self.call_soon_threadsafe(future.set_exception, ex)

    def run_forever(self):
        """Run until stop() is called."""
        self._run_forever_setup()
        try:
            while True:
                self._run_once()
                if self._stopping:
                    break
        finally:
            self._run_forever_cleanup()

    def run_until_complete(self, future):
        """Run until the Future is done; return its result or raise its exception."""
        self._check_closed()
        self._check_running()
        new_task = not futures.isfuture(future)
        future = tasks.ensure_future(future, loop=self)
        if new_task:
            future._log_destroy_pending = False
        future.add_done_callback(_run_until_complete_cb)
        try:
            self.run_forever()
        except:
            if new_task and future.done() and not future.cancelled():
                future.exception()
            raise
        finally:
            future.remove_done_callback(_run_until_complete_cb)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()

    def _run_once(self):
        """Run one full iteration of the event loop (Lib/asyncio/base_events.py, 3.14)."""
        sched_count = len(self._scheduled)
        if (
            sched_count > _MIN_SCHEDULED_TIMER_HANDLES
            and self._timer_cancelled_count / sched_count > _MIN_CANCELLED_TIMER_HANDLES_FRACTION
        ):
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(self._scheduled)
                handle._scheduled = False

        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif self._scheduled:
            timeout = self._scheduled[0]._when - self.time()
            if timeout > MAXIMUM_SELECT_TIMEOUT:
                timeout = MAXIMUM_SELECT_TIMEOUT
            elif timeout < 0:
                timeout = 0

        event_list = self._selector.select(timeout)
        self._process_events(event_list)
        event_list = None

        end_time = self.time() + self._clock_resolution
        while self._scheduled:
            handle = self._scheduled[0]
            if handle._when >= end_time:
                break
            handle = heapq.heappop(self._scheduled)
            handle._scheduled = False
            self._ready.append(handle)

        # Run exactly the callbacks that are ready now; those they schedule wait for the next pass.
        ntodo = len(self._ready)
        _note("pass", "", ntodo)
        for i in range(ntodo):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            task = _task_of(handle)
            if task is not None:
                _note("run", task.get_name())
            if self._debug:
                try:
                    self._current_handle = handle
                    t0 = self.time()
                    handle._run()
                    dt = self.time() - t0
                    if dt >= self.slow_callback_duration:
                        logger.warning("Executing %s took %.3f seconds", _format_handle(handle), dt)
                finally:
                    self._current_handle = None
            else:
                handle._run()
            if task is not None:
                if task.done():
                    _note("done", task.get_name())
                else:
                    _note("await", task.get_name(), None, _awaiting(task))
        handle = None


class _SimPolicy:
    """The event loop policy: Pyodide's outside programs; inside, SimEventLoops and one
    current loop per thread (BaseDefaultEventLoopPolicy's rules)."""

    def __init__(self, original):
        self._original = original

    def get_event_loop(self):
        th = _process.current_thread
        if th is None:
            return self._original.get_event_loop()
        loop = getattr(th, "policy_loop", None)
        if loop is None:
            name = th.name
            raise RuntimeError("There is no current event loop in thread %r." % name)
        return loop

    def set_event_loop(self, loop):
        th = _process.current_thread
        if th is None:
            return self._original.set_event_loop(loop)
        if loop is not None and not isinstance(loop, events.AbstractEventLoop):
            raise TypeError(f"loop must be an instance of AbstractEventLoop or None, not '{type(loop).__name__}'")
        th.policy_loop = loop

    def new_event_loop(self):
        if _process.current is None:
            return self._original.new_event_loop()
        return SimEventLoop()

    def __getattr__(self, name):
        return getattr(self._original, name)


def _in_creation_order(loop, tasks_set):
    """asyncio.run's cancellation of the tasks left at the end (runners._cancel_all_tasks), in
    the order they were created. CPython iterates all_tasks()'s set, i.e. by the tasks'
    addresses: the order (and what the cancelled tasks print) changed from one run to the
    next, so the same scenario did not give the same trace."""
    created = getattr(loop, "_ws_created", None)
    ordered = [t for t in list(created or ()) if t in tasks_set]
    seen = set(ordered)
    return ordered + sorted((t for t in tasks_set if t not in seen), key=lambda t: t.get_name())


def _runners_copy():
    """Lib/asyncio/runners.py compiled suspendable (asyncio.run, asyncio.Runner)."""
    import types

    from wirescope.transform import compile_suspendable

    spec = asyncio.runners.__spec__
    source = spec.loader.get_source("asyncio.runners")
    old = "    to_cancel = tasks.all_tasks(loop)\n"
    if old not in source:
        raise ImportError("wirescope cannot adapt asyncio.runners: its source changed")
    source = source.replace(old, "    to_cancel = _ws_order(loop, tasks.all_tasks(loop))\n", 1)
    mod = types.ModuleType("asyncio.runners")
    mod.__spec__ = spec
    mod.__file__ = spec.origin
    mod.__package__ = "asyncio"
    mod.__loader__ = spec.loader
    mod._ws_order = _in_creation_order
    exec(compile_suspendable(source, spec.origin, check_syntax=False), mod.__dict__)
    return mod


def install(import_simulated, deferred):
    """Put the simulated loop under asyncio (once, by install.py, outside any program).
    ``deferred``: stand-ins for the simulated ``socket`` and ``selectors`` (imported on first
    use); ``import_simulated(name)``: import one of them as install() would."""
    global _import_simulated
    _import_simulated = import_simulated
    simulated = dict(deferred, threading=sys.modules["threading"])
    for name, mod in list(sys.modules.items()):
        if name.startswith("asyncio.") and mod is not None:
            d = mod.__dict__
            for k, new in simulated.items():
                if k in d and isinstance(d[k], type(sys)) and d[k] is not new:
                    d[k] = new
    runners = _runners_copy()
    sys.modules["asyncio.runners"] = runners
    asyncio.runners = runners
    asyncio.run = runners.run
    asyncio.Runner = runners.Runner
    events._event_loop_policy = _SimPolicy(events._get_event_loop_policy())

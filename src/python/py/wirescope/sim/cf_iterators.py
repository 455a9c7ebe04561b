"""``concurrent.futures``' two generators as iterators whose ``__next__`` can suspend.

CPython 3.14's ``Executor.map`` returns a generator (``result_iterator``) and ``as_completed``
is one: their waits (``Future.result()``, ``waiter.event.wait()``) happen inside a generator,
which the suspendable transform cannot make suspendable. These are the same algorithms as
classes (``Lib/concurrent/futures/_base.py``), executed in ``concurrent.futures._base``'s
namespace by install.py, so ``for result in executor.map(...)`` and ``for f in
as_completed(...)`` let the worker threads run. (``list(...)`` of them, or a comprehension,
still calls ``__next__`` from C: see docs/threads.md.)
"""


class _ResultIterator:
    """Executor.map()'s results, in order."""

    def __init__(self, executor, fn, fs, zipped_iterables, buffersize, timeout, end_time):
        self._executor_weakref = weakref.ref(executor)
        self._fn = fn
        fs.reverse()  # reverse to keep finishing order
        self._fs = fs
        self._zipped = zipped_iterables
        self._buffersize = buffersize
        self._timeout = timeout
        self._end_time = end_time

    def __iter__(self):
        return self

    def __next__(self):
        fs = self._fs
        if not fs:
            raise StopIteration
        try:
            if (
                self._buffersize
                and (executor := self._executor_weakref())
                and (args := next(self._zipped, None))
            ):
                fs.appendleft(executor.submit(self._fn, *args))
            if self._timeout is None:
                return _result_or_cancel(fs.pop())
            return _result_or_cancel(fs.pop(), self._end_time - time.monotonic())
        except BaseException:
            self.close()
            raise

    def close(self):
        fs, self._fs = self._fs, []
        for future in fs:
            future.cancel()

    def __del__(self):
        for future in self._fs:
            future.cancel()


def _map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
    """Returns an iterator equivalent to map(fn, iter) (Executor.map)."""
    if buffersize is not None and not isinstance(buffersize, int):
        raise TypeError("buffersize must be an integer or None")
    if buffersize is not None and buffersize < 1:
        raise ValueError("buffersize must be None or > 0")
    end_time = None
    if timeout is not None:
        end_time = timeout + time.monotonic()
    zipped_iterables = zip(*iterables)
    if buffersize:
        fs = collections.deque()
        for args in islice(zipped_iterables, buffersize):
            fs.append(self.submit(fn, *args))
    else:
        fs = []
        for args in zipped_iterables:
            fs.append(self.submit(fn, *args))
    return _ResultIterator(self, fn, fs, zipped_iterables, buffersize, timeout, end_time)


class _AsCompleted:
    """as_completed(): the futures as they complete."""

    def __init__(self, fs, timeout=None):
        self._timeout = timeout
        self._end_time = None if timeout is None else timeout + time.monotonic()
        fs = set(fs)
        self._fs = fs
        self._total = len(fs)
        with _AcquireFutures(fs):
            finished = set(f for f in fs if f._state in [CANCELLED_AND_NOTIFIED, FINISHED])
            self._pending = fs - finished
            self._waiter = _create_and_install_waiters(fs, _AS_COMPLETED)
        self._ready = list(finished)
        self._refs = (fs,)
        self._closed = False

    def __iter__(self):
        return self

    def _take(self):
        # _yield_finished_futures, one at a time
        f = self._ready[-1]
        for futures_set in self._refs:
            futures_set.remove(f)
        with f._condition:
            f._waiters.remove(self._waiter)
        return self._ready.pop()

    def __next__(self):
        if self._closed:
            raise StopIteration
        try:
            if self._ready:
                return self._take()
            while self._pending:
                if self._timeout is None:
                    wait_timeout = None
                else:
                    wait_timeout = self._end_time - time.monotonic()
                    if wait_timeout < 0:
                        raise TimeoutError("%d (of %d) futures unfinished" % (len(self._pending), self._total))
                waiter = self._waiter
                waiter.event.wait(wait_timeout)
                with waiter.lock:
                    finished = waiter.finished_futures
                    waiter.finished_futures = []
                    waiter.event.clear()
                finished.reverse()  # reverse to keep finishing order
                self._ready = finished
                self._refs = (self._fs, self._pending)
                if self._ready:
                    return self._take()
        except BaseException:
            self.close()
            raise
        self.close()
        raise StopIteration

    def close(self):
        if self._closed:
            return
        self._closed = True
        for f in self._fs:
            with f._condition:
                if self._waiter in f._waiters:
                    f._waiters.remove(self._waiter)


def as_completed(fs, timeout=None):
    """An iterator over the given futures that yields each as it completes."""
    return _AsCompleted(fs, timeout)


Executor.map = _map
_map.__name__ = "map"
_map.__qualname__ = "Executor.map"

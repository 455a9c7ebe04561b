"""Transform correctness: each case runs a small program as a green thread under the fake
kernel and compares its output with what CPython prints."""

from textwrap import dedent

from fakekernel import run, run_programs
from wirescope import runtime as rt


def check(src, expected, **kw):
    out = run(dedent(src), **kw)
    assert out == dedent(expected), f"got:\n{out}\nexpected:\n{dedent(expected)}"


def test_top_level_suspends_and_globals_are_module_globals():
    check(
        """
        from simlib import sleep, now
        x = 1
        sleep(2)
        def show():
            print('x', x, 'now', now())
        show()
        x = 5
        show()
        print(sorted(k for k in globals() if not k.startswith('__')))
        """,
        """\
        x 1 now 2
        x 5 now 2
        ['now', 'show', 'sleep', 'x']
        """,
    )


def test_functions_defaults_kwonly_varargs():
    check(
        """
        from simlib import echo
        def f(a, b=2, /, c=3, *args, d, e=5, **kw):
            return (a, b, c, args, d, e, kw, echo('ok'))
        print(f(1, d=4))
        print(f(1, 9, 8, 7, 6, d=4, z=0))
        def mutable(x, acc=[]):
            acc.append(x); return acc
        mutable(1); print(mutable(2))
        try:
            f()
        except TypeError as e:
            print('TypeError', e)
        """,
        """\
        (1, 2, 3, (), 4, 5, {}, 'ok')
        (1, 9, 8, (7, 6), 4, 5, {'z': 0}, 'ok')
        [1, 2]
        TypeError f() missing 1 required positional argument: 'a'
        """,
    )


def test_methods_super_classmethod_staticmethod_property():
    check(
        """
        from simlib import echo
        class Base:
            def __init__(self, x):
                self.x = echo(x)
            def describe(self):
                return f'Base({self.x})'
        class Child(Base):
            count = 0
            def __init__(self, x, y):
                super().__init__(x)
                self.y = y
                Child.count += 1
            def describe(self):
                return 'Child/' + super().describe()
            @classmethod
            def make(cls, v):
                return cls(v, echo(v * 2))
            @staticmethod
            def helper(a):
                return echo(a) + 1
            @property
            def total(self):
                return self.x + self.y
            @total.setter
            def total(self, v):
                self.y = v - self.x
        c = Child.make(3)
        print(c.describe(), c.total, Child.helper(4), Child.count)
        c.total = 10
        print(c.y, type(c).__name__, isinstance(c, Base))
        """,
        """\
        Child/Base(3) 9 5 1
        7 Child True
        """,
    )


def test_closures_nonlocal_global():
    check(
        """
        from simlib import echo
        counter = 0
        def bump():
            global counter
            counter += echo(1)
        def make():
            n = 0
            def inc():
                nonlocal n
                n += echo(1)
                return n
            return inc
        inc = make()
        inc(); inc(); bump(); bump(); bump()
        print(inc(), counter)
        """,
        """\
        3 3
        """,
    )


def test_decorators_wraps_and_introspection():
    check(
        """
        import functools, inspect
        from simlib import echo
        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                print('call', fn.__name__, args)
                return echo(fn(*args, **kwargs))
            return wrapper
        @logged
        def add(a: int, b: int = 1) -> int:
            '''Add two numbers.'''
            return a + b
        print(add(2, b=3))
        print(add.__name__, add.__qualname__, add.__doc__, add.__module__)
        print(add.__wrapped__.__name__, inspect.signature(add), inspect.signature(add.__wrapped__))
        class K:
            def m(self, x, *, y=2): pass
        print(K.m.__qualname__, inspect.signature(K.m), K.m.__annotations__ if hasattr(K.m, '__annotations__') else '')
        print(add.__annotations__)
        """,
        """\
        call add (2,)
        5
        add add Add two numbers. __main__
        add (a: int, b: int = 1) -> int (a: int, b: int = 1) -> int
        K.m (self, x, *, y=2) {}
        {'a': <class 'int'>, 'b': <class 'int'>, 'return': <class 'int'>}
        """,
    )


def test_recursion():
    check(
        """
        from simlib import echo
        def fact(n):
            return 1 if n <= 1 else n * fact(echo(n - 1))
        print(fact(20))
        def depth(n):
            return 0 if n == 0 else 1 + depth(n - 1)
        print(depth(500))
        """,
        """\
        2432902008176640000
        500
        """,
    )


def test_exceptions_through_suspended_frames():
    check(
        """
        from simlib import sleep
        from wirescope.runtime import syscall
        log = []
        def inner():
            try:
                syscall('fail', ValueError('bad'))
            finally:
                log.append('inner-finally')
        def outer():
            try:
                sleep(1)
                inner()
            except ValueError as e:
                log.append(f'caught {e!r}')
                sleep(1)
                return 'recovered'
            finally:
                log.append('outer-finally')
        print(outer(), log)
        try:
            syscall('fail', KeyError('k'))
        except LookupError as e:
            print('top-level caught', type(e).__name__)
        """,
        """\
        recovered ['inner-finally', "caught ValueError('bad')", 'outer-finally']
        top-level caught KeyError
        """,
    )


def test_with_exit_sees_exception_and_can_suspend():
    check(
        """
        from simlib import sleep, now
        class CM:
            def __init__(self, name, swallow=False):
                self.name, self.swallow = name, swallow
            def __enter__(self):
                sleep(1)
                print('enter', self.name, now())
                return self
            def __exit__(self, et, ev, tb):
                sleep(1)
                print('exit', self.name, et.__name__ if et else None, ev, now())
                return self.swallow
        with CM('a') as a, CM('b', swallow=True) as b:
            raise KeyError('x')
        print('after', a.name, b.name)
        def f():
            for i in range(3):
                with CM(f'loop{i}'):
                    if i == 1:
                        return i
        print('returned', f())
        try:
            with CM('c'):
                1 / 0
        except ZeroDivisionError:
            print('propagated')
        with open(__file__ if False else '/dev/null') as fh:
            pass
        print(fh.closed)
        try:
            with 42:
                pass
        except TypeError as e:
            print('TypeError', 'context manager' in str(e))
        """,
        """\
        enter a 1
        enter b 2
        exit b KeyError 'x' 3
        exit a None None 4
        after a b
        enter loop0 5
        exit loop0 None None 6
        enter loop1 7
        exit loop1 None None 8
        returned 1
        enter c 9
        exit c ZeroDivisionError division by zero 10
        propagated
        True
        TypeError True
        """,
    )


def test_return_values_and_star_unpacking():
    check(
        """
        from simlib import echo
        def pair():
            return echo(1), echo(2)
        a, b = pair()
        first, *rest = [echo(i) for i in range(4)]
        print(a, b, first, rest, [*rest, *pair()], {**{'k': echo('v')}})
        print(echo(*[5]), echo(**{'x': 6}))
        """,
        """\
        1 2 0 [1, 2, 3] [1, 2, 3, 1, 2] {'k': 'v'}
        5 6
        """,
    )


def test_lambdas_comprehensions_generators_async_left_alone():
    check(
        """
        import asyncio
        from simlib import echo, sleep
        sq = lambda v: echo(v) ** 2
        def gen(n):
            for i in range(n):
                yield echo(i)
            return 'end'
        def delegating():
            r = yield from gen(2)
            yield r
        class Ready:
            def __await__(self):
                yield 'tick'
                return 2
        async def coro(x):
            return x * await Ready()
        def run_coro(c):
            ticks = 0
            try:
                while True:
                    c.send(None); ticks += 1
            except StopIteration as e:
                return e.value, ticks
        print(sq(3), [sq(i) for i in range(3)], {i: echo(i) for i in range(2)}, list(gen(3)))
        print(list(delegating()), run_coro(coro(21)))
        g = gen(2)
        print(next(g), next(g), sum(x for x in gen(4)))
        """,
        """\
        9 [0, 1, 4] {0: 0, 1: 1} [0, 1, 2]
        [0, 1, 'end'] (42, 1)
        0 1 6
        """,
    )


def test_calls_from_c_into_transformed_functions():
    check(
        """
        from simlib import echo, sleep
        def key(v):
            sleep(1)  # a nested wait: served synchronously by the host
            return -v
        class Num:
            def __init__(self, v):
                sleep(1)
                self.v = v
            def __eq__(self, other):
                return echo(self.v) == other.v
            def __hash__(self):
                return hash(self.v)
            def __repr__(self):
                return f'Num({echo(self.v)})'
            def __lt__(self, other):
                return self.v < other.v
        class Count:
            def __init__(self, n):
                self.n = n
            def __iter__(self):
                return self
            def __next__(self):
                sleep(1)
                if self.n == 0:
                    raise StopIteration
                self.n -= 1
                return self.n
        print(sorted([3, 1, 2], key=key), list(map(key, [1, 2])))
        print(Num(1) == Num(1), sorted([Num(2), Num(1)]), {Num(3)})
        print(list(Count(3)), [x for x in Count(2)])
        for x in Count(2):
            print('for', x)
        print(max([1, 5, 2], key=lambda v: echo(v)))
        """,
        """\
        [3, 2, 1] [-1, -2]
        True [Num(1), Num(2)] {Num(3)}
        [2, 1, 0] [1, 0]
        for 1
        for 0
        5
        """,
    )


def test_match_walrus_fstrings_del_assert():
    check(
        """
        from simlib import echo
        def classify(cmd):
            match echo(cmd):
                case ['get', name] if echo(len(name)) > 2:
                    return f'get {name!r:>8}'
                case {'op': op, **rest}:
                    return f'op={op} rest={rest}'
                case str() as s:
                    return f'str {s}'
                case _:
                    return 'other'
        for c in (['get', 'file'], ['get', 'x'], {'op': 1, 'a': 2}, 'hi'):
            print(classify(c))
        if (n := echo(10)) > 5:
            print('walrus', n, f'{echo(n) * 2:04d}')
        x = [1, 2, 3]
        del x[echo(0)]
        print(x)
        try:
            assert echo(False), f'msg {echo(7)}'
        except AssertionError as e:
            print('assert', e)
        """,
        """\
        get   'file'
        other
        op=1 rest={'a': 2}
        str hi
        walrus 10 0020
        [2, 3]
        assert msg 7
        """,
    )


def test_class_bodies_and_nested_classes():
    check(
        """
        from simlib import echo
        class Outer:
            X = [i * 2 for i in range(3)]
            class Inner:
                def hi(self):
                    return echo('hi from ' + type(self).__qualname__)
            def get(self):
                return self.Inner().hi()
        print(Outer.X, Outer().get(), Outer.Inner.hi.__qualname__)
        def factory():
            class Local:
                def m(self):
                    return echo(1)
            return Local
        print(factory()().m(), factory().__qualname__)
        """,
        """\
        [0, 2, 4] hi from Outer.Inner Outer.Inner.hi
        1 factory.<locals>.Local
        """,
    )


def test_user_generator_yield_still_works_and_send():
    check(
        """
        def acc():
            total = 0
            while True:
                v = yield total
                if v is None:
                    return total
                total += v
        g = acc(); next(g); g.send(2); print(g.send(3))
        try:
            g.send(None)
        except StopIteration as e:
            print('stop', e.value)
        """,
        """\
        5
        stop 5
        """,
    )


def test_stopiteration_from_suspendable_function():
    check(
        """
        def first(it):
            return next(it)
        try:
            first(iter([]))
        except StopIteration:
            print('StopIteration propagated')
        except RuntimeError as e:
            print('RuntimeError', e)
        """,
        """\
        RuntimeError generator raised StopIteration
        """,
    )


def test_import_star_annotations_and_docstring_at_top_level():
    check(
        '''
        """Module doc."""
        from math import *
        from simlib import *
        x: int = 3
        y: list
        print(__doc__, floor(2.5), echo(x), 'y' in globals())
        if __name__ == '__main__':
            print('main')
        ''',
        """\
        Module doc. 2 3 False
        main
        """,
    )


def test_threads_interleave_in_virtual_time():
    # Two programs and a spawned thread, interleaving through sleep/put/get.
    a = dedent(
        """
        from simlib import sleep, now, put, get, spawn
        def worker(name, n):
            for i in range(n):
                sleep(1.5)
                put('q', f'{name}{i}@{now()}')
        spawn(worker, 'w', 2)
        for i in range(3):
            sleep(1)
            print('A tick', i, now())
        print('A got', get('q'), get('q'))
        """
    )
    b = dedent(
        """
        from simlib import sleep, now, get
        print('B start', now())
        sleep(2.5)
        print('B got', get('r'), now())
        """
    )
    c = dedent(
        """
        from simlib import sleep, put
        sleep(4)
        put('r', 'hello')
        """
    )
    out, k = run_programs(("a.py", a), ("b.py", b), ("c.py", c))
    assert out == dedent(
        """\
        B start 0
        A tick 0 1
        A tick 1 2
        A tick 2 3.0
        A got w0@1.5 w1@3.0
        B got hello 4
        """
    ), out
    assert all(r[0] == "done" for r in k.results.values()), k.results


def test_round_robin_with_line_limit_checks():
    # A CPU-bound loop yields ('check',) so another thread runs in between.
    prog = dedent(
        """
        from simlib import put
        def spin(name):
            n = 0
            while n < 3000:
                n += 1
                if n % 1000 == 0:
                    put('log', f'{name}{n}')
        spin(NAME)
        """
    )
    seen = []

    def setup(k):
        pass

    out, k = run_programs(("x.py", prog.replace("NAME", "'x'")), ("y.py", prog.replace("NAME", "'y'")), line_limit=500)
    seen = list(k.queues["log"])
    assert k.checks > 10, k.checks
    # with a line limit both threads progress alternately
    assert seen[:2] in (["x1000", "y1000"], ["y1000", "x1000"]), seen
    assert sorted(seen) == ["x1000", "x2000", "x3000", "y1000", "y2000", "y3000"]


def test_nested_wait_fallback_and_lifo():
    # key= callbacks run from C: the syscall is served by host.block (nested kernel run)
    out, k = run_programs(
        (
            "p.py",
            dedent(
                """
                from simlib import sleep, now
                def key(v):
                    sleep(v)
                    return now()
                print(sorted([2, 1], key=key))
                """
            ),
        )
    )
    assert out == "[2, 1]\n", out  # key(2) woke at t=2, key(1) at t=3
    assert k.max_nested_depth == 1


def test_line_records_and_entries():
    rt.take_lines()
    run(
        dedent(
            """
            def f(n):
                while n > 0:
                    n -= 1
            f(2)
            """
        ),
        filename="lines.py",
    )
    recs = list(rt.take_lines())
    fid = {v: k for k, v in rt.file_table().items()}["lines.py"]
    mine = [(r < 0, (~r if r < 0 else r) & 0xFFFFF) for r in recs if ((~r if r < 0 else r) >> 20) == fid]
    assert mine == [
        (True, 0),  # module entry
        (False, 2),  # def f
        (False, 5),  # f(2)
        (True, 2),  # entry into f (its def line)
        (False, 3),
        (False, 4),
        (False, 3),
        (False, 4),
        (False, 3),
    ], mine


def test_new_syntax_template_strings_type_params_except_star():
    import sys

    if sys.version_info < (3, 14):
        return  # t-strings are 3.14 syntax (Pyodide); the local CPython may be older
    check(
        """
        from simlib import echo
        from string.templatelib import Template
        type Pair[T] = tuple[T, T]
        def first[T](xs: list[T]) -> T:
            return echo(xs[0])
        class Box[T]:
            def __init__(self, v: T):
                self.v = echo(v)
        name = 'wire'
        t = t'hello {echo(name)!r:>8} {first([1, 2])}'
        print(type(t) is Template, t.strings, [i.value for i in t.interpolations], Box(3).v)
        print(Pair.__value__, first.__type_params__)
        try:
            raise ExceptionGroup('g', [ValueError(echo(1)), KeyError(2)])
        except* ValueError as eg:
            print('values', [str(e) for e in eg.exceptions])
        except* KeyError as eg:
            print('keys', len(eg.exceptions))
        """,
        """\
        True ('hello ', ' ', '') ['wire', 1] 3
        tuple[T, T] (T,)
        values ['1']
        keys 1
        """,
    )


def test_green_thread_from_callable_target():
    # threading-style: a kernel makes a GreenThread from target=/args= callables
    out, k = run_programs(
        (
            "t.py",
            dedent(
                """
                from simlib import spawn, sleep, now
                import functools
                class Worker:
                    def __init__(self, name):
                        self.name = name
                    def run(self, n):
                        for i in range(n):
                            sleep(1)
                            print(self.name, i, now())
                    def __call__(self):
                        self.run(1)
                spawn(Worker('method').run, 2)
                spawn(functools.partial(Worker('partial').run, 1))
                spawn(Worker('callable'))
                spawn(print, 'plain builtin target')
                """
            ),
        )
    )
    assert out == dedent(
        """\
        plain builtin target
        method 0 1
        partial 0 1
        callable 0 1
        method 1 2
        """
    ), out
    assert all(r[0] == "done" for r in k.results.values()), k.results

"""Source transformation that makes ordinary Python code suspendable.

Every plain ``def`` (not a generator, not ``async``) is compiled as a *generator
function* whose calls are rewritten so that, when the callee is itself
suspendable, the caller delegates to it with ``yield from``.  A ``yield`` at the
bottom of such a chain (``runtime.syscall``) therefore travels straight up to the
driver (``runtime.step``), which can park the whole stack and run something else.

The generator function is then wrapped by ``__ws_facade__`` into a *facade*: a
real ``FunctionType`` with the same signature that, when called normally (from C
code, a lambda, a comprehension, ``__str__`` ...), runs the generator to
completion synchronously.  So user functions still look and behave like functions
to everything that is not transformed.

See docs/python-runtime.md for the full description.  The helper names used by
the generated code (``__ws_buf__``, ``__ws_G__`` ...) live in ``builtins`` and are
installed by ``wirescope.runtime``.
"""

from __future__ import annotations

import ast
import sys
import types
from typing import Callable

__all__ = [
    "compile_suspendable",
    "install_import_hook",
    "file_id",
    "file_table",
    "LINE_BITS",
]

LINE_BITS = 20
_LINE_MASK = (1 << LINE_BITS) - 1
_MAX_FILE_ID = (1 << (31 - LINE_BITS)) - 1

_files: list[str] = ["<unknown>"]
_file_ids: dict[str, int] = {}


def file_id(filename: str) -> int:
    """The id used in line records for ``filename`` (assigned on first use, from 1)."""
    fid = _file_ids.get(filename)
    if fid is None:
        fid = len(_files)
        if fid > _MAX_FILE_ID:
            fid = 0  # out of ids: lines of further files are recorded as file 0
        else:
            _files.append(filename)
            _file_ids[filename] = fid
    return fid


def file_table() -> dict[int, str]:
    """Map of file id -> filename for every file transformed so far."""
    return {i: name for i, name in enumerate(_files) if i}


def _line_code(fid: int, lineno: int) -> int:
    return (fid << LINE_BITS) | (min(lineno, _LINE_MASK) & _LINE_MASK)


# ---------------------------------------------------------------------------
# AST helpers


def _name(id: str, ctx: ast.expr_context | None = None) -> ast.Name:
    return ast.Name(id=id, ctx=ctx or ast.Load())


def _call(func: ast.expr, *args: ast.expr) -> ast.Call:
    return ast.Call(func=func, args=list(args), keywords=[])


def _rec(code: int) -> ast.Call:
    # __ws_buf__.append(code): a list append by method call is specialised by the
    # interpreter (CALL_LIST_APPEND) and is much cheaper than array.append.
    append = ast.Attribute(value=_name("__ws_buf__"), attr="append", ctx=ast.Load())
    return _call(append, ast.Constant(code))


def _rec_stmt(code: int, template: ast.AST) -> ast.Expr:
    """``_at(ast.Expr(_rec(code)), template)``, its nodes located as they are made."""
    lineno = getattr(template, "lineno", None)
    col = getattr(template, "col_offset", None)
    end_lineno = getattr(template, "end_lineno", None)
    end_col = getattr(template, "end_col_offset", None)
    if lineno is None or col is None or end_lineno is None or end_col is None:
        return _at(ast.Expr(_rec(code)), template)  # pragma: no cover - every statement is located
    loc = {"lineno": lineno, "col_offset": col, "end_lineno": end_lineno, "end_col_offset": end_col}
    append = ast.Attribute(value=ast.Name(id="__ws_buf__", ctx=ast.Load(), **loc), attr="append", ctx=ast.Load(), **loc)
    return ast.Expr(ast.Call(func=append, args=[ast.Constant(code, **loc)], keywords=[], **loc), **loc)


def _check_stmt() -> ast.If:
    """``if len(buf) >= limit: yield CHECK`` -- the check point."""
    test = ast.Compare(
        left=_call(_name("__ws_len__"), _name("__ws_buf__")),
        ops=[ast.GtE()],
        comparators=[_name("__ws_lim__")],
    )
    return ast.If(test=test, body=[ast.Expr(ast.Yield(_name("__ws_CHECK__")))], orelse=[])


def _at(node: ast.AST, template: ast.AST) -> ast.AST:
    """Give ``node`` and every descendant without a location the location of ``template``.

    A node that has a location is not entered: its descendants have one too (the parser
    locates every node; every node the rewriter makes is located by ``_at`` when it is put
    in the tree), so only the rewriter's new nodes are visited, not the original subtrees
    they hold.
    """
    lineno = getattr(template, "lineno", None)
    col = getattr(template, "col_offset", None)
    end_lineno = getattr(template, "end_lineno", None)
    end_col = getattr(template, "end_col_offset", None)
    if lineno is None or col is None or end_lineno is None or end_col is None:
        return _at_partial(node, template)
    stack = [node]
    pop = stack.pop
    push = stack.append
    AST = ast.AST
    while stack:
        n = pop()
        cls = n.__class__
        if "lineno" in cls._attributes:
            if getattr(n, "lineno", None) is not None:
                continue
            # ast.copy_location(n, template), for a template with a full location
            n.lineno = lineno
            n.col_offset = col
            n.end_lineno = end_lineno
            n.end_col_offset = end_col
        for field in _CHILD_FIELDS.get(cls) or _child_fields(cls):
            v = getattr(n, field, None)
            if v.__class__ is list:
                for item in v:
                    if isinstance(item, AST):
                        push(item)
            elif isinstance(v, AST):
                push(v)
    return node


def _at_partial(node: ast.AST, template: ast.AST) -> ast.AST:
    """``_at`` for a template without a full location (what ``ast.copy_location`` copies)."""
    for n in ast.walk(node):
        if "lineno" in n._attributes and getattr(n, "lineno", None) is None:
            ast.copy_location(n, template)
    return node


#: Fields that hold only nodes without location or children (contexts and operators).
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
#: node class -> the fields that may hold child nodes (``_fields`` less ``_LEAF_FIELDS``)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in _LEAF_FIELDS)
    return fields


def _children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` less the context and operator leaves, as a list (faster)."""
    out = []
    AST = ast.AST
    cls = node.__class__
    for field in _CHILD_FIELDS.get(cls) or _child_fields(cls):
        v = getattr(node, field, None)
        if v.__class__ is list:
            for item in v:
                if isinstance(item, AST):
                    out.append(item)
        elif isinstance(v, AST):
            out.append(v)
    return out


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _own_nodes(nodes):
    """Walk ``nodes`` without entering nested scopes (defs, lambdas, classes, comprehensions)."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, _SCOPES) or isinstance(n, _COMPS):
            continue
        stack.extend(_children(n))


def _is_generator(fn: ast.FunctionDef) -> bool:
    for n in _own_nodes(fn.body):
        if isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)):
            return True
    return False


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _contains_yield(node: ast.AST) -> bool:
    return any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await)) for n in _own_nodes([node]))


def _is_const(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant)


# ---------------------------------------------------------------------------
# The rewriter


class _Rewriter(ast.NodeTransformer):
    """Rewrites one scope.

    ``suspendable`` scopes (the bodies of transformed functions and of the main
    module) get their calls, ``for`` and ``with`` statements rewritten and check
    points added.  Every scope gets its statements recorded.
    """

    def __init__(self, fid: int, suspendable: bool, record: bool = True):
        self.fid = fid
        self.suspendable = suspendable
        self.record = record
        self.tmp = 0  # per-statement counter for call temporaries
        self.depth = 0  # nesting depth of rewritten for/with (their temps live across bodies)

    # -- statement lists ---------------------------------------------------

    def body(self, stmts: list[ast.stmt], docstring: bool = False) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for i, s in enumerate(stmts):
            if docstring and i == 0 and _is_docstring(s):
                out.append(s)
                continue
            if isinstance(s, ast.ImportFrom) and s.module == "__future__":
                out.append(s)
                continue
            self.tmp = 0
            new = self.visit(s)
            if new is None:
                continue
            new_list = new if isinstance(new, list) else [new]
            if self.record and not isinstance(s, (ast.Global, ast.Nonlocal, ast.While)):
                out.append(_rec_stmt(_line_code(self.fid, s.lineno), s))
            out.extend(new_list)
        if not out:
            out.append(ast.copy_location(ast.Pass(), stmts[0]) if stmts else ast.Pass())
        return out

    def _bodies(self, node: ast.AST) -> ast.AST:
        """Visit a compound statement: expressions via generic visiting, bodies via ``body``."""
        for field, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, field, self.body(value))
            elif isinstance(value, list):
                new = []
                for v in value:
                    if isinstance(v, ast.AST):
                        v = self.visit(v)
                        if v is None:
                            continue
                    new.append(v)
                setattr(node, field, new)
            elif isinstance(value, ast.AST):
                setattr(node, field, self.visit(value))
        return node

    # -- scopes ------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef):
        return self._function(node, transform=not _is_generator(node))

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef):
        return self._function(node, transform=False)

    def _function(self, node, transform: bool):
        # Decorators and defaults are evaluated in the enclosing scope.
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [None if d is None else self.visit(d) for d in node.args.kw_defaults]
        inner = _Rewriter(self.fid, suspendable=transform, record=self.record)
        body = inner.body(node.body, docstring=True)
        if transform:
            prologue: list[ast.stmt] = []
            if self.record:
                prologue.append(ast.Expr(_rec(~_line_code(self.fid, node.lineno))))
            prologue.append(_check_stmt())
            at = 1 if _is_docstring(body[0]) else 0
            body[at:at] = [_at(p, node) for p in prologue]
            fac = _at(_name("__ws_facade__"), node)
            node.decorator_list.append(fac)
        node.body = body
        return node

    def visit_ClassDef(self, node: ast.ClassDef):
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.bases = [self.visit(b) for b in node.bases]
        node.keywords = [self.visit(k) for k in node.keywords]
        inner = _Rewriter(self.fid, suspendable=False, record=self.record)
        node.body = inner.body(node.body, docstring=True)
        return node

    def visit_Lambda(self, node: ast.Lambda):
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [None if d is None else self.visit(d) for d in node.args.kw_defaults]
        return node  # the body is its own (non-suspendable) scope

    def _comprehension(self, node):
        # A comprehension is its own (non-suspendable) scope.  Its outermost
        # iterable is evaluated in the enclosing scope, but an assignment
        # expression (our call temporaries) is not allowed there: leave it as is.
        return node

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    # Annotations and type parameters are evaluated in their own scopes (PEP 649/695):
    # leave them alone.
    def visit_arg(self, node):
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is not None:
            node.value = self.visit(node.value)
        node.target = self.visit(node.target)
        return node

    # -- compound statements -------------------------------------------------

    def generic_visit(self, node):
        if isinstance(node, ast.stmt):
            return self._bodies(node)
        # ast.NodeTransformer.generic_visit, without visiting context/operator leaves (no
        # visitor changes them)
        AST = ast.AST
        cls = node.__class__
        for field in _CHILD_FIELDS.get(cls) or _child_fields(cls):
            old = getattr(node, field, None)
            if old.__class__ is list:
                new = []
                for v in old:
                    if isinstance(v, AST):
                        v = self.visit(v)
                        if v is None:
                            continue
                        if not isinstance(v, AST):
                            new.extend(v)
                            continue
                    new.append(v)
                old[:] = new
            elif isinstance(old, AST):
                v = self.visit(old)
                if v is None:
                    delattr(node, field)
                else:
                    setattr(node, field, v)
        return node

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        if node.type is not None:
            node.type = self.visit(node.type)
        node.body = self.body(node.body)
        if self.record:
            node.body.insert(0, _rec_stmt(_line_code(self.fid, node.lineno), node))
        return node

    def visit_match_case(self, node: ast.match_case):
        if node.guard is not None:
            node.guard = self.visit(node.guard)
        node.body = self.body(node.body)
        return node

    def visit_While(self, node: ast.While):
        test = self.visit(node.test)
        if self.record:
            rec = _at(_rec(_line_code(self.fid, node.lineno)), node)
            test = _at(ast.BoolOp(op=ast.Or(), values=[rec, test]), node.test)
        node.test = test
        node.body = self.body(node.body)
        if self.suspendable:
            node.body.insert(0, _at(_check_stmt(), node))
        node.orelse = self.body(node.orelse) if node.orelse else []
        return node

    def visit_For(self, node: ast.For):
        node.iter = self.visit(node.iter)
        node.body = self.body(node.body)
        node.orelse = self.body(node.orelse) if node.orelse else []
        head: list[ast.stmt] = []
        if self.record:
            head.append(ast.Expr(_rec(_line_code(self.fid, node.lineno))))
        if not self.suspendable:
            node.body[0:0] = [_at(h, node) for h in head]
            return node
        # for T in ITER  ->  for item in __ws_iter__(ITER): <pending?>; T = item; BODY
        # The adapter lets a suspendable __next__ (user iterator class, _pyio file) block.
        item = f"__ws_i{self.depth}__"
        self.depth += 1
        try:
            pending = ast.If(
                test=ast.Compare(
                    left=ast.Attribute(value=_name(item), attr="__class__", ctx=ast.Load()),
                    ops=[ast.Is()],
                    comparators=[_name("__ws_Pending__")],
                ),
                body=[
                    ast.Expr(ast.YieldFrom(ast.Attribute(value=_name(item), attr="gen", ctx=ast.Load()))),
                    ast.Continue(),
                ],
                orelse=[],
            )
            assign = ast.Assign(targets=[node.target], value=_name(item))
            new_body = [pending] + head + [_check_stmt(), assign] + node.body
            node.body = [_at(s, node) for s in new_body]
            node.target = _at(_name(item, ast.Store()), node.target)
            node.iter = _at(_call(_name("__ws_iter__"), node.iter), node.iter)
        finally:
            self.depth -= 1
        return node

    def visit_With(self, node: ast.With):
        if not self.suspendable:
            node.items = [self.visit(i) for i in node.items]
            node.body = self.body(node.body)
            return node
        # PEP 343 expansion so that __enter__/__exit__ may suspend.
        return self._with(node, node.items, node.body)

    def _with(self, node, items, body_stmts) -> list[ast.stmt]:
        item = items[0]
        d = self.depth
        self.depth += 1
        try:
            mgr, ex, en, ok = (f"__ws_{k}{d}__" for k in ("m", "x", "e", "ok"))
            ctx_expr = self.visit(item.context_expr)
            # The statements below are built from templates; calls get rewritten by visit().
            saved_tmp = self.tmp
            stmts: list[ast.stmt] = [
                ast.Assign(targets=[_name(mgr, ast.Store())], value=ctx_expr),
                ast.Assign(
                    targets=[ast.Tuple(elts=[_name(ex, ast.Store()), _name(en, ast.Store())], ctx=ast.Store())],
                    value=_call(_name("__ws_ctx__"), _name(mgr)),
                ),
            ]
            enter_call = self.visit(_at(_call(_name(en)), item.context_expr))
            if item.optional_vars is not None:
                target = self.visit(item.optional_vars)
                stmts.append(ast.Assign(targets=[target], value=enter_call))
            else:
                stmts.append(ast.Expr(enter_call))
            stmts.append(ast.Assign(targets=[_name(ok, ast.Store())], value=ast.Constant(True)))
            if len(items) > 1:
                inner = self._with(node, items[1:], body_stmts)
            else:
                inner = self.body(body_stmts)
            self.tmp = saved_tmp
            exit_exc = _call(_name(ex), ast.Starred(value=_call(_name("__ws_exc_info__")), ctx=ast.Load()))
            exit_exc = self.visit(_at(exit_exc, item.context_expr))
            exit_none = _call(_name(ex), ast.Constant(None), ast.Constant(None), ast.Constant(None))
            exit_none = self.visit(_at(exit_none, item.context_expr))
            handler = ast.ExceptHandler(
                type=_name("BaseException"),
                name=None,
                body=[
                    ast.Assign(targets=[_name(ok, ast.Store())], value=ast.Constant(False)),
                    ast.If(test=ast.UnaryOp(op=ast.Not(), operand=exit_exc), body=[ast.Raise()], orelse=[]),
                ],
            )
            final = ast.If(test=_name(ok), body=[ast.Expr(exit_none)], orelse=[])
            stmts.append(ast.Try(body=inner, handlers=[handler], orelse=[], finalbody=[final]))
            return [_at(s, node) for s in stmts]
        finally:
            self.depth -= 1

    # -- calls -------------------------------------------------------------

    def _temp(self) -> str:
        self.tmp += 1
        return f"__ws_t{self.tmp}__"

    def visit_Call(self, node: ast.Call):
        if not self.suspendable:
            return self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id == "super" and not node.args and not node.keywords:
            return node  # zero-argument super() needs to run in this very frame
        node = self.generic_visit(node)
        # Every node made here gets the call's location as it is made (what _at(out, node)
        # would give it, without walking the result).
        loc = {
            "lineno": getattr(node, "lineno", None),
            "col_offset": getattr(node, "col_offset", None),
            "end_lineno": getattr(node, "end_lineno", None),
            "end_col_offset": getattr(node, "end_col_offset", None),
        }
        Name, Load, Compare, NamedExpr = ast.Name, ast.Load, ast.Compare, ast.NamedExpr

        def load(id: str) -> ast.Name:
            return Name(id=id, ctx=Load(), **loc)

        def store(id: str) -> ast.Name:
            return Name(id=id, ctx=ast.Store(), **loc)

        # Evaluation order is callee, positional args, keyword args (as CPython).
        # The suspendability test __ws_G__(callee) is pure, so arguments without
        # yields may be evaluated after it (inside the branches); arguments up to
        # the last one containing a yield go to temporaries first so the code is
        # not duplicated and the order is kept.
        slots: list[tuple[str, ast.AST]] = []  # ('arg'|'star'|'kw'|'kwstar', node)
        for a in node.args:
            if isinstance(a, ast.Starred):
                slots.append(("star", a))
            else:
                slots.append(("arg", a))
        for k in node.keywords:
            slots.append(("kw" if k.arg is not None else "kwstar", k))
        values = [
            (s[1].value if s[0] in ("star", "kw", "kwstar") else s[1]) for s in slots
        ]
        last_yield = -1
        for i, v in enumerate(values):
            if _contains_yield(v):
                last_yield = i
        c = self._temp()
        g = self._temp()
        tests: list[ast.expr] = []
        tests.append(
            Compare(left=NamedExpr(target=store(c), value=func, **loc), ops=[ast.Is()], comparators=[load("__ws_S__")], **loc)
        )

        def arg_node(i: int):
            v = values[i]
            if i <= last_yield and not _is_const(v):
                t = self._temp()
                tests.append(
                    Compare(left=NamedExpr(target=store(t), value=v, **loc), ops=[ast.Is()], comparators=[load("__ws_S__")], **loc)
                )
                return lambda: load(t)
            return lambda: v

        makers = [arg_node(i) for i in range(len(values))]
        # Cheap pre-test: builtin functions and C methods are never suspendable.
        cls = ast.Attribute(value=load(c), attr="__class__", ctx=Load(), **loc)
        if len(tests) == 1:
            cls.value = tests.pop().left  # fold the callee assignment into the pre-test
        tests.append(Compare(left=cls, ops=[ast.In()], comparators=[load("__ws_NEVER__")], **loc))
        tests.append(
            Compare(
                left=NamedExpr(target=store(g), value=ast.Call(func=load("__ws_G__"), args=[load(c)], keywords=[], **loc), **loc),
                ops=[ast.Is()],
                comparators=[ast.Constant(None, **loc)],
                **loc,
            )
        )

        def build(first: bool):
            args: list[ast.expr] = []
            kws: list[ast.keyword] = []
            for (kind, orig), mk in zip(slots, makers):
                v = mk()
                if not first and not isinstance(v, ast.Name):
                    v = _deepcopy(v)
                if kind == "arg":
                    args.append(v)
                elif kind == "star":
                    args.append(ast.Starred(value=v, ctx=Load(), **loc))
                else:
                    kws.append(ast.keyword(arg=orig.arg, value=v, **loc))
            return args, kws

        fa, fk = build(True)
        sa, sk = build(False)
        fast = ast.Call(func=load(c), args=fa, keywords=fk, **loc)
        slow = ast.YieldFrom(ast.Call(func=load(g), args=sa, keywords=sk, **loc), **loc)
        test = tests[0] if len(tests) == 1 else ast.BoolOp(op=ast.Or(), values=tests, **loc)
        out = ast.IfExp(test=test, body=fast, orelse=slow, **loc)
        if None in loc.values():
            return _at(out, node)  # pragma: no cover - a call without a full location
        return out


def _deepcopy(node: ast.AST) -> ast.AST:
    import copy

    return copy.deepcopy(node)


# ---------------------------------------------------------------------------
# Main-module (suspendable top level) support


def _module_bound_names(stmts: list[ast.stmt]) -> set[str]:
    """Names bound by module-level code (not inside nested scopes)."""
    names: set[str] = set()

    def target(t):
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                names.add(n.id)

    stack: list[ast.AST] = list(stmts)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
            # decorators, defaults, bases are evaluated here
            stack.extend(n.decorator_list)
            if isinstance(n, ast.ClassDef):
                stack.extend(n.bases)
                stack.extend(k.value for k in n.keywords)
            else:
                stack.extend(n.args.defaults)
                stack.extend(d for d in n.args.kw_defaults if d is not None)
            continue
        if isinstance(n, ast.Lambda):
            stack.extend(n.args.defaults)
            continue
        if isinstance(n, _COMPS):
            # walrus inside a comprehension binds in this scope
            for sub in ast.walk(n):
                if isinstance(sub, ast.NamedExpr):
                    target(sub.target)
            stack.append(n.generators[0].iter)
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            names.add(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                if a.name == "*":
                    continue
                names.add(a.asname or a.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            names.add(n.name)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            names.add(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            names.add(n.rest)
        elif sys.version_info >= (3, 12) and isinstance(n, ast.TypeAlias):
            target(n.name)
            continue
        stack.extend(ast.iter_child_nodes(n))
    return names


class _TopLevelFixer(ast.NodeTransformer):
    """Module-level statements that are not valid inside a function body."""

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef

    def visit_Global(self, node):
        return None  # a no-op at module level; all module names are declared global anyway

    def visit_AnnAssign(self, node: ast.AnnAssign):
        # "annotated name can't be global": keep the assignment, drop the annotation.
        if node.value is None:
            if isinstance(node.target, ast.Name):
                return None
            return ast.copy_location(ast.Expr(node.target), node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    def visit_ImportFrom(self, node: ast.ImportFrom):
        if node.module == "__future__" or node.names[0].name != "*":
            return node
        call = _call(
            _name("__ws_import_star__"),
            ast.Constant(node.module or ""),
            ast.Constant(node.level),
            _call(_name("globals")),
        )
        return _at(ast.Expr(call), node)


# ---------------------------------------------------------------------------
# Public API


#: Where ``ast.fix_missing_locations`` puts a node without a location directly under the module.
_MODULE_START = ast.Pass(lineno=1, col_offset=0, end_lineno=1, end_col_offset=0)



def transform_module(tree: ast.Module, filename: str, *, toplevel: bool = False, record: bool = True) -> ast.Module:
    fid = file_id(filename)
    # Every node the rewriter adds is located as it is made (``_at``), so the tree needs no
    # ast.fix_missing_locations pass (a walk of the whole tree): only a body that was empty gets
    # an unlocated ``pass``, located here where fix_missing_locations would put it (its parent's).
    if not toplevel:
        rw = _Rewriter(fid, suspendable=False, record=record)
        tree.body = rw.body(tree.body, docstring=True)
        if len(tree.body) == 1 and getattr(tree.body[0], "lineno", None) is None:
            _at(tree.body[0], _MODULE_START)
        return tree
    future = [s for s in tree.body if isinstance(s, ast.ImportFrom) and s.module == "__future__"]
    rest = [s for s in tree.body if s not in future]
    globs = sorted(_module_bound_names(rest))
    fixer = _TopLevelFixer()
    fixed: list[ast.stmt] = []
    for s in rest:
        r = fixer.visit(s)
        if r is not None:
            fixed.append(r)
    doc = []
    if fixed and _is_docstring(fixed[0]):
        # the module docstring becomes __doc__
        doc = [_at(ast.Assign(targets=[_name("__doc__", ast.Store())], value=fixed[0].value), fixed[0])]
        fixed = fixed[1:]
        globs = sorted(set(globs) | {"__doc__"})
    rw = _Rewriter(fid, suspendable=True, record=record)
    body = rw.body(doc + fixed)
    first = tree.body[0] if tree.body else None
    loc = first or _MODULE_START
    if len(body) == 1 and getattr(body[0], "lineno", None) is None:
        _at(body[0], loc)  # the ``pass`` of an empty body, located as the function
    prologue: list[ast.stmt] = []
    if globs:
        prologue.append(ast.Global(names=globs))
    if record:
        prologue.append(ast.Expr(_rec(~_line_code(fid, 0))))
    prologue.append(_check_stmt())
    fn = ast.FunctionDef(
        name="<module>",
        args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=prologue + body,
        decorator_list=[],
        returns=None,
        type_comment=None,
        **({"type_params": []} if sys.version_info >= (3, 12) else {}),
    )
    for p in prologue:
        _at(p, loc)
    ast.copy_location(fn, loc)
    tree.body = future + [fn]
    return tree


def compile_suspendable(
    source: str | bytes,
    filename: str,
    *,
    toplevel: bool = False,
    record: bool = True,
    check_syntax: bool = True,
) -> types.CodeType:
    """Compile ``source`` with every plain function made suspendable.

    With ``toplevel=False`` (modules imported through the hook) the result is an
    ordinary module code object: ``exec`` it in the module's namespace.

    With ``toplevel=True`` (a program's main module) the result is the code of a
    *generator function* ``<module>`` whose body is the module's top-level code;
    all module-level names are declared ``global`` so they stay real module
    globals.  ``runtime.main_thread`` turns it into a green thread.

    SyntaxErrors are raised exactly as ``compile`` raises them for the original source.
    """
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    tree = ast.parse(source, filename)
    if check_syntax:
        compile(tree, filename, "exec", dont_inherit=True)  # errors the compiler (symtable) reports
    tree = transform_module(tree, filename, toplevel=toplevel, record=record)
    _remember_source(filename, source)
    code = compile(tree, filename, "exec", dont_inherit=True)
    if not toplevel:
        return code
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name == "<module>":
            return const
    raise AssertionError("module function not found")


def _remember_source(filename: str, source: str) -> None:
    """Make the source available to linecache (tracebacks) even if it is not a real file."""
    import linecache

    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


# ---------------------------------------------------------------------------
# Import hook

import importlib.abc
import importlib.machinery
import importlib.util


class _SuspendableLoader(importlib.abc.Loader):
    def __init__(self, original, origin: str):
        self.original = original
        self.origin = origin

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        source = self.original.get_source(module.__name__)
        if source is None:
            raise ImportError(f"no source for {module.__name__}", name=module.__name__)
        code = compile_suspendable(source, self.origin, check_syntax=False)
        exec(code, module.__dict__)

    def get_source(self, fullname):
        return self.original.get_source(fullname)

    # importlib.resources and friends
    def __getattr__(self, name):
        return getattr(self.original, name)


class _SuspendableFinder(importlib.abc.MetaPathFinder):
    def __init__(self, should_transform: Callable[[str], bool]):
        self.should_transform = should_transform

    def find_spec(self, fullname, path=None, target=None):
        if not self.should_transform(fullname):
            return None
        for finder in sys.meta_path:
            if finder is self or isinstance(finder, _SuspendableFinder):
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is None:
                continue
            loader = spec.loader
            if spec.origin and loader is not None and hasattr(loader, "get_source") and not isinstance(
                loader, (importlib.machinery.ExtensionFileLoader, importlib.machinery.BuiltinImporter, importlib.machinery.FrozenImporter)
            ) and spec.origin.endswith(".py"):
                spec.loader = _SuspendableLoader(loader, spec.origin)
                spec.cached = None
            return spec
        return None


def install_import_hook(should_transform: Callable[[str], bool]) -> None:
    """Transform pure-Python modules whose full name satisfies ``should_transform`` on import.

    Replaces a previously installed hook.  Modules already imported are not touched.
    """
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _SuspendableFinder)]
    sys.meta_path.insert(0, _SuspendableFinder(should_transform))

"""AutoGraph's source transformation: ``if``/``while``/``for`` become calls to the operators.

Each statement becomes local functions over the variables it assigns, and one call::

    if x > 0:                     def if_body_1(y):
        y = x                         y = x
    else:                  ->         return (y,)
        y = -x                    def else_body_1(y):
                                      y = -x
                                      return (y,)
                                  (y,) = ag__.if_stmt(x > 0, if_body_1, else_body_1,
                                                      (lambda: y,), ('y',), (True,))

The operators (``operators.py``) run plain Python on Python values and build ``tf.cond`` /
``tf.while_loop`` on tensors. An ``if`` whose branch returns takes the statements after it as its
other branch, so early returns work too.
"""

import ast
import collections
import copy
import inspect
import textwrap
import types


def _assigned(nodes):
    """Names bound by the statements (not inside nested functions or classes), in order."""
    out = []

    class Visitor(ast.NodeVisitor):
        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Store) and node.id not in out:
                out.append(node.id)

        def visit_FunctionDef(self, node):
            if node.name not in out:
                out.append(node.name)

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_ClassDef(self, node):
            if node.name not in out:
                out.append(node.name)

        def visit_Lambda(self, node):
            pass

    for n in nodes:
        Visitor().visit(n)
    return [n for n in out if not n.startswith("ag__") or n.startswith(("ag__break",
                                                                          "ag__skip"))]


def _loads(nodes):
    """How many times each name is read in the statements."""
    counts = collections.Counter()
    for n in nodes:
        for sub in ast.walk(n):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                counts[sub.id] += 1
    return counts


def _returns(nodes):
    """Whether a ``return`` appears in the statements (outside nested functions)."""
    for n in nodes:
        for sub in _walk_local(n):
            if isinstance(sub, ast.Return):
                return True
    return False


def _walk_local(node):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        yield from _walk_local(child)


def _has(nodes, kinds):
    """Whether a statement of ``kinds`` appears, not counting nested loops and functions."""
    for n in nodes:
        stack = [n]
        while stack:
            sub = stack.pop()
            if isinstance(sub, kinds):
                return True
            for child in ast.iter_child_nodes(sub):
                if not isinstance(child, ast.For | ast.While | ast.FunctionDef | ast.Lambda
                                  | ast.AsyncFunctionDef | ast.ClassDef):
                    stack.append(child)
    return False


def _function(name, params, body):
    return ast.FunctionDef(
        name=name, args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params],
                                      kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=body, decorator_list=[], returns=None)


def _always_returns(stmts):
    return bool(stmts) and isinstance(stmts[-1], ast.Return)


class _Converter:
    """Rewrites one function's body."""

    def __init__(self, fn_node):
        self.counter = 0
        self.all_loads = _loads(fn_node.body)

    def fresh(self, base):
        self.counter += 1
        return f"ag__{base}_{self.counter}"

    # --- statement lists ------------------------------------------------------------------------
    def block(self, stmts):
        out = []
        stmts = list(stmts)
        i = 0
        while i < len(stmts):
            s = stmts[i]
            if isinstance(s, ast.If) and _returns([s]):
                rest = stmts[i + 1:]
                out.extend(self.returning_if(s, rest))
                return out
            if isinstance(s, ast.If):
                out.extend(self.if_stmt(s))
            elif isinstance(s, ast.While) and not s.orelse and not _returns([s]):
                out.extend(self.while_stmt(s))
            elif isinstance(s, ast.For) and not s.orelse and not _returns([s]):
                out.extend(self.for_stmt(s))
            else:
                out.append(self.inner(s))
            i += 1
        return out

    def inner(self, s):
        """Convert the blocks nested in a statement that is itself kept (and its ``next()``
        calls, which read a tf.data iterator when the graph runs)."""
        for sub in _walk_local(s):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and (
                    sub.func.id == "next"):
                sub.func = ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()),
                                         attr="next_", ctx=ast.Load())
        for field in ("body", "orelse", "finalbody"):
            block = getattr(s, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt) and not (
                    isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)):
                setattr(s, field, self.block(block) or [ast.Pass()])
        if isinstance(s, ast.Try):
            for h in s.handlers:
                h.body = self.block(h.body) or [ast.Pass()]
        return s

    # --- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _def(name, params, body):
        return _function(name, params, body or [ast.Pass()])

    @staticmethod
    def _tuple(names, ctx):
        return ast.Tuple(elts=[ast.Name(id=n, ctx=ctx()) for n in names], ctx=ctx())

    def _getters(self, names):
        return ast.Tuple(elts=[ast.Lambda(args=ast.arguments(
            posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=ast.Name(id=n, ctx=ast.Load())) for n in names], ctx=ast.Load())

    @staticmethod
    def _strings(values):
        return ast.Tuple(elts=[ast.Constant(value=v) for v in values], ctx=ast.Load())

    def _call(self, op, args, targets):
        call = ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr=op,
                                           ctx=ast.Load()), args=args, keywords=[])
        if not targets:
            return ast.Expr(value=call)
        return ast.Assign(targets=[self._tuple(targets, ast.Store)], value=call)

    # --- if --------------------------------------------------------------------------------------
    def if_stmt(self, s):
        names = _assigned(s.body + s.orelse)
        inside = _loads([s])  # a name read only inside the statement is its own temporary
        live = tuple(self.all_loads[n] > inside[n] for n in names)
        body_name, else_name = self.fresh("if_body"), self.fresh("else_body")
        ret = [ast.Return(value=self._tuple(names, ast.Load))]
        return [
            self._def(body_name, names, self.block(s.body) + ret),
            self._def(else_name, names, self.block(s.orelse) + ret),
            self._call("if_stmt", [s.test, ast.Name(id=body_name, ctx=ast.Load()),
                                   ast.Name(id=else_name, ctx=ast.Load()), self._getters(names),
                                   self._strings(names), self._strings(live)], names)]

    def returning_if(self, s, rest):
        """``if c: ...return a`` + the statements after it: both branches return."""
        body, orelse = list(s.body), list(s.orelse) + rest
        if not _always_returns(body):
            body = body + rest
        for block in (body, orelse):
            if not _always_returns(block):
                block.append(ast.Return(value=ast.Constant(value=None)))
        names = _assigned(body + orelse)
        body_name, else_name = self.fresh("if_body"), self.fresh("else_body")
        call = ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()),
                                           attr="if_return", ctx=ast.Load()),
                        args=[s.test, ast.Name(id=body_name, ctx=ast.Load()),
                              ast.Name(id=else_name, ctx=ast.Load()), self._getters(names)],
                        keywords=[])
        return [self._def(body_name, names, self.block(body)),
                self._def(else_name, names, self.block(orelse)),
                ast.Return(value=call)]

    # --- loops -----------------------------------------------------------------------------------
    def jumps(self, body):
        """``break``/``continue`` as flags: ``(body, prelude, break flag)``. A jump sets the
        skip flag (and ``break`` the break flag); the statements after anything that may jump
        run under ``if not skip``; the loop's test also checks the break flag."""
        if not _has(body, ast.Break | ast.Continue):
            return list(body), [], None
        brk, skip = self.fresh("break"), self.fresh("skip")

        def assign(name, value):
            return ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())],
                              value=ast.Constant(value=value))

        def lower(stmts):
            out = []
            for i, st in enumerate(stmts):
                if isinstance(st, ast.Break):
                    return out + [assign(brk, True), assign(skip, True)]
                if isinstance(st, ast.Continue):
                    return out + [assign(skip, True)]
                jumps = _has([st], ast.Break | ast.Continue)
                if jumps:
                    for field in ("body", "orelse"):
                        if not isinstance(st, ast.For | ast.While) and isinstance(
                                getattr(st, field, None), list):
                            setattr(st, field, lower(getattr(st, field)))
                out.append(st)
                rest = stmts[i + 1:]
                if jumps and rest:
                    out.append(ast.If(test=self._op("not_", ast.Name(id=skip, ctx=ast.Load())),
                                      body=lower(rest), orelse=[]))
                    return out
            return out
        body = [assign(skip, False)] + lower(list(body))
        return body, [assign(brk, False), assign(skip, False)], brk

    def _op(self, op, *args):
        return ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr=op,
                                           ctx=ast.Load()), args=list(args), keywords=[])

    def _not_broken(self, brk, test):
        """``not brk and test`` with the operators (tensors allowed)."""
        lazy = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[],
                                             kw_defaults=[], defaults=[]), body=test)
        return self._op("and_", self._op("not_", ast.Name(id=brk, ctx=ast.Load())), lazy)

    def while_stmt(self, s):
        body, prelude, brk = self.jumps(s.body)
        names = _assigned(body)
        test = s.test if brk is None else self._not_broken(brk, s.test)
        cond_name, body_name = self.fresh("loop_test"), self.fresh("loop_body")
        ret = [ast.Return(value=self._tuple(names, ast.Load))]
        return prelude + [
            self._def(cond_name, names, [ast.Return(value=test)]),
            self._def(body_name, names, self.block(body) + ret),
            self._call("while_stmt", [ast.Name(id=cond_name, ctx=ast.Load()),
                                      ast.Name(id=body_name, ctx=ast.Load()),
                                      self._getters(names), self._strings(names)], names)]

    def for_stmt(self, s):
        body, prelude, brk = self.jumps(s.body)
        targets = _assigned([ast.Assign(targets=[s.target], value=ast.Constant(value=None))])
        names = [n for n in _assigned(body) if n not in targets]
        body_name = self.fresh("loop_body")
        item = self.fresh("item")
        ret = [ast.Return(value=self._tuple(names, ast.Load))]
        bind = ast.Assign(targets=[s.target], value=ast.Name(id=item, ctx=ast.Load()))
        extra = [ast.Constant(value=None)]
        out = []
        if brk is not None:  # the loop goes on while the break flag is unset
            test_name = self.fresh("loop_test")
            out.append(self._def(test_name, names, [ast.Return(value=self._op(
                "not_", ast.Name(id=brk, ctx=ast.Load())))]))
            extra = [ast.Name(id=test_name, ctx=ast.Load())]
        return prelude + out + [
            self._def(body_name, [item] + names, [bind] + self.block(body) + ret),
            self._call("for_stmt", [s.iter, ast.Name(id=body_name, ctx=ast.Load()),
                                    self._getters(names), self._strings(names), *extra],
                       names)]


class _Expressions(ast.NodeTransformer):
    """``and``/``or``/``not`` through the operators (tensors become logical ops, Python values
    keep Python's semantics), and calls through ``ag__.converted_call`` (user functions with
    control flow are converted too)."""

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        op = "and_" if isinstance(node.op, ast.And) else "or_"
        out = node.values[-1]
        for value in reversed(node.values[:-1]):
            out = _ag_call(op, [value, _thunk(out)])
        return out

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _ag_call("if_exp", [node.test, _thunk(node.body), _thunk(node.orelse)])

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _ag_call("not_", [node.operand])
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in _BUILTINS or (
                isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ag__"):
            return node
        return ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()),
                                           attr="converted_call", ctx=ast.Load()),
                        args=[node.func, *node.args], keywords=node.keywords)

    def visit_Lambda(self, node):
        return node  # left as written (and cheap: no conversion inside)


def _thunk(expr):
    """``lambda: expr``: evaluated only when needed, as Python does."""
    return ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                         defaults=[]), body=expr)


_BUILTINS = {"print", "len", "range", "isinstance", "super", "type", "int", "float", "str",
             "bool", "list", "tuple", "dict", "set", "zip", "enumerate", "getattr", "hasattr",
             "setattr", "min", "max", "abs", "sum", "sorted", "reversed", "iter", "id", "repr"}


def _ag_call(op, args):
    return ast.Call(func=ast.Attribute(value=ast.Name(id="ag__", ctx=ast.Load()), attr=op,
                                       ctx=ast.Load()), args=args, keywords=[])


def has_control_flow(fn):
    """Whether converting ``fn`` could change anything (it has if/while/for/boolean ops)."""
    fn_node = _definition(fn)
    return fn_node is not None and any(
        isinstance(n, ast.If | ast.While | ast.For | ast.BoolOp | ast.IfExp)
        or isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not) for n in ast.walk(fn_node))


def _definition(fn):
    """``fn``'s ``ast.FunctionDef`` with the file's line numbers; a lambda's as a definition
    that returns its expression. None when the source is unavailable, or when a lambda cannot
    be told apart from others on its line (the function then runs as written, unconverted)."""
    code = fn.__code__
    if code.co_name == "<lambda>":
        return _lambda_definition(fn)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    fn_node = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
    if fn_node is not None:
        ast.increment_lineno(tree, code.co_firstlineno - 1)
    return fn_node


def _lambda_definition(fn):
    """A lambda's source is a line of a larger statement: parse the whole file (or notebook
    cell) and pick the lambda on that line with the same parameters."""
    code = fn.__code__
    try:
        lines, _ = inspect.findsource(fn)
        tree = ast.parse("".join(lines))
    except (OSError, TypeError, SyntaxError):
        return None
    params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and
             n.lineno == code.co_firstlineno and
             tuple(a.arg for a in n.args.posonlyargs + n.args.args + n.args.kwonlyargs) ==
             params]
    if len(found) != 1:
        return None
    node = found[0]
    fn_node = ast.FunctionDef(name="ag__lambda", args=node.args,
                              body=[ast.Return(value=node.body)], decorator_list=[],
                              returns=None)
    if "type_params" in ast.FunctionDef._fields:  # Python 3.12+
        fn_node.type_params = []
    return ast.copy_location(fn_node, node)


def convert_source(fn):
    """The converted ``ast.FunctionDef`` of ``fn``, or None when its source is unavailable."""
    fn_node = _definition(fn)
    if fn_node is None:
        return None
    fn_node.decorator_list = []
    fn_node.body = _Converter(fn_node).block(fn_node.body)
    fn_node.body = [_Expressions().visit(st) for st in fn_node.body]
    ast.fix_missing_locations(fn_node)
    return fn_node


def load(fn, fn_node, operators):
    """A function object from the converted definition, with ``fn``'s globals and closure."""
    free = list(fn.__code__.co_freevars)
    fn_node = copy.copy(fn_node)
    fn_node.name = "ag__converted"  # its own name inside must still mean what it meant outside
    # defaults are fn's own values (set below), not their expressions evaluated again here,
    # where a name local to fn's definition (a loop variable bound as a default) is unknown
    args = fn_node.args = copy.copy(fn_node.args)
    args.defaults = [ast.Constant(value=None) for _ in args.defaults]
    args.kw_defaults = [None if d is None else ast.Constant(value=None)
                        for d in args.kw_defaults]
    factory = _function("ag__factory", ["ag__", *free],
                        [fn_node, ast.Return(value=ast.Name(id=fn_node.name, ctx=ast.Load()))])
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    filename = inspect.getsourcefile(fn) or "<autograph>"
    code = compile(module, filename, "exec")
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    make = types.FunctionType(factory_code, fn.__globals__)
    cells = [c.cell_contents if _filled(c) else None for c in (fn.__closure__ or ())]
    converted = make(operators, *cells)
    converted.__code__ = converted.__code__.replace(co_name=fn.__code__.co_name)
    converted.__ag_converted__ = True
    converted.__defaults__ = fn.__defaults__
    converted.__kwdefaults__ = fn.__kwdefaults__
    return converted


def _filled(cell):
    try:
        return cell.cell_contents is not cell
    except ValueError:
        return False

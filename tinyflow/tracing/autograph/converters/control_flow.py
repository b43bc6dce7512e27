"""Converter 6: ``if``, ``while`` and ``for`` become calls with functions.

The heart of AutoGraph. Each statement becomes small functions and one call
to the runtime, which decides at trace time whether to run plain Python or
build a ``cond`` / ``while_loop``::

    if x > 0:                        def if_body(y):
        y = x * 2                        y = x * 2
    else:                                return (y,)
        y = -x             -->       def else_body(y):
                                         y = -x
                                         return (y,)
                                     y = ag__.Undefined('y')
                                     y, = ag__.if_stmt(x > 0, if_body, else_body, (y,), ('y',))

The functions take and return the statement's *state*: the variables it
assigns that are live (liveness.py) -- for an ``if``, read after it or
before being assigned in it; for a loop, read by the next iteration, the
loop test or the code after it. That is exactly what ``cond`` outputs and
what ``while_loop`` carries as ``loop_vars``. A state variable with no value
yet is set to ``ag__.Undefined('y')`` first, so the call can pass it and the
runtime can say which variable was missing.

Loops::

    while i < n:                     def loop_test(i, s):
        s += x[i]                        return i < n
        i += 1             -->       def loop_body(i, s):
                                         s += x[i]
                                         i += 1
                                         return (i, s)
                                     i, s = ag__.while_stmt(loop_test, loop_body, (i, s),
                                                            ('i', 's'))

    for k in range(n):               def loop_body(k, s):
        s = s + k          -->           s = s + k
                                         return (s,)
                                     s, = ag__.for_stmt(ag__.range_(n), None, loop_body,
                                                        (s,), ('s',))

The generated functions are converted the same way in turn (an ``if``
inside a loop body becomes functions inside ``loop_body``), each one
analysed as a function of its own.
"""
import ast
import builtins

from . import syntax as S
from .expressions import LogicalExpressions
from .liveness import annotate
from .names import bound, declared, parameters


class ControlFlow:

    def __init__(self, context):
        self.context = context
        self.namer = context.namer

    def convert_function(self, fdef, inherited=None):
        """Rewrite the if/while/for statements of one function (its nested
        functions each in turn). ``inherited``: the global and nonlocal names
        of the function a generated one stands in for."""
        scope = {ast.Global: declared(fdef, ast.Global), ast.Nonlocal: declared(fdef, ast.Nonlocal)}
        for kind, names in (inherited or {}).items():
            scope[kind] = scope[kind] | names
        annotate(fdef.body)
        fdef.body = self.convert_block(fdef.body, set(parameters(fdef)), scope)

    def convert_block(self, stmts, defined, scope):
        """The statements with their control flow converted. ``defined``: the
        names surely assigned before (it grows as the block goes on)."""
        out = []
        for s in stmts:
            if isinstance(s, ast.If):
                new = self.convert_if(s, defined, scope)
            elif isinstance(s, ast.While):
                new = self.convert_while(s, defined, scope)
            elif isinstance(s, ast.For):
                new = self.convert_for(s, defined, scope)
            else:
                new = [s]
                if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.convert_function(s)
                for block in ("body", "orelse", "finalbody"):      # with, try: the same scope
                    if isinstance(s, (ast.With, ast.Try)) and hasattr(s, block):
                        setattr(s, block, self.convert_block(getattr(s, block), defined, scope))
                for h in s.handlers if isinstance(s, ast.Try) else ():
                    h.body = self.convert_block(h.body, defined, scope)
            for n in new:
                defined.update(bound([n]))
            out.extend(new)
        return out

    # --- the three statements ---
    def convert_if(self, node, defined, scope):
        state = self.state(bound(node.body + node.orelse), node.ag_live_out | node.ag_live_in,
                           scope)
        body = self.function("if_body", state, state, node.body, scope, node)
        orelse = self.function("else_body", state, state, node.orelse, scope, node)
        call = S.ag_call("if_stmt", node.test, S.name(body.name), S.name(orelse.name),
                         S.names_tuple(state), S.strings_tuple(state))
        return self.finish([body, orelse], state, call, defined, node)

    def convert_while(self, node, defined, scope):
        options = self.loop_options(node)
        state = self.state(bound(node.body), node.ag_live_head, scope)
        test = S.function(self.namer.new("loop_test"), state, [ast.Return(value=node.test)])
        body = self.function("loop_body", state, state, node.body, scope, node)
        call = S.ag_call("while_stmt", S.name(test.name), S.name(body.name), S.names_tuple(state),
                         S.strings_tuple(state), *options)
        return self.finish([S.located(test, node), body], state, call, defined, node) + \
            self.convert_block(node.orelse, defined, scope)

    def convert_for(self, node, defined, scope):
        options = self.loop_options(node)
        targets = bound([node.target])
        state = self.state([n for n in bound(node.body) if n not in targets],
                           node.ag_live_head, scope)
        # Python leaves the target holding the last item: an output if read after the loop.
        state = [t for t in targets if t in node.ag_live_out and t not in self._declared(scope)] \
            + state
        body_stmts = node.body
        if isinstance(node.target, ast.Name) and node.target.id not in state:
            item = node.target.id
        else:
            item = self.namer.new("itr")
            body_stmts = [S.located(ast.Assign(targets=[node.target], value=S.name(item)),
                                    node)] + body_stmts
        body = self.function("loop_body", [item] + state, state, body_stmts, scope, node)
        defs, extra = [body], S.const(None)
        if getattr(node, "ag_extra_test", None) is not None:
            test = LogicalExpressions(self.context).visit(node.ag_extra_test)
            fn = S.located(S.function(self.namer.new("extra_test"), state,
                                      [ast.Return(value=test)]), node)
            defs, extra = [fn, body], S.name(fn.name)
        call = S.ag_call("for_stmt", self.iterated(node.iter), extra, S.name(body.name),
                         S.names_tuple(state), S.strings_tuple(state), *options)
        return self.finish(defs, state, call, defined, node) + \
            self.convert_block(node.orelse, defined, scope)

    # --- the pieces ---
    def state(self, assigned, live, scope):
        """The statement's state: what it assigns that is live, in source order
        (global and nonlocal names are not passed: they are assigned in place)."""
        return [n for n in assigned if n in live and n not in self._declared(scope)]

    @staticmethod
    def _declared(scope):
        return scope[ast.Global] | scope[ast.Nonlocal]

    def function(self, base, params, returned, body, scope, where):
        """``def base_k(*params): body; return (*returned,)``, converted in turn."""
        body = [s for s in body if not isinstance(s, ast.Pass)]      # a return follows anyway
        fdef = S.function(self.namer.new(base), params, body + [S.returns(returned)])
        for kind in (ast.Global, ast.Nonlocal):
            names = sorted(scope[kind] & set(bound(body)))
            if names:                      # the generated function assigns them in place too
                fdef.body.insert(0, kind(names=names))
        S.located(fdef, where)
        self.convert_function(fdef, {k: v for k, v in scope.items()})
        return fdef

    def finish(self, defs, state, call, defined, node):
        """The functions, ``y = ag__.Undefined('y')`` for state with no value
        yet, and the call (assigning the new state)."""
        undefined = [S.assign(n, S.ag_call("Undefined", S.const(n)))
                     for n in state if n not in defined]
        last = S.assign(state, call) if state else S.expr(call)
        return S.located(defs + undefined + [last], node)

    def loop_options(self, node):
        """A first statement ``tf.autograph.experimental.set_loop_options(...)``
        is a directive: it becomes the loop's options (as in TensorFlow)."""
        first = node.body[0] if node.body else None
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)):
            return []
        func = first.value.func
        fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if fname != "set_loop_options":
            return []
        node.body = node.body[1:] or [ast.Pass()]
        options = ast.Dict(keys=[S.const(k.arg) for k in first.value.keywords],
                           values=[k.value for k in first.value.keywords])
        return [S.located(options, first)]

    def iterated(self, node):
        """``range(...)`` in ``for i in range(...)`` becomes ``ag__.range_(...)``,
        which gives a Python range for Python numbers and a tensor range otherwise."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "range" and node.func.id not in self.context.local_names:
            found, value = self.context.resolve("range")
            if not found or value is builtins.range:
                return ast.copy_location(S.ag_call("range_", *node.args), node)
        return node

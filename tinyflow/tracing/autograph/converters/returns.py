"""Converter 1: ``return`` in the middle of a function becomes a variable.

A branch of a ``cond`` cannot return from the function around it: it can
only give back values. So ``return value`` becomes ``retval_ = value`` and
the function ends with one ``return retval_``::

    def f(x):                            def f(x):
        if x > 0:                            retval_ = ag__.UndefinedReturnValue()
            return x * 2         -->         if x > 0:
        return -x                                retval_ = x * 2
                                             else:
                                                 retval_ = -x
                                             return retval_

(the code after an ``if`` whose branch returns moved into its ``else``: see
jumps.py). Where the code after a possible return cannot move like that, a
``do_return`` flag guards it. Inside a loop, a ``return`` also ``break``s
out (the break converter then handles the loop), and after an inner loop
that may have returned, ``if do_return: break`` leaves the outer one too.

A function whose only ``return`` is its last statement is left as it is.
If a branch returns and the other does not, ``retval_`` is undefined in the
other one, and staging that ``if`` as a ``cond`` fails with TensorFlow's
message, "the else branch must also have a return statement".
"""
import ast

from . import syntax as S
from .jumps import ALWAYS, JumpLowering
from .names import contains


class ReturnLowering(JumpLowering):
    jump_kinds = (ast.Return,)

    def __init__(self, context):
        super().__init__(context)
        self.retval = None
        self.in_loop = False

    def visit_FunctionDef(self, node):
        """Each function separately (nested ones too): its returns are its own."""
        saved = self.flag, self.retval, self.in_loop
        if _needs_lowering(node):
            self.flag = self.context.namer.new("do_return")
            self.retval = self.context.namer.new("retval_")
            self.in_loop = False
            always = self.block_status(node.body) == ALWAYS
            body = self.lower_block(node.body)
            first = node.body[0] if node.body else node
            start = [S.located(S.assign(self.retval, S.ag_call("UndefinedReturnValue")), first)]
            if self.drop_unread_flag(body, self.flag):
                start.insert(0, self.set_flag(False, first))
            value = S.name(self.retval) if always else S.ag_call("return_value",
                                                                 S.name(self.retval))
            end = S.located(ast.Return(value=value), _last_line(node))
            node.body = start + body + [end]
        else:
            node.body = [self.visit(s) for s in node.body]        # nested functions inside
        self.flag, self.retval, self.in_loop = saved
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Return(self, node):
        if self.flag is None:
            return node                   # the last statement of a function left as it is
        value = node.value if node.value is not None else S.const(None)
        out = [self.set_flag(True, node), S.located(S.assign(self.retval, value), node)]
        if self.in_loop:
            out.append(S.located(ast.Break(), node))
        return out

    def lower_block(self, stmts):
        if not self.in_loop or self.flag is None:
            return super().lower_block(stmts)
        # Inside a loop a return breaks out; the break converter guards the rest.
        out = []
        for s in stmts:
            out.extend(self.visit_statement(s))
            if isinstance(s, (ast.For, ast.While)) and contains([s], ast.Return):
                out.append(S.located(S.if_(S.name(self.flag), [ast.Break()]), s))
        return out

    def _loop(self, node):
        if self.flag is None:
            return self.generic_visit(node)
        saved = self.in_loop
        self.in_loop = True
        node.body = self.lower_block(node.body)
        self.in_loop = saved
        node.orelse = self.lower_block(node.orelse)
        return node

    visit_While = visit_For = _loop


def _needs_lowering(fdef):
    """Is there a return anywhere but as the function's last statement?"""
    body = fdef.body[:-1] if fdef.body and isinstance(fdef.body[-1], ast.Return) else fdef.body
    return contains(body, ast.Return)


def _last_line(fdef):
    node = fdef.body[-1] if fdef.body else fdef
    return ast.Pass(lineno=getattr(node, "end_lineno", None) or node.lineno, col_offset=0)

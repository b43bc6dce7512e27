"""Converter 2: ``break`` becomes a flag that the loop tests.

A ``while_loop`` stops only when its condition says so. So ``break`` sets a
flag, ``break_ = True``, and then skips the rest of the iteration like a
``continue`` (which the next converter lowers); the loop tests the flag::

    while i < n:                         break_ = False
        if x[i] < 0:                     while not break_ and i < n:
            break              -->           if x[i] < 0:
        i += 1                                   break_ = True
                                                 continue
                                             i += 1

A ``for`` loop gets the flag as its *extra test* (``node.ag_extra_test``,
checked before each iteration). A loop's ``else:`` runs when the loop ends
without a break: it moves after the loop, guarded by ``if not break_:``.
"""
import ast

from . import syntax as S


class BreakLowering(ast.NodeTransformer):

    def __init__(self, context):
        self.context = context
        self.loops = []          # per enclosing loop: [the name of its break flag, or None]

    def visit_FunctionDef(self, node):
        saved, self.loops = self.loops, []      # a nested function's loops are its own
        self.generic_visit(node)
        self.loops = saved
        return node

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def visit_Break(self, node):
        if not self.loops:
            return node                          # Python reports it when compiling
        flag = self.loops[-1]
        if flag[0] is None:                      # the loop's first break names its flag
            flag[0] = self.context.namer.new("break_")
        return [S.located(S.assign(flag[0], S.const(True)), node),
                S.located(ast.Continue(), node)]

    def _loop(self, node):
        flag = [None]            # its flag's name, once a break needs one
        self.loops.append(flag)
        node.body = self._statements(node.body)
        self.loops.pop()
        orelse = self._statements(node.orelse)    # a break there belongs to an outer loop
        node.orelse = []
        if flag[0] is None:
            return [node] + orelse
        name = flag[0]
        if isinstance(node, ast.While):
            node.test = ast.BoolOp(op=ast.And(), values=[S.not_(S.name(name)), node.test])
            S.located(node.test, node)
        else:
            node.ag_extra_test = S.located(S.not_(S.name(name)), node)
        before = S.located(S.assign(name, S.const(False)), node)
        after = [S.located(S.if_(S.not_(S.name(name)), orelse), orelse[0])] if orelse else []
        return [before, node] + after

    visit_While = visit_For = _loop

    def _statements(self, stmts):
        out = []
        for s in stmts:
            new = self.visit(s)
            out.extend(new if isinstance(new, list) else [new])
        return out

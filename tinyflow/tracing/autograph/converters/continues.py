"""Converter 3: ``continue`` becomes a flag that guards the rest of the body.

Each iteration starts with ``continue_ = False``; ``continue`` sets it, and
the statements after it run under ``if not continue_:`` -- or move into the
``else`` of the ``if`` that continues (jumps.py). The ``continue`` left by
the break converter is lowered the same way, so after this pass a loop body
has no jumps left: it is straight-line code, ifs and inner loops, which the
control-flow converter can turn into functions.

>>> import ast
>>> from .names import Namer
>>> class Context: pass
>>> tree = ast.parse('''
... for x in xs:
...     if x < 0:
...         continue
...     total += x''')
>>> ctx = Context(); ctx.namer = Namer(tree)
>>> print(ast.unparse(ContinueLowering(ctx).visit(tree)))
for x in xs:
    if x < 0:
        pass
    else:
        total += x
"""
import ast

from .jumps import JumpLowering


class ContinueLowering(JumpLowering):
    jump_kinds = (ast.Continue,)
    stop_kinds = (ast.For, ast.While, ast.AsyncFor)     # an inner loop's continue is its own

    def visit_FunctionDef(self, node):
        saved, self.flag = self.flag, None
        self.generic_visit(node)
        self.flag = saved
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Continue(self, node):
        return self.set_flag(True, node)

    def _loop(self, node):
        saved, self.flag = self.flag, self.context.namer.new("continue_")
        body = self.lower_block(node.body)
        if self.drop_unread_flag(body, self.flag):
            body.insert(0, self.set_flag(False, node.body[0]))
        else:
            self.context.namer.release(self.flag)
        node.body = body or [ast.Pass()]
        self.flag = saved
        node.orelse = self.lower_block(node.orelse)
        return node

    visit_While = visit_For = _loop

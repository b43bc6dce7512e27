"""Converter 4: ``and``, ``or``, ``not`` and ``a if c else b`` as calls.

Python's ``x > 0 and x < 10`` asks ``bool(x > 0)`` -- which a symbolic
tensor cannot answer. So the operators become runtime calls that decide at
trace time: on Python values they are Python's operators (short-circuit
included, which is why each operand is wrapped in a ``lambda``); on a
tensor they stage a ``cond`` (``and``/``or``/``if``) or ``logical_not``::

    x > 0 and not done      -->   ag__.and_(lambda: x > 0, lambda: ag__.not_(done))
    a if x > 0 else b       -->   ag__.if_exp(x > 0, lambda: a, lambda: b)

>>> import ast
>>> print(ast.unparse(LogicalExpressions(None).visit(ast.parse("y = a or b or not c"))))
y = ag__.or_(lambda: a, lambda: b, lambda: ag__.not_(c))
"""
import ast

from . import syntax as S


class LogicalExpressions(ast.NodeTransformer):

    def __init__(self, context):
        self.context = context

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        fn = "and_" if isinstance(node.op, ast.And) else "or_"
        return ast.copy_location(S.ag_call(fn, *[S.lambda_(v) for v in node.values]), node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if not isinstance(node.op, ast.Not):
            return node
        return ast.copy_location(S.ag_call("not_", node.operand), node)

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return ast.copy_location(S.ag_call("if_exp", node.test, S.lambda_(node.body),
                                           S.lambda_(node.orelse)), node)

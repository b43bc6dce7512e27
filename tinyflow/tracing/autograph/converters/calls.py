"""Converter 5: calls to the user's own functions convert them too.

The converted function may call a helper of the user's that has its own
``if x > 0:``. So a call whose callee might be such a function goes through
the runtime, which converts the callee (once; cached) before calling it::

    y = helper(x)          -->   y = ag__.converted_call(helper, x)
    z = self.step(x)       -->   z = ag__.converted_call(self.step, x)

Which calls: a plain name (``helper(x)``), unless it already refers to
something that will not be converted -- a builtin, a class, a tinyflow or
numpy function -- so ``range(n)``, ``len(x)`` and ``relu(x)`` read as
written; and a method call (``self.step(x)``, ``model.run(x)``), unless it is
called on a module (``tf.reduce_sum(x)``, ``np.exp(x)``) or has the name of a
tensor method (``x.sum()``, ``x.reshape(2, 3)``: a user method of that name is
not converted). At run time ``converted_call`` converts only the user's own
Python functions and methods; anything else it calls as it is.
"""
import ast
import types

from . import syntax as S


class CallConversion(ast.NodeTransformer):

    def __init__(self, context):
        self.context = context
        self.owner = None              # the first parameter of the function being visited

    def visit_FunctionDef(self, node):
        saved = self.owner
        params = node.args.posonlyargs + node.args.args
        self.owner = params[0].arg if params else None
        self.generic_visit(node)
        self.owner = saved
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        self.generic_visit(node)
        if not self._may_convert(node.func):
            return node
        return ast.copy_location(ast.Call(func=S.ag_call("converted_call").func,
                                          args=[node.func] + node.args,
                                          keywords=node.keywords), node)

    def _may_convert(self, func):
        if isinstance(func, ast.Name):
            if func.id in self.context.local_names:
                return True                      # a variable: decided when it is called
            found, value = self.context.resolve(func.id)
            return not found or self.context.would_convert(value)
        if not isinstance(func, ast.Attribute) or func.attr in self.context.tensor_methods:
            return False
        root = func.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id == S.AG:
            return False                         # the runtime's own calls (and_, if_exp...)
        if isinstance(root, ast.Name) and root.id not in self.context.local_names:
            found, value = self.context.resolve(root.id)
            return not (found and isinstance(value, types.ModuleType))
        return True

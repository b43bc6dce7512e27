"""Small builders of Python syntax trees, so the converters read like the
code they write: ``assign("y", ag_call("Undefined", const("y")))`` is the
statement ``y = ag__.Undefined('y')``.

>>> import ast
>>> def show(node): return ast.unparse(ast.fix_missing_locations(node))
>>> show(assign("y", ag_call("Undefined", const("y"))))
"y = ag__.Undefined('y')"
>>> show(function("if_body", ["y"], [returns(["y"])]))
'def if_body(y):\\n    return (y,)'
"""
import ast

AG = "ag__"       # the name the converted code knows the runtime by (as TensorFlow's)


def name(id_, store=False):
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def const(value):
    return ast.Constant(value=value)


def names_tuple(ids, store=False):
    """``(a, b)`` -- a tuple of names, to read or to assign."""
    return ast.Tuple(elts=[name(i, store) for i in ids], ctx=ast.Store() if store else ast.Load())


def strings_tuple(ids):
    """``('a', 'b')`` -- the names as strings, for error messages."""
    return ast.Tuple(elts=[const(i) for i in ids], ctx=ast.Load())


def ag_call(attr, *args, **kwargs):
    """``ag__.attr(*args, **kwargs)``: a call to the runtime."""
    return ast.Call(func=ast.Attribute(value=name(AG), attr=attr, ctx=ast.Load()),
                    args=list(args), keywords=[ast.keyword(arg=k, value=v)
                                               for k, v in kwargs.items()])


def assign(target, value):
    """``target = value``; ``target`` a name, or a list of names (a tuple target)."""
    t = name(target, store=True) if isinstance(target, str) else names_tuple(target, store=True)
    return ast.Assign(targets=[t], value=value)


def expr(value):
    return ast.Expr(value=value)


def returns(ids):
    """``return (a, b)``: a generated function gives back its state."""
    return ast.Return(value=names_tuple(ids))


def not_(value):
    return ast.UnaryOp(op=ast.Not(), operand=value)


def if_(test, body, orelse=()):
    return ast.If(test=test, body=list(body), orelse=list(orelse))


def lambda_(body):
    """``lambda: body``."""
    return ast.Lambda(args=_args([]), body=body)


def function(fname, params, body):
    """``def fname(*params): body``."""
    node = ast.FunctionDef(name=fname, args=_args(params), body=list(body) or [ast.Pass()],
                           decorator_list=[], returns=None)
    if "type_params" in ast.FunctionDef._fields:        # Python 3.12 and later
        node.type_params = []
    return node


def _args(params):
    return ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params], vararg=None,
                         kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])


def located(nodes, where):
    """Give generated nodes the line of the statement they replace, so the
    compiled code's tracebacks and the runtime's error messages name it."""
    for node in nodes if isinstance(nodes, list) else [nodes]:
        for n in ast.walk(node):
            if "lineno" in n._attributes and not hasattr(n, "lineno"):
                n.lineno, n.end_lineno = where.lineno, where.lineno
                n.col_offset, n.end_col_offset = where.col_offset, where.col_offset
    return nodes


def mark(node, **flags):
    """Remember something about a generated node (e.g. that it stands for a jump)."""
    for k, v in flags.items():
        setattr(node, "_ag_" + k, v)
    return node


def marked(node, flag):
    return getattr(node, "_ag_" + flag, None)

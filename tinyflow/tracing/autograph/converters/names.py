"""Which names a piece of code binds and which it reads, and fresh names.

Every converter asks these two questions about statements of one function
(one *scope*): code inside a nested ``def``, ``lambda``, class or
comprehension has its own locals, so it binds nothing here, and it reads
here only the names it does not bind itself (its free names).

>>> import ast
>>> tree = ast.parse("y = x + 1\\nfor i in range(3):\\n    s += i")
>>> sorted(bound(tree.body)), sorted(read(tree.body))
(['i', 's', 'y'], ['i', 'range', 's', 'x'])
"""
import ast

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def bound(nodes):
    """The names that these statements (or expressions) assign in this scope,
    in the order they first appear."""
    found = {}
    for node in _as_list(nodes):
        _bound(node, found)
    return list(found)


def _bound(node, found):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        found.setdefault(node.name, None)       # `def f` binds f; its body is another scope
        return
    if isinstance(node, _SCOPES):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        found.setdefault(node.id, None)
    elif isinstance(node, ast.alias):          # import a.b as c binds c (or a)
        found.setdefault((node.asname or node.name).split(".")[0], None)
    elif isinstance(node, ast.ExceptHandler) and node.name:
        found.setdefault(node.name, None)
    for child in ast.iter_child_nodes(node):
        _bound(child, found)


def read(nodes):
    """The names that these statements (or expressions) read from this scope."""
    found = {}
    for node in _as_list(nodes):
        _read(node, found)
    return set(found)


def _read(node, found):
    if isinstance(node, _SCOPES):
        for name in free_names(node):
            found.setdefault(name, None)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in node.decorator_list:      # these run in this scope
                _read(d, found)
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        found.setdefault(node.id, None)
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        found.setdefault(node.target.id, None)     # `s += 1` reads s before writing it
    for child in ast.iter_child_nodes(node):
        _read(child, found)


def free_names(scope):
    """Names a nested def, lambda, class or comprehension reads from outside."""
    inner = set(_parameters(scope))
    body = []
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        body = scope.body
        if not isinstance(scope, ast.ClassDef):
            body = body + scope.args.defaults + [d for d in scope.args.kw_defaults if d]
    elif isinstance(scope, ast.Lambda):
        body = [scope.body]
    else:                                          # a comprehension
        body = [scope.elt] if hasattr(scope, "elt") else [scope.key, scope.value]
        for gen in scope.generators:
            body = body + [gen.iter] + gen.ifs
            inner |= set(bound([gen.target]))
    inner |= set(bound(body))
    return read(body) - inner


def _parameters(scope):
    args = getattr(scope, "args", None)
    if not isinstance(args, ast.arguments):
        return []
    every = args.posonlyargs + args.args + args.kwonlyargs
    every += [a for a in (args.vararg, args.kwarg) if a is not None]
    return [a.arg for a in every]


def parameters(fdef):
    """The parameter names of a function definition, in order."""
    return _parameters(fdef)


def declared(fdef, kind):
    """Names a function declares ``global`` (kind=ast.Global) or ``nonlocal``."""
    out = set()
    for node in _walk_scope(fdef.body):
        if isinstance(node, kind):
            out.update(node.names)
    return out


def _walk_scope(stmts):
    """Every node of this scope (not descending into nested scopes)."""
    todo = list(stmts)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, _SCOPES):
            todo.extend(ast.iter_child_nodes(node))


def contains(stmts, kinds, stop=()):
    """Is there a node of ``kinds`` in these statements, not inside a nested
    scope and not inside a node of ``stop`` (e.g. a nested loop)?"""
    todo = list(_as_list(stmts))
    while todo:
        node = todo.pop()
        if isinstance(node, kinds):
            return True
        if not isinstance(node, _SCOPES + tuple(stop)):
            todo.extend(ast.iter_child_nodes(node))
    return False


def _as_list(nodes):
    return nodes if isinstance(nodes, list) else [nodes]


class Namer:
    """Fresh names for generated functions and flags: ``if_body``, then
    ``if_body_1``, ... never one the user's function already uses."""

    def __init__(self, tree):
        self.taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        self.taken |= {n.name for n in ast.walk(tree)
                       if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        self.taken |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}

    def new(self, base):
        name, k = base, 0
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def release(self, name):
        """A generated name that ended up unused: free it for the next one."""
        self.taken.discard(name)

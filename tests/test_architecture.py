"""The house rules of tinyflow's layout, checked on the source itself.

Folders are layers, and imports point down: a module may import from its own
package and from lower layers, never from a higher one or from a sibling
package of its own layer -- at module level or inside a function. (A lower
layer that must call up takes a callback or a registry entry: see
``ops/primitive.py``'s interpreters and ``base/display.py``.) No file is
longer than 400 lines, and only a few short modules sit at the package root.
"""
import ast
import os

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "tinyflow")

# Lowest first. Packages in one row are siblings: neither imports the other.
LAYERS = [
    ("base",),                      # config, errors, the user's line, hooks, rng, nesting
    ("ops",),                       # the primitive registry and the op functions
    ("autodiff",),                  # the one reverse walk
    ("eager", "graph"),             # the two interpreters: the tape, graphs and Sessions
    ("io",),                        # files: checkpoints, Saver files, meta graphs, bundles
    ("tracing",),                   # eager Python traced into graphs: function, jit, endpoints
    ("nn", "optim", "data"),        # models and training, in PyTorch's and TF1's spellings
    ("train",),                     # training loops
    ("debug",),                     # the tools, each may use the ones before it
    ("summary",),
    ("export",),
    ("saved_model",),
    ("distributed",),
    ("viz",),
    ("keras",),                     # TF2's third way: layers, models, fit (built on all above)
    ("compat", "utils", "autograd", "autograph"),   # spelling facades: names, not math
    ("__init__", "onnx", "distribute", "random", "jit", "fileio"),   # the package's face
]
LEVEL = {pkg: i for i, row in enumerate(LAYERS) for pkg in row}
ROOT_MODULES = {"__init__", "autodiff", "onnx", "distribute", "random", "jit", "fileio"}
MAX_LINES = 400


def _modules():
    for folder, _, files in os.walk(ROOT):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                yield path, rel


def _package(rel):
    """The top-level package (or root module) a module belongs to."""
    return rel[0]


def _imports(path, rel):
    """(line, imported tinyflow module parts) for every import in the file."""
    tree = ast.parse(open(path).read(), path)
    is_pkg = rel[-1] == "__init__"
    here = rel[:-1]                       # the package the module is in
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
                target = base + (node.module.split(".") if node.module else [])
                names = [a.name for a in node.names]
                if not node.module:       # from . import x, y: each is a module
                    for n in names:
                        yield node.lineno, target + [n]
                    continue
                yield node.lineno, target
            elif node.module and node.module.split(".")[0] == "tinyflow":
                yield node.lineno, node.module.split(".")[1:]
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "tinyflow":
                    yield node.lineno, parts[1:]
    del is_pkg


def _edges():
    for path, rel in _modules():
        for line, target in _imports(path, rel):
            if not target:
                continue                  # `import tinyflow` itself (only facades may)
            yield path, rel, line, target


def test_every_package_has_a_layer():
    packages = {_package(rel) for _, rel in _modules()}
    assert packages - set(LEVEL) == set(), "add these packages to LAYERS"


def test_imports_point_down():
    bad = []
    for path, rel, line, target in _edges():
        src, dst = _package(rel), _package(target)
        if src == dst or LEVEL[src] == LEVEL[dst] == len(LAYERS) - 1:
            continue                      # within a package; the root's modules gather names
        if LEVEL[dst] >= LEVEL[src]:
            what = "a sibling" if LEVEL[dst] == LEVEL[src] else "a higher layer"
            bad.append(f"{os.path.relpath(path, ROOT)}:{line} imports {'.'.join(target)} "
                       f"({what}: {src} is layer {LEVEL[src]}, {dst} is {LEVEL[dst]})")
    assert not bad, "imports that point up or sideways:\n" + "\n".join(bad)


def test_no_import_cycle_between_packages():
    graph = {}
    for _, rel, _, target in _edges():
        src, dst = _package(rel), _package(target)
        if src != dst:
            graph.setdefault(src, set()).add(dst)
    seen, stack = set(), []

    def visit(p):
        if p in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(p):] + [p]))
        if p in seen:
            return
        stack.append(p)
        for q in graph.get(p, ()):
            visit(q)
        stack.pop()
        seen.add(p)
    for p in list(graph):
        visit(p)


def test_every_folder_is_a_package():
    """A folder without __init__.py would import as a namespace package, and its
    modules' doctests would not run."""
    missing = [os.path.relpath(folder, ROOT) for folder, dirs, files in os.walk(ROOT)
               if "__pycache__" not in folder and any(f.endswith(".py") for f in files)
               and "__init__.py" not in files]
    assert not missing, f"folders without __init__.py: {missing}"


def test_files_are_short():
    long = [(os.path.relpath(p, ROOT), n) for p, _ in _modules()
            if (n := sum(1 for _ in open(p))) > MAX_LINES]
    assert not long, f"files over {MAX_LINES} lines: {long}"


def test_few_modules_at_the_root():
    root = {f[:-3] for f in os.listdir(ROOT) if f.endswith(".py")}
    assert root <= ROOT_MODULES, f"modules at the package root that belong in a layer: " \
                                 f"{sorted(root - ROOT_MODULES)}"


@pytest.mark.parametrize("alias", sorted(ROOT_MODULES - {"__init__", "autodiff"}))
def test_root_aliases_only_gather_names(alias):
    """The root's short modules re-export; the code they name lives in a layer."""
    tree = ast.parse(open(os.path.join(ROOT, alias + ".py")).read())
    defs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert not defs, f"tinyflow/{alias}.py defines {defs}: move them into a layer"


def _is_private(name):
    """``_name``: one leading underscore, not a dunder like ``__doc__`` (which
    ``functools.wraps``-style code writes onto functions)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _targets(node):
    """The expressions an assignment-like statement writes to, tuples unpacked."""
    if isinstance(node, ast.Assign):
        found = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor,
                           ast.comprehension)):
        found = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        found = [item.optional_vars for item in node.items if item.optional_vars]
    else:
        found = []
    while found:
        t = found.pop()
        if isinstance(t, (ast.Tuple, ast.List)):
            found.extend(t.elts)
        elif isinstance(t, ast.Starred):
            found.append(t.value)
        else:
            yield t


def _is_setattr(func):
    """``setattr`` or ``object.__setattr__`` (``Class.__setattr__``): the owner comes first."""
    return (isinstance(func, ast.Name) and func.id == "setattr") or (
        isinstance(func, ast.Attribute) and func.attr == "__setattr__"
        and isinstance(func.value, ast.Name))


def _private_writes(tree):
    """(line, owner expression, attribute) for every write of ``owner._name``,
    including ``setattr(owner, "_name", value)`` with a literal name."""
    for node in ast.walk(tree):
        for t in _targets(node):
            if isinstance(t, ast.Attribute) and _is_private(t.attr):
                yield node.lineno, t.value, t.attr
        if (isinstance(node, ast.Call) and _is_setattr(node.func) and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str) and _is_private(node.args[1].value)):
            yield node.lineno, node.args[0], node.args[1].value


def _is_self(expr):
    return isinstance(expr, ast.Name) and expr.id in ("self", "cls")


def test_no_private_attribute_written_from_outside_its_class():
    """Issue #17: no attribute is written onto an object from outside its class.

    ``x._name = ...`` (also augmented, unpacked, or by ``setattr`` with a literal
    name) is allowed only on ``self``/``cls``, or where a class of the same module
    writes ``self._name`` itself -- a factory function or classmethod beside the
    class filling in its own private fields. An object of another module's class
    offers a method, a constructor argument or a public attribute instead."""
    bad = []
    for path, _ in _modules():
        source = open(path).read()
        tree = ast.parse(source, path)
        owned = {attr for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)
                 for _, owner, attr in _private_writes(cls) if _is_self(owner)}
        for line, owner, attr in _private_writes(tree):
            if not _is_self(owner) and attr not in owned:
                bad.append(f"{os.path.relpath(path, ROOT)}:{line} writes "
                           f"{ast.unparse(owner)}.{attr}")
    assert not bad, ("private attributes written from outside their class (give the "
                     "class a method or constructor argument, or make the attribute "
                     "public):\n" + "\n".join(sorted(bad)))

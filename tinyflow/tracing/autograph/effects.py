"""Ops with effects: what must run in a traced function even if no output needs it.

TensorFlow 2 runs every print, assert and variable update a ``tf.function``
traced ("automatic control dependencies"), where a TensorFlow 1 session runs
only what the fetches need. ``tinyflow.function`` does the same with the ops
``has_effect`` picks. A cond or while loop is such an op only if its branches
or body hold one (TensorFlow's ``If`` vs ``StatelessIf``): a cond whose
results nobody uses, and which prints nothing, is pruned as any other op.

Inside a branch or loop body the same holds: ``run_effects_with`` makes
the outputs of the function graph being traced wait for its effects, so a
``tf.print`` in the branch taken prints. AutoGraph's converted ``if``/``while``
call it, and ``tinyflow.function`` installs it as its graph's hook, so a
hand-written ``tf.cond``/``tf.while_loop`` in a traced function does the same
(TF2's cond_v2/while_v2). A TF1 session's graph has no hook: there, a print
in a branch runs only if the branch's result needs it, as in TensorFlow 1.
"""
from ...base.nest import flatten
from ...graph.api import identity
from ...graph.graph import Graph
from ...ops.primitive import interpreters

_NOT_EFFECTS = ("Placeholder", "Const", "Capture", "VariableV2")
_GRADIENT_OPS = ("IfGrad", "WhileGrad")


def has_effect(op):
    """Must ``op`` run even when no output needs it?"""
    if op.prim.family == "debug":
        return True                                # Print, tf.print, Assert, check_numerics
    if op.type in _GRADIENT_OPS:
        # It holds the forward branches or body only to run their gradient part, which
        # prints and updates nothing (TF2's gradient loop is a StatelessWhile): unused, pruned.
        return False
    if op.prim.family == "control":
        return any(has_effect(inner) for g in _inner_graphs(op) for inner in g.get_operations())
    return op.prim.stateful and op.type not in _NOT_EFFECTS and not op.type.startswith("Random")


def all_operations(graph):
    """Every op of ``graph``, and of the branches and loop bodies inside it, at any depth."""
    for op in graph.get_operations():
        yield op
        for inner in _inner_graphs(op):
            yield from all_operations(inner)


def _inner_graphs(op):
    """The graphs a control-flow op runs (a cond's branches, a loop's condition and body)."""
    for value in op.attrs.values():
        for g in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(g, Graph):
                yield g


def run_effects_with(values):
    """``values`` (a branch's or loop body's results, in the graph being
    traced), made to wait for that graph's ops with effects: when the branch
    runs, its prints print even if their results are unused."""
    g = interpreters.building
    if g is None:
        return values
    # An effect is waited for once: AutoGraph's converted branches ask, then so does
    # the function graph they were traced into (tracing/function.py's hook).
    awaited = g.__dict__.setdefault("effects_awaited", set())
    effects = [op for op in g.get_operations() if op not in awaited and has_effect(op)]
    if not effects:
        return values
    awaited.update(effects)
    leaves, rebuild = flatten(values)
    with g.control_dependencies(effects):
        return rebuild([identity(v) for v in leaves])

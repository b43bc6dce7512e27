"""Nested structures -- lists, tuples, named tuples and dicts of things --
flattened to a list of leaves, and built again around new leaves.

``Session.run`` fetches, ``tinyflow.function`` outputs, ``GradientTape``
sources and strategies' per-replica values all come as such structures.

>>> leaves, rebuild = flatten({"a": [1, 2], "b": (3,)})
>>> leaves
[1, 2, 3]
>>> rebuild([10, 20, 30])
{'a': [10, 20], 'b': (30,)}
"""


def flatten(structure):
    """(the leaves, depth first, and ``rebuild(leaves)`` giving the same nesting)."""
    leaves = []
    pack = _flatten_into(structure, leaves)
    return leaves, lambda new: pack(iter(new))


def _flatten_into(x, leaves):
    """Append x's leaves; return a function that takes new leaves from an iterator."""
    if isinstance(x, dict):
        keys = list(x)
        parts = [_flatten_into(x[k], leaves) for k in keys]
        return lambda it: type(x)((k, p(it)) for k, p in zip(keys, parts))
    if isinstance(x, (list, tuple)):
        parts = [_flatten_into(v, leaves) for v in x]
        if hasattr(x, "_fields"):                 # a named tuple takes its fields by position
            return lambda it: type(x)(*[p(it) for p in parts])
        return lambda it: type(x)(p(it) for p in parts)
    leaves.append(x)
    return next


"""``Dataset.reduce``: fold every element into a state with a function traced
once into a graph, ``state = reduce_func(state, element)``.

As in TensorFlow, the state keeps its structure and dtypes from one step to the
next (start from ``np.int64(0)`` to add int64 elements: a plain ``0`` is
int32); a size that changes between steps (a state that grows) becomes
unknown, and the function is traced again with it unknown.

>>> from tinyflow.data.tf_data import Dataset
>>> int(Dataset.range(1, 5).reduce(np.int64(1), lambda product, x: product * x))
24
"""
import numpy as np

from ...base.errors import InvalidArgumentError
from .functions import _Debug, Eager, Traced, check_arity
from .spec import TensorSpec
from .structure import leaves, normalize, same_structure, specs, to_tensors

WHERE = "Dataset.reduce()"


def _check_state(state_spec, new_spec):
    """TensorFlow's checks of the new state against the initial one."""
    old, new = leaves(state_spec)[0], leaves(new_spec)[0]
    if len(old) != len(new) or not same_structure(state_spec, new_spec):
        raise InvalidArgumentError(
            f"The number of components of the initial state and the reduce function output does "
            f"not match. (initial_state={len(old)}, output={len(new)}). ({WHERE}: the initial "
            f"state is {state_spec}, reduce_func returned {new_spec})")
    for a, b in zip(old, new):
        if a.dtype != b.dtype:
            raise TypeError(f"The element types for the new state must match the initial state. "
                            f"Expected {a.dtype} but got {b.dtype}.")


def _relaxed(state_spec, new_spec):
    """The state's spec with every size that changed made unknown (None if none changed)."""
    old, rebuild = leaves(state_spec)
    new = leaves(new_spec)[0]
    if all(a.shape == b.shape for a, b in zip(old, new)):
        return None
    out = []
    for a, b in zip(old, new):
        shape = a.shape.relaxed(b.shape)
        if shape is None:
            raise ValueError(f"{WHERE}: the state changed rank, from {a.shape} to {b.shape}; "
                             f"a state may change its sizes but not its number of dimensions")
        out.append(TensorSpec(shape, a.dtype))
    return rebuild(out)


def reduce(dataset, initial_state, reduce_func):
    state = normalize(initial_state, where=WHERE)
    state_spec = specs(state)
    check_arity(reduce_func, (state_spec, dataset.element_spec), WHERE)
    if _Debug.eager:
        step = Eager(lambda s, e: reduce_func(s, e), WHERE)
    else:
        for _ in range(2):          # a second trace only if a size turned out to vary
            step = Traced(reduce_func, (state_spec, dataset.element_spec), WHERE, "reduce_fn")
            _check_state(state_spec, step.output_spec)
            relaxed = _relaxed(state_spec, step.output_spec)
            if relaxed is None:
                break
            state_spec = relaxed
    for element in dataset._elements():
        new = step((state, element))
        _check_state(state_spec, specs(new)) if _Debug.eager else None
        state = new
    return to_tensors(state)

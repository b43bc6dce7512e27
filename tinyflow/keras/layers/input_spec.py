"""What a layer accepts, checked before it runs: a wrong input shape is caught
at the layer's call with Keras's message, naming the layer and both shapes,
instead of surfacing later as a matmul error deep inside.

>>> import numpy as np
>>> spec = InputSpec(min_ndim=2, axes={-1: 4})
>>> assert_input_compatibility(spec, [np.zeros((2, 5))], "dense")
Traceback (most recent call last):
...
ValueError: Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (2, 5)
"""
from ...base.nest import flatten


def shape_of(x):
    """A tensor's (or array's) shape as a tuple of ints, None where unknown."""
    shape = getattr(x, "_shape", None)         # a graph tensor's static shape
    if shape is None:
        shape = getattr(x, "shape", None)
    if shape is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


class InputSpec:
    """The rank, axis sizes or whole shape a layer's input must have."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                                         ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                                         ("min_ndim", self.min_ndim), ("axes", self.axes or None))
                 if v is not None]
        return f"InputSpec({', '.join(parts)})"


def _fail(i, layer, what):
    return ValueError(f'Input {i} of layer "{layer}" is incompatible with the layer: {what}')


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise Keras's ValueError if ``inputs`` do not fit ``input_spec``."""
    if not input_spec:
        return
    specs = flatten(input_spec)[0]
    if isinstance(inputs, dict) and all(getattr(s, "name", None) for s in specs):
        names = [s.name for s in specs]
        for name in names:
            if name not in inputs:
                raise ValueError(f'Missing data for input "{name}". You passed a data '
                                 f'dictionary with keys {list(inputs)}. Expected the following '
                                 f'keys: {names}')
        inputs = [inputs[name] for name in names]
    xs = flatten(inputs)[0]
    if len(xs) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
                         f'{len(xs)} input tensors. Inputs received: {xs}')
    for i, (x, spec) in enumerate(zip(xs, specs)):
        if spec is None:
            continue
        shape = shape_of(x)
        if shape is None:
            raise TypeError(f"Inputs to a layer should be tensors. Got '{x}' (of type "
                            f"{type(x)}) as input for layer '{layer_name}'.")
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise _fail(i, layer_name, f"expected ndim={spec.ndim}, found ndim={ndim}. Full "
                                       f"shape received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise _fail(i, layer_name, f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise _fail(i, layer_name, f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                                       f"Full shape received: {shape}")
        for axis, value in spec.axes.items():
            if value is not None and -ndim <= int(axis) < ndim and \
                    shape[int(axis)] not in (value, None):
                raise _fail(i, layer_name, f"expected axis {axis} of input shape to have value "
                                           f"{value}, but received input with shape {shape}")
        if spec.shape is not None:
            got, want = list(shape), list(spec.shape)
            if spec.allow_last_axis_squeeze:
                got = got[:-1] if got and got[-1] == 1 else got
                want = want[:-1] if want and want[-1] == 1 else want
            if any(a is not None and b is not None and a != b for a, b in zip(want, got)):
                raise _fail(i, layer_name, f"expected shape={spec.shape}, found shape={shape}")

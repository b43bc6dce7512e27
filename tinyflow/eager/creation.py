"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``randn``... (PyTorch spellings).

Floats default to the default dtype, float32, as in PyTorch (see
``set_default_dtype``); pass ``dtype=tinyflow.float64`` for gradient checks.
Every function takes PyTorch's ``device=`` (the CPU: see base/device.py),
``requires_grad=`` and ``dtype=``; sizes are checked as PyTorch checks them.
Random tensors draw from tinyflow's seeded generator (or from ``generator=``).

>>> import tinyflow as tf
>>> tf.zeros(2, 3).shape
tinyflow.Size([2, 3])
>>> tf.arange(3)
tensor([0, 1, 2])
>>> tf.zeros("3")
Traceback (most recent call last):
...
TypeError: zeros(): argument 'size' must be a tuple of ints, but got str ('3')
"""
import math

import numpy as np

from ..base import dtypes, rng
from ..base.args import bool_arg, dtype_arg, int_arg, number_arg, size_arg
from ..base.device import check_device
from ..base.dtypes import get_default_dtype
from .tensor import Tensor, as_array

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye", "arange",
           "linspace", "randn", "rand", "randint", "randperm", "normal", "zeros_like",
           "ones_like", "full_like", "empty_like", "randn_like", "rand_like", "randint_like"]


def _made(fn, arr, requires_grad, device):
    """The new tensor, after PyTorch's checks of ``device`` and ``requires_grad``."""
    check_device(fn, device)
    t = Tensor._wrap(arr)
    if bool_arg(fn, "requires_grad", requires_grad):
        t._set_requires_grad(True, f"{fn}()")       # checks the dtype, as PyTorch does
    return t


def _dtype(fn, dtype, default=None):
    """The numpy dtype a creation function makes: ``dtype`` checked as PyTorch checks it
    (a tinyflow dtype or float/int/bool), or ``default`` (the default dtype) if None."""
    d = dtype_arg(fn, "dtype", dtype)
    if d is None:
        d = default if default is not None else get_default_dtype()
    return np.dtype(d)


def _sizes(fn, size):
    """A size given as one argument (``full``, ``randint``): a tuple or list of ints, as
    PyTorch has it -- ``full(2, 1.0)`` is refused, ``full((2,), 1.0)`` meant."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"{fn}(): argument 'size' must be a tuple of ints, not "
                        f"{type(size).__name__}")
    return size_arg(fn, "size", (size,))


def _float_dtype(fn, dtype):
    """``dtype`` (default: the default dtype), which a random sample must be: a float."""
    d = _dtype(fn, dtype)
    if d.kind != "f":
        raise NotImplementedError(f"{fn}(): random samples of dtype {d} are not implemented; "
                                  f"ask for a floating point dtype")
    return d


def _generator(fn, generator):
    return rng.numpy_generator(generator, f"{fn}()")


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists or an array)."""
    check_device("tensor", device)
    return Tensor(data, dtype=dtype_arg("tensor", "dtype", dtype),
                  requires_grad=bool_arg("tensor", "requires_grad", requires_grad))


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, without copying when it already is one."""
    check_device("as_tensor", device)
    dtype = dtype_arg("as_tensor", "dtype", dtype)
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return Tensor._wrap(as_array(data, dtype, "as_tensor"))


def from_numpy(array):
    """A tensor sharing memory with a numpy array (changes show in both)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy(): expected np.ndarray (got {type(array).__name__})")
    return Tensor._wrap(as_array(array, None, "from_numpy"))


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _made("zeros", np.zeros(size_arg("zeros", "size", size), _dtype("zeros", dtype)),
                 requires_grad, device)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    return _made("ones", np.ones(size_arg("ones", "size", size), _dtype("ones", dtype)),
                 requires_grad, device)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False, memory_format=None):
    """A tensor of the given size (tinyflow fills it with zeros: no garbage to surprise you)."""
    return _made("empty", np.zeros(size_arg("empty", "size", size), _dtype("empty", dtype)),
                 requires_grad, device)


def full(size, fill_value, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    """``size`` filled with ``fill_value``; its dtype follows the value (float -> the
    default dtype, int -> int64, bool -> bool), as in PyTorch."""
    fill_value = number_arg("full", "fill_value", fill_value)
    dtype = _dtype("full", dtype, _scalar_dtype(fill_value))
    return _made("full", np.full(_sizes("full", size), fill_value, dtype),
                 requires_grad, device)


def _scalar_dtype(v):
    if isinstance(v, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(v, (int, np.integer)):
        return np.dtype(np.int64)
    return get_default_dtype()


def eye(n, m=None, dtype=None, device=None, requires_grad=False, out=None, layout=None):
    n = int_arg("eye", "n", n)
    m = n if m is None else int_arg("eye", "m", m)
    for name, v in (("n", n), ("m", m)):
        if v < 0:
            raise RuntimeError(f"eye(): argument '{name}': {name} must be greater or equal to 0, "
                               f"got {v}")
    return _made("eye", np.eye(n, m, dtype=_dtype("eye", dtype)), requires_grad, device)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False, out=None,
           layout=None):
    """``start`` up to (not including) ``end`` by ``step``: ints give int64, any
    float gives the default dtype, as in PyTorch."""
    if end is None:
        start, end = 0, start
    names = ("start", "end", "step")
    start, end, step = (number_arg("arange", n, v) for n, v in zip(names, (start, end, step)))
    for name, v in zip(names, (start, end, step)):
        if not math.isfinite(v):            # numpy would fail to count the steps
            raise RuntimeError(f"arange(): unsupported range: {start} -> {end} (argument "
                               f"'{name}' must be finite, got {v})")
    if step == 0:
        raise RuntimeError("arange(): step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange(): upper bound and larger bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    floats = any(isinstance(v, (float, np.floating)) for v in (start, end, step))
    dtype = _dtype("arange", dtype, get_default_dtype() if floats else np.dtype(np.int64))
    return _made("arange", np.arange(start, end, step, dtype=dtype), requires_grad, device)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False, out=None,
             layout=None):
    steps = int_arg("linspace", "steps", steps)
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    start, end = number_arg("linspace", "start", start), number_arg("linspace", "end", end)
    return _made("linspace", np.linspace(start, end, steps, dtype=_dtype("linspace", dtype)),
                 requires_grad, device)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
          layout=None):
    """Standard normal samples from tinyflow's generator (see ``manual_seed``)."""
    d = _float_dtype("randn", dtype)
    shape = size_arg("randn", "size", size)
    arr = _generator("randn", generator).standard_normal(shape).astype(d)
    return _made("randn", arr, requires_grad, device)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None,
         layout=None):
    """Uniform samples in [0, 1)."""
    d = _float_dtype("rand", dtype)
    arr = _generator("rand", generator).random(size_arg("rand", "size", size)).astype(d)
    return _made("rand", arr, requires_grad, device)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None,
            requires_grad=False, out=None, layout=None):
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``, int64 unless ``dtype`` says otherwise."""
    if size is None:
        if not isinstance(high, (tuple, list)):
            raise TypeError("randint(): missing the 'size' argument (a tuple of ints), e.g. "
                            "randint(0, 10, (3,))")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    low, high = int_arg("randint", "low", low), int_arg("randint", "high", high)
    if low >= high:
        raise RuntimeError(f"randint(): random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    shape = _sizes("randint", size)
    arr = _generator("randint", generator).integers(low, high, shape)
    return _made("randint", arr.astype(_dtype("randint", dtype, np.dtype(np.int64))),
                 requires_grad, device)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False, out=None,
             layout=None):
    n = int_arg("randperm", "n", n)
    if n < 0:
        raise RuntimeError(f"randperm(): argument 'n' must be >= 0 (it is the tensor's size), "
                           f"got {n}")
    arr = _generator("randperm", generator).permutation(n).astype(
        _dtype("randperm", dtype, np.dtype(np.int64)))
    return _made("randperm", arr, requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, generator=None, dtype=None, device=None,
           requires_grad=False, out=None):
    """Normal samples, as ``torch.normal``: ``normal(mean, std, size)`` with numbers,
    or ``normal(mean, std)`` with a tensor for either (one sample per element)."""
    check_device("normal", device)
    means, stds = (_normal_parameter(n, v) for n, v in (("mean", mean), ("std", std)))
    shapes = [np.shape(v) for v in (means, stds) if isinstance(v, np.ndarray)]
    if size is not None and shapes:
        raise TypeError("normal(): give size= only when mean and std are numbers")
    if size is None and not shapes:
        raise TypeError("normal(): with a number for both mean and std, argument 'size' (a "
                        "tuple of ints) is required: normal(0.0, 1.0, size=(2, 3))")
    if np.any(np.asarray(stds) < 0):
        raise RuntimeError(f"normal(): normal expects std >= 0.0, but found std "
                           f"{np.min(stds)}")
    if shapes:
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise RuntimeError(f"normal(): The size of tensor mean {shapes[0]} must match the "
                               f"size of tensor std {shapes[-1]}") from None
        d = np.result_type(*[v for v in (means, stds) if isinstance(v, np.ndarray)])
        d = _dtype("normal", dtype, d)
    else:
        shape = size_arg("normal", "size", (size,))
        d = _float_dtype("normal", dtype)
    z = _generator("normal", generator).standard_normal(shape)
    return _made("normal", (z * stds + means).astype(d), requires_grad, None)


def _normal_parameter(name, v):
    """``mean`` or ``std`` of ``normal``: a number, or a floating point tensor's array
    (PyTorch has no normal samples of an integer dtype)."""
    if not isinstance(v, Tensor):
        return number_arg("normal", name, v)
    if v.array.dtype.kind != "f":
        raise NotImplementedError(f"normal(): argument '{name}' has dtype {v.dtype}: normal "
                                  f"samples are not implemented for it; use a floating point "
                                  f"tensor (.float())")
    return v.array


def _like(fn, x, dtype):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'input' must be Tensor, not {type(x).__name__}")
    return x.array, dtypes.of(_dtype(fn, dtype, x.array.dtype))   # a tinyflow dtype, to pass on


def zeros_like(input, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    a, d = _like("zeros_like", input, dtype)
    return _made("zeros_like", np.zeros(a.shape, d), requires_grad, device)


def ones_like(input, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    a, d = _like("ones_like", input, dtype)
    return _made("ones_like", np.ones(a.shape, d), requires_grad, device)


def empty_like(input, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    a, d = _like("empty_like", input, dtype)
    return _made("empty_like", np.zeros(a.shape, d), requires_grad, device)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    a, d = _like("full_like", input, dtype)
    value = number_arg("full_like", "fill_value", fill_value)
    return _made("full_like", np.full(a.shape, value, d), requires_grad, device)


def randn_like(input, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    a, d = _like("randn_like", input, dtype)
    return randn(*a.shape, dtype=_float_dtype("randn_like", d), device=device,
                 requires_grad=requires_grad)


def rand_like(input, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    a, d = _like("rand_like", input, dtype)
    return rand(*a.shape, dtype=_float_dtype("rand_like", d), device=device,
                requires_grad=requires_grad)


def randint_like(input, low=0, high=None, dtype=None, device=None, requires_grad=False,
                 layout=None, memory_format=None):
    a, d = _like("randint_like", input, dtype)
    if high is None:
        low, high = 0, low
    return randint(low, high, a.shape, dtype=d, device=device, requires_grad=requires_grad)

"""The shape methods of both tensor classes, with PyTorch's spellings and checks:
``reshape``/``view``, ``flatten``, ``permute``, ``transpose``/``t``, ``unsqueeze``/
``squeeze``, ``expand``. Each checks its arguments against the tensor (dims in range,
sizes that are ints) and says so in its own name -- ``x.view(4, 2)`` is refused by
view, not by the reshape it runs -- then runs the shape op (ops/shape.py).

>>> import tinyflow as tf
>>> tf.ones(2, 3).permute(1, 0).shape
tinyflow.Size([3, 2])
>>> tf.ones(2, 3).view(4, 2)
Traceback (most recent call last):
...
tinyflow.ShapeError: view(): Reshape: cannot reshape (2, 3) (6 elements) into (4, 2) (8 elements)
"""
import math

from ..base.args import dim_arg, shape_arg
from ..base.errors import ShapeError
from .. import ops as F


def _sizes(args):
    """(2, 3), [2, 3] or 2, 3 -> (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _rank(x):
    """x's number of dimensions, or None for a graph tensor of unknown rank (whose op
    then checks its dims when the graph runs)."""
    try:
        return x.ndim
    except ShapeError:
        return None


def _as_called(fn, op, e):
    """The error ``e`` of op function ``op``, told as the method ``fn`` the user called
    (``view`` runs ``reshape``: its message should say view)."""
    message = str(e)
    if message.startswith(op + "()"):
        message = fn + message[len(op):]
    else:
        message = f"{fn}(): {message}"
    try:
        return type(e)(message)
    except TypeError:                 # an error type that cannot be built from a message
        return e


class ShapeMethods:
    __slots__ = ()

    def reshape(self, *shape):
        if not shape:
            raise TypeError("reshape() missing 1 required positional argument: 'shape'")
        return F.reshape(self, _sizes(shape))

    def view(self, *shape):
        if not shape:
            raise TypeError("view() missing 1 required positional argument: 'shape'")
        try:
            return F.reshape(self, _sizes(shape))
        except (TypeError, ValueError, RuntimeError) as e:
            raise _as_called("view", "reshape", e) from None

    def view_as(self, other): return F.reshape(self, tuple(other.shape))
    def reshape_as(self, other): return F.reshape(self, tuple(other.shape))

    def flatten(self, start_dim=0, end_dim=-1):
        n = self.ndim
        s, e = (dim_arg("flatten", name, d, n) for name, d in
                (("start_dim", start_dim), ("end_dim", end_dim)))
        if s > e and n:
            raise ShapeError(f"flatten() has invalid args: start_dim cannot come after "
                               f"end_dim (start_dim={start_dim}, end_dim={end_dim})")
        shape = tuple(self.shape)
        if None in shape[:s] + shape[e + 1:] and None not in shape[s:e + 1]:
            # an unknown batch becomes the -1; the merged dims are known: give their product
            kept = shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:]
            if kept.count(None) == 1:
                return F.reshape(self, tuple(-1 if d is None else d for d in kept))
        return F.reshape(self, shape[:s] + (-1,) + shape[e + 1:])

    def permute(self, *dims):
        """The dimensions reordered: ``dims`` names each one exactly once."""
        dims = _sizes(dims)
        n = _rank(self)
        if n is None:
            return F.transpose(self, dims)
        if len(dims) != n:
            raise ShapeError(f"permute(): argument 'dims' has {len(dims)} entries, but the "
                               f"tensor has {n} dimensions (shape {tuple(self.shape)})")
        axes = tuple(dim_arg("permute", "dims", d, n) for d in dims)
        if len(set(axes)) != n:
            raise ShapeError(f"permute(): duplicate dims are not allowed: argument 'dims' is "
                               f"{dims}")
        return F.transpose(self, axes)

    def transpose(self, dim0=None, dim1=None):
        """PyTorch's ``transpose(dim0, dim1)`` swaps two axes; with no arguments, reverses them."""
        if dim0 is None and dim1 is None:
            return F.transpose(self)
        if dim0 is None or dim1 is None:
            raise TypeError(f"transpose(dim0, dim1) swaps two dimensions: give both, got "
                            f"dim0={dim0}, dim1={dim1} (use .T or .permute() to reorder all of them)")
        n = self.ndim
        a, b = dim_arg("transpose", "dim0", dim0, n), dim_arg("transpose", "dim1", dim1, n)
        axes = list(range(n))
        axes[a], axes[b] = axes[b], axes[a]
        return F.transpose(self, axes)

    def t(self):
        """A matrix transposed (a vector or a scalar as it is), as PyTorch's ``t()``."""
        n = _rank(self)
        if n is not None and n > 2:
            raise ShapeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D "
                               f"(use .transpose(dim0, dim1) or .mT)")
        return F.transpose(self)

    @property
    def T(self): return F.transpose(self)

    @property
    def mT(self): return self.transpose(-2, -1)

    def unsqueeze(self, dim):
        n = _rank(self)
        return F.expand_dims(self, dim if n is None else dim_arg("unsqueeze", "dim", dim, n + 1))

    def squeeze(self, dim=None):
        """Dimensions of size 1 removed; as in PyTorch, a ``dim`` whose size is
        not 1 is left alone (``tinyflow.ops.squeeze`` insists, as TensorFlow does)."""
        if dim is None:
            return F.squeeze(self)
        try:
            shape = tuple(self.shape)
        except ValueError:            # a graph tensor of unknown rank: the op checks at run time
            return F.squeeze(self, dim)
        dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
        dims = tuple(dim_arg("squeeze", "dim", d, len(shape)) for d in dims)
        keep = tuple(d for d in dims if shape and shape[d] in (1, None))
        return F.squeeze(self, keep)

    def expand(self, *sizes):
        """This tensor repeated along size-1 or new leading dimensions to ``sizes``
        (-1: keep that dimension's size)."""
        sizes = shape_arg("expand", "size", _sizes(sizes))
        shape = tuple(self.shape)
        lead = len(sizes) - len(shape)
        if lead < 0:
            raise ShapeError(f"expand(): the number of sizes provided ({len(sizes)}) must be "
                               f"greater or equal to the number of dimensions in the tensor "
                               f"(shape {shape}); argument 'size' is {list(sizes)}")
        if -1 in sizes[:lead]:
            raise ShapeError(f"expand(): the expanded size -1 isn't allowed in a leading, "
                               f"non-existing dimension; argument 'size' is {list(sizes)} for a "
                               f"tensor of shape {shape}")
        full = tuple(s if s != -1 else shape[i - lead] for i, s in enumerate(sizes))
        for i, (have, want) in enumerate(zip(shape, full[lead:])):
            if have not in (1, None, want) and want is not None:
                raise ShapeError(f"expand(): the expanded size of the tensor ({want}) must "
                                   f"match the existing size ({have}) at non-singleton "
                                   f"dimension {i + lead}. Target sizes (argument 'size'): "
                                   f"{list(sizes)}. Tensor sizes: {list(shape)}")
        return F.broadcast_to(self, full)

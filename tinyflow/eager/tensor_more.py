"""More of the eager Tensor's methods: the in-place ``scatter_``, ``scatter_add_``,
``masked_fill_``, ``tril_`` and ``triu_``, the two questions answered with a
Python bool, ``equal`` and ``allclose``, and new tensors of this one's dtype,
``new_zeros``, ``new_ones``, ``new_empty``, ``new_full`` and ``new_tensor``.
(``Tensor`` gets them from ``MoreInPlace``.)

An in-place method computes its op out of place and then takes the result as
its own value: with gradients on, the tensor's history is rewritten (its node
becomes the op's, the old value kept for backward), as ``x += y`` does
(eager/inplace.py); without them the values are written into the tensor's own
array, so views of it see the change.

>>> import tinyflow as tf
>>> x = tf.zeros(2, 3)
>>> x.scatter_(1, tf.tensor([[2], [0]]), 1.0)
tensor([[0., 0., 1.],
        [1., 0., 0.]])
>>> x.masked_fill_(x == 0, -1.0)
tensor([[-1., -1.,  1.],
        [ 1., -1., -1.]])
"""
import warnings

import numpy as np

from ..base.args import number_arg, size_arg
from ..base.config import Config, using_config
from ..ops import closeness, gather_scatter, rearrange


class MoreInPlace:
    """In-place methods built on out-of-place ops, and bool-valued comparisons."""
    __slots__ = ()

    def _take_result(self, op, fn, *others):
        """Become ``fn(self)``: the in-place form of an out-of-place op."""
        grad = Config.grad_enabled and (self.requires_grad or any(
            getattr(o, "requires_grad", False) for o in others))
        if grad:
            if self.node is None and self.requires_grad:
                raise RuntimeError(f"{op}(): a leaf tensor that requires grad is being used in "
                                   f"an in-place operation; wrap the update in `with "
                                   f"tinyflow.no_grad():`")
            old = self._wrap(self.array, self.node)
            old._version = self._version
            res = fn(old)
        else:
            with using_config(grad_enabled=False):
                res = fn(self)
        if res.array.shape != self.array.shape:
            raise RuntimeError(f"{op}(): output with shape {list(self.array.shape)} doesn't match "
                               f"the broadcast shape {list(res.array.shape)}")
        if grad:
            if res.array.dtype != self.array.dtype:
                res = res.to(self.dtype)
            self.array, self.node = res.array, res.node
            self.requires_grad = res.requires_grad
        else:
            if not self.array.flags.writeable:
                self.array = self.array.copy()
            np.copyto(self.array, res.array, casting="unsafe")
            if self.node is not None:
                self.node.out_modified = True
        self._version += 1
        Config.inplace_ops += 1
        return self

    def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
        """``src`` (a tensor) or ``value`` (a number) written at ``index`` along ``dim``,
        in place."""
        return self._take_result("scatter_", lambda t: gather_scatter.scatter(
            t, dim, index, src, value, reduce), src)

    def scatter_add_(self, dim, index, src):
        """``src`` added at ``index`` along ``dim``, in place (repeated indices add up)."""
        return self._take_result("scatter_add_", lambda t: gather_scatter.scatter_add(
            t, dim, index, src), src)

    def masked_fill_(self, mask, value):
        """``value`` written where the boolean ``mask`` is True, in place."""
        return self._take_result("masked_fill_",
                                 lambda t: rearrange.masked_fill(t, mask, value), value)

    def detach_(self):
        """Cut this tensor off the tape, in place: it becomes a leaf that does not
        require grad (``detach()`` gives a new tensor instead).

        >>> import tinyflow as tf
        >>> y = tf.ones(2, requires_grad=True) * 2
        >>> y.detach_() is y, y.requires_grad, y.grad_fn
        (True, False, None)
        """
        self.node = None
        self._requires_grad = False
        return self

    def tril_(self, diagonal=0):
        """Zeros above the ``diagonal``-th diagonal, in place."""
        return self._take_result("tril_", lambda t: rearrange.tril(t, diagonal))

    def triu_(self, diagonal=0):
        """Zeros below the ``diagonal``-th diagonal, in place."""
        return self._take_result("triu_", lambda t: rearrange.triu(t, diagonal))

    def equal(self, other):
        """True if ``other`` has this shape and these values (a Python bool).

        >>> import tinyflow as tf
        >>> tf.tensor([1.0, 2.0]).equal(tf.tensor([1, 2]))
        True
        """
        if not isinstance(other, MoreInPlace):
            raise TypeError(f"equal(): argument 'other' must be Tensor, not "
                            f"{type(other).__name__}")
        return self.array.shape == other.array.shape and bool((self.array == other.array).all())

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """True if every element is within ``atol + rtol * |other|`` of ``other`` (a
        Python bool; the two broadcast against each other).

        >>> import tinyflow as tf
        >>> tf.tensor([1.0, 2.0]).allclose(tf.tensor([1.0, 2.0 + 1e-7]))
        True
        """
        if not isinstance(other, MoreInPlace):
            raise TypeError(f"allclose(): argument 'other' must be Tensor, not "
                            f"{type(other).__name__}")
        try:
            close = closeness.isclose(self.array, other.array, rtol, atol, equal_nan)
        except ValueError:
            raise RuntimeError(f"allclose(): the shapes {list(self.array.shape)} and "
                               f"{list(other.array.shape)} cannot be broadcast together") from None
        return bool(np.all(close))

    # --- new tensors of this one's dtype (PyTorch's ``weight.new_zeros(...)``) ---
    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
        """Zeros of ``size`` (ints, or one tuple of them), of this tensor's dtype unless
        ``dtype`` is given; a new leaf that does not require grad unless asked.

        >>> import tinyflow as tf
        >>> weight = tf.ones(3, dtype=tf.float64, requires_grad=True)
        >>> weight.new_zeros(2, 1, 4).dtype, weight.new_zeros((2, 1, 4)).requires_grad
        (tinyflow.float64, False)
        """
        return _new("new_zeros", self, size, 0, dtype, device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
                 pin_memory=False):
        """Ones of ``size``, of this tensor's dtype unless ``dtype`` is given."""
        return _new("new_ones", self, size, 1, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
        """A tensor of ``size`` and this tensor's dtype (tinyflow fills it with zeros)."""
        return _new("new_empty", self, size, 0, dtype, device, requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
                 layout=None, pin_memory=False):
        """``size`` (a tuple of ints) filled with ``fill_value``, of this tensor's dtype
        unless ``dtype`` is given (whatever the type of ``fill_value``)."""
        from . import creation
        creation._sizes("new_full", size)
        return _new("new_full", self, (size,), fill_value, dtype, device, requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None,
                   pin_memory=False):
        """A copy of ``data`` as a new leaf, of this tensor's dtype unless ``dtype`` is
        given (a tensor given as ``data`` is copied, detached, with PyTorch's warning)."""
        from . import creation
        if hasattr(data, "detach") and hasattr(data, "dtype"):
            warnings.warn("To copy construct from a tensor, it is recommended to use "
                          "sourceTensor.detach().clone() or "
                          "sourceTensor.detach().clone().requires_grad_(True), rather than "
                          "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
            data = data.detach().numpy()
        arr = np.array(data, dtype=creation._dtype("new_tensor", dtype, np.dtype(self.dtype)))
        return creation._made("new_tensor", arr, requires_grad, device)


def _new(fn, like, size, fill, dtype, device, requires_grad):
    """``new_zeros``/``new_ones``/``new_empty``/``new_full``: ``size`` as a creation
    function takes it, the dtype ``like``'s unless ``dtype`` says otherwise."""
    from . import creation              # (creation.py imports the Tensor this mixin makes)
    if not size:
        raise TypeError(f'{fn}() missing 1 required positional arguments: "size"')
    shape = size_arg(fn, "size", size)
    d = creation._dtype(fn, dtype, np.dtype(like.dtype))
    arr = np.full(shape, number_arg(fn, "fill_value", fill), d)
    return creation._made(fn, arr, requires_grad, device)

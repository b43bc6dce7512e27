"""More methods of both tensor kinds, with PyTorch's names and arguments: picking
and placing (``gather``, ``scatter``, ``scatter_add``), running sums and products,
masks and triangles, batched products, cutting and repeating, flipping and
rolling, norms and closeness. Each is one op function (ops/gather_scatter.py,
ops/cumulative.py, ops/rearrange.py, ops/norms.py, ops/closeness.py), so it runs
eagerly on the tape or adds nodes to a graph alike. (The in-place ``scatter_``,
``masked_fill_``... are the eager Tensor's: eager/tensor_more.py.)

>>> import tinyflow as tf
>>> x = tf.tensor([[1.0, 2.0], [3.0, 4.0]])
>>> x.cumsum(0)
tensor([[1., 2.],
        [4., 6.]])
>>> x.gather(1, tf.tensor([[1], [0]]))
tensor([[2.],
        [3.]])
>>> [c.shape for c in x.chunk(2, dim=1)]
[tinyflow.Size([2, 1]), tinyflow.Size([2, 1])]
"""
from .elementwise import cast
from . import closeness, cumulative, gather_scatter as _scatter, norms, rearrange, selecting


class MoreMethods:
    __slots__ = ()

    # --- picking and placing along a dimension ---
    def gather(self, dim, index, *, sparse_grad=False):
        """Values picked along ``dim`` at ``index`` (the output has the index's shape)."""
        return _scatter.gather(self, dim, index)

    def scatter(self, dim, index, src=None, value=None, *, reduce=None):
        """A copy with ``src`` (a tensor) or ``value`` (a number) written at ``index``."""
        return _scatter.scatter(self, dim, index, src, value, reduce)

    def scatter_add(self, dim, index, src):
        """A copy with ``src`` added at ``index`` along ``dim`` (repeats add up)."""
        return _scatter.scatter_add(self, dim, index, src)

    def index_select(self, dim, index):
        """The entries at ``index`` (a vector of positions) along ``dim``."""
        return selecting.index_select(self, dim, index)

    def masked_select(self, mask):
        """The entries where ``mask`` is True, as a vector."""
        return selecting.masked_select(self, mask)

    def type_as(self, other):
        """This tensor in ``other``'s dtype (itself when it already is)."""
        return self if self.dtype == other.dtype else cast(self, other.dtype)

    # --- running sums and products ---
    def cumsum(self, dim, *, dtype=None):
        """Running sums along ``dim`` (integers and bools give int64)."""
        return cumulative.cumsum(self, dim, dtype)

    def cumprod(self, dim, *, dtype=None):
        """Running products along ``dim`` (integers and bools give int64)."""
        return cumulative.cumprod(self, dim, dtype)

    # --- masks, triangles, products ---
    def masked_fill(self, mask, value):
        """A copy with ``value`` where the boolean ``mask`` is True."""
        return rearrange.masked_fill(self, mask, value)

    def tril(self, diagonal=0):
        """The lower triangle of the last two dimensions (the rest zeros)."""
        return rearrange.tril(self, diagonal)

    def triu(self, diagonal=0):
        """The upper triangle of the last two dimensions (the rest zeros)."""
        return rearrange.triu(self, diagonal)

    def bmm(self, mat2):
        """Batched matrix product with ``mat2`` (both 3-D)."""
        return norms.bmm(self, mat2)

    # --- cutting, repeating, reversing ---
    def chunk(self, chunks, dim=0):
        """A tuple of ``chunks`` (or fewer) equal pieces along ``dim``."""
        return rearrange.chunk(self, chunks, dim)

    def split(self, split_size, dim=0):
        """A tuple of pieces of ``split_size`` elements (or of the sizes a list gives)."""
        return rearrange.split(self, split_size, dim)

    def repeat(self, *sizes):
        """Tiled ``sizes[d]`` times along each dimension d."""
        return rearrange.repeat(self, *sizes)

    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        """Each element repeated ``repeats`` times in place, along ``dim``."""
        return rearrange.repeat_interleave(self, repeats, dim, output_size)

    def flip(self, *dims):
        """The elements in reverse order along ``dims`` (ints, or one list of them)."""
        if not dims:
            raise TypeError("flip() missing 1 required positional argument: 'dims'")
        if len(dims) == 1 and isinstance(dims[0], (list, tuple)):
            dims = tuple(dims[0])
        return rearrange.flip(self, dims)

    def roll(self, shifts, dims=None):
        """The elements moved ``shifts`` places along ``dims``, wrapping around."""
        return rearrange.roll(self, shifts, dims)

    # --- norms and closeness ---
    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        """The p-norm over ``dim`` (all elements when None); 'fro' is the 2-norm."""
        return norms.norm(self, p, dim, keepdim, dtype)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Elementwise: within ``atol + rtol * |other|`` of ``other``?"""
        return closeness.isclose(self, other, rtol, atol, equal_nan)

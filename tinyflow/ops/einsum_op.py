"""``einsum``: sums of products over named dimensions (``'ij,jk->ik'`` is matmul).

The ``Einsum`` primitive takes an equation in one plain form -- every dimension of
every operand has its own letter, and the output is spelled out -- and runs
``numpy.einsum``. The ``einsum`` function brings PyTorch's other forms there
first: ``...`` becomes fresh letters (right-aligned, broadcast as PyTorch does),
an implicit output becomes the letters seen once (in alphabetical order, after
the ``...`` ones), and dimensions of size 1 are broadcast to the size the same
letter has elsewhere.

The vjp of operand i is an einsum too: the gradient ``g`` (its letters are the
output's) times the other operands, summed to the letters of operand i. A letter
that only operand i has (summed away) comes back by a product with ones; a letter
operand i repeats (``'ii->i'``, a diagonal) by a product with the identity. All of
it is ``Einsum`` again, so gradients of gradients work.

>>> import numpy as np
>>> einsum("ij,jk->ik", np.ones((2, 3)), np.ones((3, 4))).shape
(2, 4)
>>> float(einsum("ii", np.eye(3) * 2.0))
6.0
>>> einsum("...ij->...ji", np.zeros((5, 2, 3))).shape
(5, 3, 2)
"""
import string

import numpy as np

from ..base.errors import ShapeError
from .primitive import Primitive, bind, is_tensor
from .shape import broadcast_to
from .shape_rules import static_shape

_LETTERS = string.ascii_uppercase + string.ascii_lowercase     # PyTorch's order for implicit outputs


def _split(equation):
    """'ab,bc->ac' -> (['ab', 'bc'], 'ac')"""
    lhs, out = equation.split("->")
    return lhs.split(","), out


def _einsum(*xs, equation):
    out = np.einsum(equation, *xs, optimize=len(xs) > 1)
    if isinstance(out, np.ndarray) and any(np.may_share_memory(out, x) for x in xs):
        out = out.copy()              # a transpose or a diagonal comes back as a view
    return out


def _einsum_rule(*shapes, equation):
    terms, out = _split(equation)
    if any(s is None for s in shapes):
        return None
    sizes = {}
    for term, shape in zip(terms, shapes):
        for letter, n in zip(term, shape):
            if n is not None:
                sizes[letter] = n
    return tuple(sizes.get(letter) for letter in out)


def _unused(equation, count):
    free = [c for c in _LETTERS if c not in equation]
    if count > len(free):
        raise RuntimeError(f"einsum(): the equation uses too many subscripts: {count} more are "
                           f"needed and only {len(free)} of [a-zA-Z] are free")
    return free[:count]


def _einsum_vjp(i, g, *xs, out, equation):
    terms, result = _split(equation)
    term, x = terms[i], xs[i]
    others = [t for j, t in enumerate(terms) if j != i]
    seen = set(result).union(*others)
    unique = "".join(dict.fromkeys(term))
    keep = "".join(c for c in unique if c in seen)
    operands = [g] + [xs[j] for j in range(len(xs)) if j != i]
    if operands[1:] or keep != result:
        g = bind(Einsum, tuple(operands), {"equation": ",".join([result] + others) + "->" + keep})
    if keep == term:
        return g
    # Put back what the sum took away: ones for letters only this operand has, the
    # identity for a letter it repeats (a diagonal), and the order of its letters.
    sizes = dict(zip(term, tuple(x.shape)))
    if any(sizes[c] is None for c in unique):
        raise ShapeError(f"Einsum gradient: the sizes of {term!r} must be known (shape "
                         f"{tuple(x.shape)})")
    dtype = np.dtype(g.dtype)
    missing = "".join(c for c in unique if c not in seen)
    extra = iter(_unused(equation, len(term) - len(unique)))
    spelled, factors, parts = [], [], [keep]
    for c in term:
        if c in spelled:
            twin = next(extra)
            spelled.append(twin)
            parts.append(c + twin)
            factors.append(np.eye(sizes[c], dtype=dtype))
        else:
            spelled.append(c)
    if missing:
        parts.append(missing)
        factors.append(np.ones(tuple(sizes[c] for c in missing), dtype=dtype))
    return bind(Einsum, (g, *factors), {"equation": ",".join(parts) + "->" + "".join(spelled)})


Einsum = Primitive("Einsum", _einsum, _einsum_rule, family="linalg",
                   doc="a sum of products over named dimensions (numpy.einsum), the equation "
                       "with one letter per dimension and its output spelled out")
Einsum.defvjp_each(_einsum_vjp)


# --- the op function: PyTorch's equations, brought to the plain form -----------------

def _parse_term(term, offset, where):
    """'a...b' -> (['a', '...', 'b'] as a list of labels, has_ellipsis)"""
    labels, k, ellipsis = [], 0, False
    while k < len(term):
        c = term[k]
        if c == ".":
            if term[k:k + 3] != "...":
                raise RuntimeError(f"einsum(): found '.' for {where} that is not part of any "
                                   f"ellipsis")
            if ellipsis:
                raise RuntimeError(f"einsum(): found '.' for {where} for which an ellipsis was "
                                   f"already found")
            labels.append("...")
            ellipsis = True
            k += 3
            continue
        if c not in _LETTERS:
            raise RuntimeError(f"einsum(): invalid subscript given at index {offset + k} in the "
                               f"equation string, subscripts must be in [a-zA-Z]")
        labels.append(c)
        k += 1
    return labels, ellipsis


def _operands(operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for k, x in enumerate(operands):
        if not (is_tensor(x) or isinstance(x, np.ndarray)):
            raise TypeError(f"einsum(): expected Tensor as element {k} in argument 'operands', "
                            f"but got {type(x).__name__}")
    return operands


def _plain(equation, shapes):
    """PyTorch's equation for operands of these shapes -> the plain form."""
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): argument 'equation' must be str, not "
                        f"{type(equation).__name__}")
    eq = equation.replace(" ", "")
    if eq.count("->") > 1:
        raise RuntimeError(f"einsum(): the equation {equation!r} has more than one '->'")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    parsed, offset, dots = [], 0, 0
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        labels, ellipsis = _parse_term(term, offset, f"operand {k}")
        offset += len(term) + 1
        named = len(labels) - ellipsis
        if not ellipsis and named != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                               f"does not match the number of dimensions ({len(shape)}) for "
                               f"operand {k} and no ellipsis was given")
        if ellipsis and named > len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) is "
                               f"more than the number of dimensions ({len(shape)}) for operand {k}")
        if ellipsis:
            dots = max(dots, len(shape) - named)
        parsed.append((labels, len(shape) - named))
    fresh = _unused(eq, dots)
    plain = ["".join("".join(fresh[dots - n:]) if c == "..." else c for c in labels)
             for labels, n in parsed]
    letters = "".join(plain)
    if arrow:
        labels, _ = _parse_term(rhs, len(lhs) + 2, "the output")
        out = "".join("".join(fresh) if c == "..." else c for c in labels)
        for c in labels:
            if c != "..." and c not in lhs:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   f"equation for any input operand")
            if c != "..." and labels.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   f"the output")
    else:
        once = sorted((c for c in set(lhs) if c in _LETTERS and lhs.count(c) == 1),
                      key=_LETTERS.index)
        out = "".join(fresh) + "".join(once)
    return plain, out, letters


def _sizes(plain, shapes):
    """Each letter's size (the largest of its sizes: 1 broadcasts), with PyTorch's errors."""
    sizes = {}
    for k, (term, shape) in enumerate(zip(plain, shapes)):
        mine = {}
        for c, n in zip(term, shape):
            if n is None:
                continue
            if c in mine and mine[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match, {mine[c]} != {n}")
            mine[c] = n
            seen = sizes.get(c)
            if seen is not None and n != seen and 1 not in (n, seen):
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} which "
                                   f"does not broadcast with previously seen size {seen}")
            sizes[c] = n if seen in (None, 1) else seen
    return sizes


def einsum(equation, *operands):
    """Sum of products of ``operands`` over the letters of ``equation`` (PyTorch's
    ``einsum``): ``'ij,jk->ik'`` multiplies matrices, ``'bij,bjk->bik'`` batches of them,
    ``'ii'`` is the trace, ``'...ij->...ji'`` swaps the last two dimensions.

    >>> float(einsum("i,i->", np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    11.0
    """
    operands = _operands(operands)
    shapes = [static_shape(x) for x in operands]
    if any(s is None for s in shapes):
        raise ShapeError("einsum(): the number of dimensions of every operand must be known")
    dtypes = [np.dtype(x.dtype) for x in operands]
    for d in dtypes[1:]:
        if d != dtypes[0]:
            raise RuntimeError(f"einsum(): expected scalar type {dtypes[0]} but found {d}: every "
                               f"operand must have the same dtype")
    plain, out, _ = _plain(equation, shapes)
    sizes = _sizes(plain, shapes)
    ready = []
    for x, term, shape in zip(operands, plain, shapes):
        want = tuple(sizes.get(c, n) for c, n in zip(term, shape))
        ready.append(x if want == tuple(shape) else broadcast_to(x, want))
    return bind(Einsum, tuple(ready), {"equation": ",".join(plain) + "->" + out})

"""The one random generator that everything random in tinyflow draws from, and
``Generator``: a separate stream you can hand to a sampler or a split.

``tinyflow.manual_seed(0)`` makes weights, dropout masks, shuffles and random
tensors repeat exactly, so notebooks re-execute to the same outputs.

Both are numpy ``PCG64`` generators underneath: the same seed gives the same
*behaviour* as PyTorch's (a repeatable stream), not PyTorch's numbers.

>>> import tinyflow
>>> g = tinyflow.Generator().manual_seed(1)
>>> g.initial_seed()
1
"""
import contextlib
import secrets

import numpy as np

DEFAULT_SEED = 67280421310721       # what a fresh torch.Generator() reports as initial_seed()
_U64 = 1 << 64


class _State:
    generator = np.random.default_rng(0)
    seed = 0


def _seed_value(seed, where, error=TypeError):
    """An int seed as a non-negative 64-bit value (negatives wrap, as in PyTorch)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise error(f"{where} expects an int seed, got {type(seed).__name__} {seed!r}")
    seed = int(seed)
    if not -(1 << 63) <= seed < _U64:
        raise ValueError(f"{where}: seed {seed} is out of range; expected an int in "
                         f"[-2**63, 2**64 - 1]")
    return seed % _U64


def _as_int(seed):
    """What ``int(seed)`` makes of ``seed``, as PyTorch's manual_seed takes it: 1.5, '5'
    and a one-element tensor seed too; int()'s own error type otherwise ('x' is a
    ValueError, None a TypeError), naming manual_seed."""
    try:
        return int(seed)
    except (TypeError, ValueError) as e:
        raise type(e)(f"manual_seed(): argument 'seed' must be something int() takes, "
                      f"got {type(seed).__name__} {seed!r} ({e})") from None


def manual_seed(seed):
    """Seed tinyflow's random generator (like ``torch.manual_seed``).

    >>> import tinyflow
    >>> tinyflow.manual_seed(0); a = tinyflow.randn(2)
    >>> tinyflow.manual_seed(0); bool((a == tinyflow.randn(2)).all())
    True
    """
    seed = _seed_value(_as_int(seed), "manual_seed")
    _State.seed = seed
    _State.generator = np.random.default_rng(seed)


def initial_seed():
    """The seed tinyflow's global generator was last seeded with (``torch.initial_seed``);
    inside a DataLoader worker, the worker's seed.

    >>> import tinyflow
    >>> tinyflow.manual_seed(7); tinyflow.initial_seed()
    7
    """
    return _State.seed


def generator():
    """The current numpy Generator (what tinyflow's random functions draw from).

    >>> manual_seed(2); a = generator().random()
    >>> manual_seed(2); a == generator().random()
    True
    """
    return _State.generator


def get_rng_state():
    """The generator's state, as a plain dict (for checkpoints).

    >>> state = get_rng_state(); a = generator().random()
    >>> set_rng_state(state); a == generator().random()
    True
    """
    return _State.generator.bit_generator.state


def set_rng_state(state):
    """Go back to a state from ``get_rng_state`` (see its example)."""
    _State.generator.bit_generator.state = state


class Generator:
    """A random stream of its own (``torch.Generator``): give it to ``DataLoader``,
    ``RandomSampler`` or ``random_split`` so that their shuffles repeat whatever
    else draws from tinyflow's global generator.

    ``manual_seed(s)`` reseeds it and returns it; ``initial_seed()`` is the seed;
    ``seed()`` reseeds it from the operating system and returns the new seed;
    ``get_state()`` / ``set_state(state)`` save and restore its position. The
    stream is numpy's (``np.random.default_rng(seed)``): the same seed repeats
    tinyflow's shuffles, but they are not PyTorch's permutations. The state is a
    uint8 numpy array (PyTorch's is a uint8 tensor of another size).

    >>> import tinyflow
    >>> g = tinyflow.Generator().manual_seed(0)
    >>> g.initial_seed()
    0
    >>> state = g.get_state()
    >>> a = g.numpy_generator().permutation(5)
    >>> b = g.set_state(state).numpy_generator().permutation(5)
    >>> bool((a == b).all())
    True
    """

    def __init__(self, device="cpu"):
        if str(device) != "cpu":
            raise RuntimeError(f"Generator: tinyflow runs on the CPU only; got device={device!r}")
        self.device = "cpu"
        self._seed = DEFAULT_SEED
        self._np = np.random.default_rng(DEFAULT_SEED)

    def numpy_generator(self):
        """The ``numpy.random.Generator`` this generator draws from (tinyflow's own use).

        >>> Generator().manual_seed(0).numpy_generator().permutation(3).tolist()
        [2, 0, 1]
        """
        return self._np

    def manual_seed(self, seed):
        """Reseed with ``seed`` (an int; negatives wrap modulo 2**64) and return self.

        >>> Generator().manual_seed(-1).initial_seed() == 2 ** 64 - 1
        True
        """
        seed = _seed_value(seed, "Generator.manual_seed", RuntimeError)
        self._seed = seed
        self._np = np.random.default_rng(seed)
        return self

    def seed(self):
        """Reseed from the operating system's entropy; return the new seed.

        >>> g = Generator()
        >>> g.seed() == g.initial_seed()
        True
        """
        seed = secrets.randbits(64)
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        """The seed this generator was last seeded with.

        >>> Generator().initial_seed()
        67280421310721
        """
        return self._seed

    def get_state(self):
        """The position in the stream, as a uint8 array (give it to ``set_state``).

        >>> Generator().get_state().dtype, Generator().get_state().shape
        (dtype('uint8'), (56,))
        """
        s = self._np.bit_generator.state
        st, inc = s["state"]["state"], s["state"]["inc"]
        words = [self._seed, st % _U64, st >> 64, inc % _U64, inc >> 64,
                 s["has_uint32"], s["uinteger"]]
        return np.array(words, dtype="<u8").view(np.uint8)

    def set_state(self, new_state):
        """Go back to a position saved by ``get_state``; return self.

        >>> g = Generator()
        >>> g.set_state(g.get_state()) is g
        True
        """
        arr = np.asarray(new_state) if hasattr(new_state, "__array__") else None
        if arr is None or arr.dtype != np.uint8:
            what = type(new_state).__name__ if arr is None else f"an array of {arr.dtype}"
            raise TypeError(f"Generator.set_state expected a uint8 array from "
                            f"Generator.get_state(), but got {what}")
        if arr.size != 56:
            raise RuntimeError(f"Generator.set_state expected a state of 56 bytes (from "
                               f"Generator.get_state()), got {arr.size}")
        w = [int(v) for v in np.ascontiguousarray(arr.reshape(-1)).view("<u8")]
        gen = np.random.default_rng()
        gen.bit_generator.state = {"bit_generator": "PCG64",
                                   "state": {"state": w[1] | w[2] << 64, "inc": w[3] | w[4] << 64},
                                   "has_uint32": w[5], "uinteger": w[6]}
        self._seed, self._np = w[0], gen
        return self


class _DefaultGenerator(Generator):
    """``tinyflow.default_generator``: the global generator seen as a ``Generator``
    (``torch.default_generator``): seeding it is ``tinyflow.manual_seed``.

    >>> import tinyflow
    >>> tinyflow.default_generator.manual_seed(4) is tinyflow.default_generator
    True
    >>> tinyflow.initial_seed()
    4
    """

    def __init__(self):
        self.device = "cpu"

    _seed = property(lambda self: _State.seed,
                     lambda self, v: setattr(_State, "seed", v))
    _np = property(lambda self: _State.generator,
                   lambda self, v: setattr(_State, "generator", v))


default_generator = _DefaultGenerator()


def numpy_generator(gen, where):
    """The numpy Generator to draw from: ``gen``'s, or tinyflow's global one for None.

    >>> numpy_generator(None, "f") is generator()
    True
    >>> numpy_generator(3, "f")
    Traceback (most recent call last):
    TypeError: f: generator should be a tinyflow.Generator or None, got int
    """
    if gen is None:
        return _State.generator
    if isinstance(gen, Generator):
        return gen.numpy_generator()
    raise TypeError(f"{where}: generator should be a tinyflow.Generator or None, "
                    f"got {type(gen).__name__}")


@contextlib.contextmanager
def drawing_from(gen):
    """Within the block, tinyflow's global generator is ``gen`` (a ``Generator``); a
    ``manual_seed`` inside reseeds ``gen``. (DataLoader's in-process workers.)

    >>> g = Generator().manual_seed(9)
    >>> with drawing_from(g):
    ...     inside = initial_seed()
    >>> inside, initial_seed() != 9
    (9, True)
    """
    saved = _State.generator, _State.seed
    _State.generator, _State.seed = gen._np, gen._seed
    try:
        yield gen
    finally:
        gen._np, gen._seed = _State.generator, _State.seed
        _State.generator, _State.seed = saved

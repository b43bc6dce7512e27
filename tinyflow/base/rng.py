"""The one random generator that everything random in tinyflow draws from.

``tinyflow.manual_seed(0)`` makes weights, dropout masks, shuffles and random
tensors repeat exactly, so notebooks re-execute to the same outputs.
"""
import numpy as np


class _State:
    generator = np.random.default_rng(0)
    seed = 0


def manual_seed(seed):
    """Seed tinyflow's random generator (like ``torch.manual_seed``).

    >>> import tinyflow
    >>> tinyflow.manual_seed(0); a = tinyflow.randn(2)
    >>> tinyflow.manual_seed(0); bool((a == tinyflow.randn(2)).all())
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed expects an int, got {type(seed).__name__}")
    _State.seed = int(seed)
    _State.generator = np.random.default_rng(int(seed))


def generator():
    """The current numpy Generator."""
    return _State.generator


def get_rng_state():
    """The generator's state, as a plain dict (for checkpoints)."""
    return _State.generator.bit_generator.state


def set_rng_state(state):
    _State.generator.bit_generator.state = state


def numpy_generator(gen, where):
    """The numpy Generator to draw from: ``gen``'s, or tinyflow's global one for None."""
    if gen is None:
        return _State.generator
    if hasattr(gen, "numpy_generator"):
        return gen.numpy_generator()
    raise TypeError(f"{where}: generator should be a tinyflow.Generator or None, "
                    f"got {type(gen).__name__}")

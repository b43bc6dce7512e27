import numpy as np
import pytest

import tinyflow as tf
from tinyflow.config import Config


@pytest.fixture(autouse=True)
def _fresh_state():
    """Every test starts seeded, recording, with no observers and no graph left over."""
    tf.manual_seed(0)
    Config.grad_enabled = True
    Config.anomaly = False
    Config.observers.clear()
    reset = getattr(tf, "reset_default_graph", None)
    if reset is not None:
        reset()
    yield
    Config.grad_enabled = True
    Config.anomaly = False
    Config.observers.clear()


@pytest.fixture
def rng():
    return np.random.default_rng(0)

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.base.config import Config


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


# --- Keras tests' fixtures (keras is imported when one is used) -------------------------

@pytest.fixture
def fresh_names():
    """Keras layer names counted from zero again ('dense', 'dense_1'...); float32 after."""
    from tinyflow import keras
    keras.backend.clear_session()
    yield
    keras.backend.set_floatx("float32")


@pytest.fixture
def float64():
    """This test's Keras in float64 (used with fresh_names, which sets float32 back)."""
    from tinyflow import keras
    keras.backend.set_floatx("float64")


@pytest.fixture
def float64_throughout():
    """Keras in float64 with fresh names for the whole test; float32 afterwards."""
    from tinyflow import keras
    keras.backend.clear_session()
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx("float32")


# --- hypothesis profiles ------------------------------------------------------------
# "tinyflow" (make test): a few hundred examples, derandomized, so every run tests the
# same programs and a failure is reproducible. "tinyflow-long" (make test-long, which
# sets TINYFLOW_LONG=1): thousands of fresh examples each night. Tests that set their
# own max_examples scale it with LONG (see test_agreement.py, test_fuzz_loaders.py).
import os as _os

from hypothesis import HealthCheck as _HealthCheck, settings as _settings

LONG = _os.environ.get("TINYFLOW_LONG", "") not in ("", "0")
_settings.register_profile(
    "tinyflow", max_examples=300, deadline=None, derandomize=True,
    suppress_health_check=[_HealthCheck.too_slow, _HealthCheck.data_too_large])
_settings.register_profile(
    "tinyflow-long", max_examples=2000, deadline=None, derandomize=False, print_blob=True,
    suppress_health_check=[_HealthCheck.too_slow, _HealthCheck.data_too_large])
_settings.load_profile("tinyflow-long" if LONG else "tinyflow")

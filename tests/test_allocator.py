"""tinyflow keeps freed memory with malloc (base/allocator.py): a training step's
arrays come back without page faults, unless TINYFLOW_KEEP_FREED_MEMORY=0."""
import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc",
                                reason="the setting exists only for glibc's malloc")

# Eight 1 MB arrays made and freed, as one step's activations are; the count is
# the page faults per step after a few warm-up steps.
STEP = """
import resource, numpy as np
import tinyflow
def step():
    arrays = [np.ones(1 << 17) for _ in range(8)]
    del arrays
for _ in range(5):
    step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20)
print(tinyflow.base.allocator.state["applied"])
"""


def _faults_per_step(**env):
    out = subprocess.run([sys.executable, "-c", STEP], capture_output=True, text=True,
                         env={**os.environ, **env}, check=True).stdout.split("\n")
    return float(out[0]), out[1]


def test_freed_arrays_are_reused_without_page_faults():
    faults, applied = _faults_per_step()
    assert applied == "True"
    assert faults < 50            # 8 MB per step would be 2048 fresh 4 KB pages


def test_the_setting_can_be_switched_off():
    faults, applied = _faults_per_step(TINYFLOW_KEEP_FREED_MEMORY="0")
    assert applied == "switched off by TINYFLOW_KEEP_FREED_MEMORY=0"
    assert faults > 1000          # glibc's default: the heap's top goes back to the OS each step

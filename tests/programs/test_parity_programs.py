"""PyTorch programs, run unchanged but for their imports, under tinyflow.

Each program in ``tests/programs/torch/`` runs under real PyTorch (the reference) and under
tinyflow (``import torch`` -> ``import tinyflow as torch``...), each in its own process, and
what they leave in ``RESULTS`` must agree by the rules in ``harness.py``.

``make parity`` runs it (with PyTorch installed, and a missing PyTorch an error); in
``make test``, without PyTorch, every case is skipped, with the reason.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load_harness():
    spec = importlib.util.spec_from_file_location("tinyflow_programs_harness",
                                                  os.path.join(_HERE, "harness.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


harness = _load_harness()
PROGRAMS = harness.programs("torch")


def _torch_version():
    """PyTorch's version in a clean child (from an empty folder, so that no folder named
    torch/ can stand in for the package), or None when it is not importable."""
    with tempfile.TemporaryDirectory() as empty:
        proc = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"],
                              cwd=empty, capture_output=True, text=True, timeout=300)
    return proc.stdout.strip() if proc.returncode == 0 else None


@pytest.fixture(scope="module")
def torch_version():
    version = _torch_version()
    if version is None and os.environ.get("TINYFLOW_REQUIRE_TORCH"):
        pytest.fail("make parity needs PyTorch, and it is not importable in this Python")
    if version is None:
        pytest.skip("PyTorch is not importable in this Python: the reference runs need it "
                    "(pip install torch==2.13.0)")
    return version


@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", PROGRAMS, ids=[os.path.basename(p)[:-3] for p in PROGRAMS])
def test_program_agrees_with_pytorch(path, torch_version):
    ref, got, diffs = harness.check(path, "tinyflow", "torch")
    if not ref["ok"]:
        pytest.fail(f"the program fails under PyTorch {torch_version} itself (a bug in the "
                    f"corpus): {harness._error_line(ref['error'])}\n{ref['error'].get('traceback', '')}")
    if not got["ok"]:
        err = got["error"]
        pytest.fail(f"fails under tinyflow: {harness._error_line(err)}\n"
                    f"(raised at {err.get('origin')})\n{err.get('traceback', '')}")
    assert not diffs, "differences from PyTorch:\n" + "\n".join(diffs)


# --- the harness itself (no PyTorch needed) -------------------------------------------------

def test_swap_imports_rewrites_only_import_statements():
    src = ("import torch\n"
           "import torch.nn as nn\n"
           "import numpy as np, torch.optim as optim\n"
           "from torch.utils.data import DataLoader\n"
           "from torch import nn as tnn\n"
           "import torch.nn\n"
           "import torchvision\n"
           "s = 'import torch'  # import torch\n"
           "def f():\n"
           "    from torch.optim.lr_scheduler import (StepLR,\n"
           "                                          ExponentialLR)\n"
           "    return torch.zeros(1)\n")
    out = harness.swap_imports(src, "tinyflow")
    assert out.splitlines() == [
        "import tinyflow as torch",
        "import tinyflow.nn as nn",
        "import numpy as np; import tinyflow.optim as optim",
        "from tinyflow.utils.data import DataLoader",
        "from tinyflow import nn as tnn",
        "import tinyflow.nn; import tinyflow as torch",
        "import torchvision",
        "s = 'import torch'  # import torch",
        "def f():",
        "    from tinyflow.optim.lr_scheduler import (StepLR,",
        "                                          ExponentialLR)",
        "    return torch.zeros(1)",
    ]
    assert harness.swap_imports(src, "torch") == src


def test_compare_rules():
    ref = {"losses": [1.0, 0.5, 0.2, 0.1], "n": 3, "dtype": "torch.float32", "w": [0.5, 1.0],
           "acc": 0.9}
    same = {"losses": [1.0, 0.5, 0.2, 0.1], "n": 3, "dtype": "torch.float32",
            "w": [0.5 * (1 + 5e-6), 1.0], "acc": 0.9}
    assert harness.compare(ref, same, "exact", "float32") == []
    assert harness.compare(ref, same, "exact", "float64")         # 5e-6 is too far in float64
    slower = dict(same, losses=[1.2, 0.9, 0.45, 0.3], w=[9.0, 9.0], acc=0.8)
    assert harness.compare(ref, slower, "trend") == []
    stuck = dict(slower, losses=[1.0, 0.9, 0.9, 0.9], acc=0.5, n=3.0, dtype="float32")
    diffs = harness.compare(ref, stuck, "trend")
    assert len(diffs) == 4 and "does not fall" in diffs[0]
    assert harness.compare({"x": 1.0}, {"x": harness.encode(__import__("numpy").float64(1.0))},
                           "exact")[0].startswith("RESULTS['x']: not a plain Python value")

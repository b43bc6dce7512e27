"""The TensorFlow 1 teaching programs (this folder) run under ``tinyflow.compat.v1``
and give what real TensorFlow gave.

One test per program: it runs in a fresh subprocess with only its import line
swapped (``harness_tf1.run_program``), and its ``RESULTS`` are compared with the
stored results of TF 2.21 under TF1 semantics (``expected/NN_name.json``, recorded by
``record_expected.py``) under the program's own mode (``exact`` or ``trend``) and the
shared rules of ``tests/programs/harness.py``. TensorFlow itself is never needed here.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness_tf1 as h  # noqa: E402
from check_tf1_programs import check  # noqa: E402

PROGRAMS = h.programs()

# Known gaps, each strict: the test fails the day the program starts passing, so the
# mark must then be removed. Never weaken a program or its comparison instead.
KNOWN_GAPS = {}          # program stem -> why it cannot pass yet (a strict xfail)


def _param(path):
    gap = KNOWN_GAPS.get(path.stem)
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(path, id=path.stem, marks=marks)


def test_every_program_has_a_stored_result():
    missing = [p.name for p in PROGRAMS if h.load_expected(p) is None]
    assert len(PROGRAMS) >= 15 and not missing, missing


@pytest.mark.parametrize("path", [_param(p) for p in PROGRAMS])
def test_tf1_program(path):
    status, detail, rep = check(path)
    if status == "ERROR":
        pytest.fail(f"{path.name} raised under tinyflow: {detail}\n\n"
                    f"{rep['error']['traceback'][-3000:]}", pytrace=False)
    assert status == "PASS", f"{path.name}: {status}: {detail}"

"""The benchmark suite's smoke mode: every framework agrees with numpy, and the
results file has the shape the table and later runs rely on. Never about time."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
TINYFLOW_MODES = {"numpy_ref", "tinyflow_eager", "tinyflow_graph", "tinyflow_function"}
PEERS = {"torch_eager", "hips_autograd"}
YARDSTICKS = {"minimal_tape"}           # bench's own minimal tape: W1-W3 only


@pytest.fixture
def bench_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import frameworks
    import worker
    return frameworks, worker


def test_smoke_run_passes_and_writes_the_expected_json(tmp_path):
    out = tmp_path / "smoke.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--smoke", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    assert {"meta", "workloads", "timings", "memory", "failures", "ok"} <= set(result)
    assert result["ok"] and result["failures"] == [] and result["meta"]["smoke"]
    workloads = ("W1", "W2", "W3", "W4a", "W4b")
    assert set(result["workloads"]) == set(workloads)
    configs = {(r["workload"], r["dtype"], r["threads"]) for r in result["timings"]}
    assert configs == {(w, d, 1) for w in workloads for d in ("float64", "float32")} | {
        ("W3", d, 2) for d in ("float64", "float32")}
    for row in result["timings"]:
        if row["framework"] in TINYFLOW_MODES:
            assert row["status"] == "ok", row
            assert {"median", "ratio", "samples", "errors", "unit"} <= set(row)
        elif row["framework"] in YARDSTICKS:
            assert row["status"] == ("no convolution" if row["workload"] in ("W4a", "W4b")
                                     else "ok"), row
        else:                   # HIPS autograd has no convolution for W4
            assert row["framework"] in PEERS and row["status"] in (
                "ok", "not installed", "no convolution"), row
    assert {(r["workload"], r["framework"]) for r in result["memory"]} == {
        (w, f) for w in ("W3", "W4b") for f in TINYFLOW_MODES | PEERS | YARDSTICKS}
    assert all(r["status"] in ("ok", "not installed", "no convolution") for r in result["memory"])
    table = out.with_suffix(".md").read_text()
    assert "| tinyflow eager |" in table and table in proc.stdout


def test_a_missing_peer_is_reported_not_installed(bench_modules, monkeypatch):
    frameworks, _ = bench_modules
    monkeypatch.setitem(sys.modules, "torch", None)        # `import torch` now fails
    assert frameworks.load("torch_eager") == (None, "not installed")


def test_the_check_rejects_a_wrong_gradient_and_a_wrong_dtype(bench_modules):
    frameworks, worker = bench_modules
    spec = worker.wl.SMOKE["W2"]
    numpy_ref = frameworks.load("numpy_ref")[0]
    _, loss, after = worker.build(numpy_ref, "W2", spec, "float32")
    reference = (loss, after)
    assert worker.check("W2", spec, "float32", loss, after, reference)["update"] == 0
    initial = worker.wl.mlp_data(spec, "float32")[0]
    wrong = [a.copy() for a in after]
    wrong[0] += 0.01 * (after[0] - initial[0])             # a gradient 1% too large
    with pytest.raises(AssertionError, match="mismatch vs numpy: update"):
        worker.check("W2", spec, "float32", loss, wrong, reference)
    with pytest.raises(AssertionError, match="computed in float64"):
        worker.check("W2", spec, "float32", loss, [a.astype(np.float64) for a in after], reference)


def test_the_cnn_reference_is_checked_against_numerical_gradients(bench_modules):
    # W4's hand-written numpy (the reference every framework is checked against) is
    # itself checked here: its update is -lr times the gradient by central differences.
    frameworks, worker = bench_modules
    spec = {"batch": 3, "image": 8, "channels": [1, 2, 2], "classes": 4}
    params, x, y = worker.wl.cnn_data(spec, "float64")
    numpy_ref = frameworks.load("numpy_ref")[0]

    def loss(ps):
        return float(numpy_ref.cnn(ps, x, y, 0.0)[0]())

    step, current = numpy_ref.cnn(params, x, y, 1.0)
    step()
    rng = np.random.default_rng(0)
    for i, p in enumerate(params):
        for idx in [tuple(rng.integers(0, n) for n in p.shape) for _ in range(3)]:
            up, down = [q.copy() for q in params], [q.copy() for q in params]
            up[i][idx] += 1e-6
            down[i][idx] -= 1e-6
            numeric = (loss(up) - loss(down)) / 2e-6
            np.testing.assert_allclose(p[idx] - current()[i][idx], numeric, rtol=1e-5, atol=1e-8)

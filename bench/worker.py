"""One benchmark process, started by run.py with the thread counts already in its
environment (they must be set before numpy is imported).

    worker.py time   --dtype float64 --threads 1 --workloads W1,W2,W3,W4a,W4b --out f.json [--smoke]
    worker.py memory --dtype float64 --framework torch_eager --workload W3 --out f.json [--smoke]

``time`` checks every framework against numpy, then times them interleaved;
``memory`` runs W3 (or W4b) in this fresh process and reports its peak RSS over a baseline.
"""
import argparse
import gc
import json
import resource
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))   # the tinyflow checkout

import numpy as np  # noqa: E402

import workloads as wl  # noqa: E402
from frameworks import ORDER, PEERS, load  # noqa: E402

# Rounds of interleaved timing, and the least time one sample should take (seconds):
# fast calls are repeated within a sample so the timer's resolution does not matter.
ROUNDS = {"W1": 31, "W2": 31, "W3": 21, "W4a": 31, "W4b": 21}
SMOKE_ROUNDS = 3
SAMPLE_SECONDS = 0.05
SMOKE_SAMPLE_SECONDS = 0.002


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def build(module, workload, spec, dtype):
    """(callable to time, the result of its first call, parameters after it or None)."""
    if workload == "W1":
        run = module.w1(wl.w1_data(spec, dtype))
        value, grad = run()
        return run, (float(value), np.asarray(grad)), None
    params, x, y = _data(workload, spec, dtype)
    step, current = (module.cnn if workload in wl.CNN else module.mlp)(params, x, y, wl.LR)
    loss = float(step())
    return step, loss, current()


def _data(workload, spec, dtype):
    return (wl.cnn_data if workload in wl.CNN else wl.mlp_data)(spec, dtype)


def check(workload, spec, dtype, result, after, reference):
    """{error sizes} or raise AssertionError naming what differs from numpy."""
    tol = wl.TOLERANCE[dtype]
    ref_result, ref_after = reference
    if workload == "W1":
        (value, grad), (ref_value, ref_grad) = result, ref_result
        errors = {"value": wl.relative_error(value, ref_value),
                  "grad": wl.relative_error(grad, ref_grad)}
        dtypes = [grad.dtype]
    else:
        initial = _data(workload, spec, dtype)[0]
        errors = {"loss": wl.relative_error(result, ref_result)}
        # Compare each update (new - old = -lr * grad), so a small error in a gradient
        # is not hidden by the size of the parameter it updates.
        errors["update"] = max(
            wl.relative_error(a.astype(np.float64) - p, r.astype(np.float64) - p)
            for a, r, p in zip(after, ref_after, initial))
        dtypes = [a.dtype for a in after]
    bad_dtypes = {str(d) for d in dtypes if d != np.dtype(dtype)}
    if bad_dtypes:
        raise AssertionError(f"mismatch vs numpy: computed in {', '.join(sorted(bad_dtypes))}, "
                             f"expected {dtype}")
    worst = max(errors, key=errors.get)
    if not errors[worst] <= tol:
        raise AssertionError(f"mismatch vs numpy: {worst} relative error {errors[worst]:.2e} "
                             f"> {tol:.0e}")
    return errors


def describe(exc):
    """'error: ...', one line."""
    text = f"{type(exc).__name__}: {exc}" if not isinstance(exc, AssertionError) else str(exc)
    return "error: " + " ".join(text.split())[:300]


def timed(fn, k):
    gc.collect()             # other frameworks' garbage is not this one's cost
    start = time.perf_counter()
    for _ in range(k):
        fn()
    return (time.perf_counter() - start) / k


def measure(runners, rounds, sample_seconds, failed):
    """Interleaved timing: each round times every framework once, the order rotated
    each round. Returns {name: [seconds per call, one per round]} and calls per sample;
    a framework that raises goes into ``failed`` and out of the race."""
    repeats = {}
    for name, fn in list(runners.items()):
        try:
            timed(fn, 2)                                    # warm up
            once = min(timed(fn, 1) for _ in range(3))
        except Exception as exc:
            failed[name] = describe(exc)
            del runners[name]
            continue
        repeats[name] = max(1, round(sample_seconds / once))
    # Everything alive now (modules, graphs, data) stays: keep it out of gc's work.
    gc.collect()
    gc.freeze()
    samples = {name: [] for name in runners}
    names = list(runners)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            if name in failed:
                continue
            try:
                samples[name].append(timed(runners[name], repeats[name]))
            except Exception as exc:
                failed[name] = describe(exc)
    gc.unfreeze()
    return {n: s for n, s in samples.items() if n not in failed}, repeats


def time_workload(workload, dtype, threads, smoke):
    spec = (wl.SMOKE if smoke else wl.FULL)[workload]
    scale = 1e6 / wl.W1_OPS if workload == "W1" else 1e3     # seconds -> us/op or ms/step
    rows, runners = [], {}
    ref_module = load("numpy_ref")[0]
    _, ref_result, ref_after = build(ref_module, workload, spec, dtype)
    for name in ORDER:
        row = {"workload": workload, "dtype": dtype, "threads": threads, "framework": name,
               "unit": wl.UNITS[workload]}
        rows.append(row)
        module, missing = load(name)
        if missing:
            row.update(status=missing)
            continue
        row["label"] = module.NAME
        if workload in wl.CNN and not hasattr(module, "cnn"):
            row.update(status="no convolution")       # HIPS autograd has none
            continue
        try:
            module.setup(threads)
            fn, result, after = build(module, workload, spec, dtype)
            row["errors"] = check(workload, spec, dtype, result, after, (ref_result, ref_after))
        except Exception as exc:                       # recorded in the table, not fatal
            row.update(status=describe(exc))
            log(f"  {name}: {row['status']}")
            continue
        row["status"] = "ok"
        runners[name] = fn
    log(f"{workload} {dtype} {threads} thread(s): timing {', '.join(runners)}")
    rounds = SMOKE_ROUNDS if smoke else ROUNDS[workload]
    failed = {}
    samples, repeats = measure(runners, rounds, SMOKE_SAMPLE_SECONDS if smoke else SAMPLE_SECONDS,
                               failed)
    base, torch = samples.get("numpy_ref"), samples.get("torch_eager")
    for row in rows:
        name = row["framework"]
        if name in failed:
            row["status"] = failed[name]
        if name not in samples:
            continue
        s = samples[name]
        row.update(median=statistics.median(s) * scale, min=min(s) * scale,
                   samples=[v * scale for v in s],
                   rounds=rounds, calls_per_sample=repeats[name])
        if base:
            row["ratio"] = statistics.median(a / b for a, b in zip(s, base))
        if torch:                                      # W4's targets are against PyTorch
            row["ratio_torch"] = statistics.median(a / b for a, b in zip(s, torch))
    return rows


def versions():
    """Versions of numpy and of the peers this process could import."""
    found = {"numpy": np.__version__}
    for adapter, package in PEERS.items():
        found[package] = metadata.version(package) if load(adapter)[1] is None else "not installed"
    return found


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: i.get(k) for k in ("internal_api", "version", "num_threads")}
            for i in threadpool_info()]


def rss_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak():
    """Reset the kernel's peak-RSS mark (Linux); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory(framework, workload, dtype, smoke, steps=3):
    """Peak RSS of W3 (or W4b) steps above the RSS after imports, data and parameter
    setup: over all steps (the first one included), and over the steps after the first."""
    row = {"workload": workload, "dtype": dtype, "framework": framework, "unit": "MB"}
    module, missing = load(framework)
    if missing:
        return dict(row, status=missing)
    row["label"] = module.NAME
    if workload in wl.CNN and not hasattr(module, "cnn"):
        return dict(row, status="no convolution")
    try:
        module.setup(1)
        spec = (wl.SMOKE if smoke else wl.FULL)[workload]
        make = module.cnn if workload in wl.CNN else module.mlp
        step, _ = make(*_data(workload, spec, dtype), wl.LR)
        gc.collect()
        # ru_maxrss is a high-water mark: reset it, or else subtract the mark so far.
        exact = reset_peak()
        base = rss_kb("VmRSS") if exact else maxrss_kb()
        step()
        first = maxrss_kb()
        later = None
        if exact and reset_peak():
            for _ in range(steps - 1):
                step()
            later = maxrss_kb()
        else:
            for _ in range(steps - 1):
                step()
        peak = max(first, maxrss_kb())
    except Exception as exc:
        return dict(row, status=describe(exc))
    return dict(row, status="ok", peak_mb=(peak - base) / 1024, baseline_mb=base / 1024,
                later_steps_peak_mb=None if later is None else (later - base) / 1024,
                steps=steps, peak_reset=exact)


def maxrss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["time", "memory"])
    p.add_argument("--dtype", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workloads", default="W1,W2,W3,W4a,W4b")
    p.add_argument("--workload", default="W3", help="memory: the workload to run")
    p.add_argument("--framework")
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.mode == "time":
        rows = [r for w in a.workloads.split(",")
                for r in time_workload(w, a.dtype, a.threads, a.smoke)]
        out = {"timings": rows, "blas": blas_info(), "versions": versions()}
    else:
        out = {"memory": [memory(a.framework, a.workload, a.dtype, a.smoke)]}
    Path(a.out).write_text(json.dumps(out))


if __name__ == "__main__":
    main()

"""Running the TensorFlow 1 teaching programs of this folder, and comparing their RESULTS.

Each program ``NN_short_name.py`` here is a plain TF1 script that starts with

    # compare: exact            (or: # compare: trend)
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()

and leaves a dict ``RESULTS`` of plain Python values in its globals.

* ``run_program(path, target)`` runs one program in a fresh subprocess, in a fresh
  temporary directory: ``target="tinyflow"`` rewrites the import line to
  ``import tinyflow.compat.v1 as tf`` and uses the project's Python
  (``/work/main/.venv/bin/python``, or ``$TINYFLOW_PYTHON``); ``target="tensorflow"``
  runs the program unchanged with the oracle's Python (``$TF_PYTHON``, default
  ``/work/oracles/tf-venv/bin/python``). The child writes RESULTS (or the error it
  raised) as JSON to a file; stdout and stderr are kept too.
* ``compare(expected, actual, mode)`` returns a list of differences (empty: they agree).

Comparison rules
----------------
exact
    Same structure (dict keys, list lengths); ints, strings, None exact; bools are
    bools (``True`` is not ``1``); floats within rtol 1e-5 / atol 1e-6 (float32), or
    rtol 1e-10 / atol 1e-12 under any key ending in ``_f64`` (float64 results); NaN
    equals NaN, infinities must match.
trend
    For programs whose numbers depend on the framework's random generator. Everything
    that is not a float is compared exactly (shapes, dtypes, names, counts, and the
    robust criteria that each program computes itself as booleans, such as
    ``loss_fell_10x``, documented in the program); floats must be finite exactly where
    the expected ones are, and otherwise are informational; except under a key ending
    in ``_approx``, where they must agree within rtol 0.2.

The rules are this module's, so a program states its mode in its first line only.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
EXPECTED = HERE / "expected"
PROGRAM_RE = re.compile(r"^\d\d_[a-z0-9_]+\.py$")
TF_IMPORT = re.compile(r"^import tensorflow\.compat\.v1 as tf[ \t]*$", re.M)
MODE_RE = re.compile(r"^# compare: (exact|trend)\b")

RTOL32, ATOL32 = 1e-5, 1e-6
RTOL64, ATOL64 = 1e-10, 1e-12
RTOL_APPROX = 0.2


def tinyflow_python():
    env = os.environ.get("TINYFLOW_PYTHON")
    if env:
        return env
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def tensorflow_python():
    return os.environ.get("TF_PYTHON", "/work/oracles/tf-venv/bin/python")


def programs():
    """The program files of this folder, in order."""
    return sorted(p for p in HERE.iterdir() if PROGRAM_RE.match(p.name))


def mode_of(path):
    first = Path(path).read_text().splitlines()[0]
    m = MODE_RE.match(first)
    if not m:
        raise ValueError(f"{path}: the first line must be '# compare: exact' or '# compare: trend'")
    return m.group(1)


def rewrite(source, target):
    """The program's source for ``target``: only the import line changes."""
    if not TF_IMPORT.search(source):
        raise ValueError("program does not start with 'import tensorflow.compat.v1 as tf'")
    if target == "tinyflow":
        return TF_IMPORT.sub("import tinyflow.compat.v1 as tf", source, count=1)
    return source


# The child: exec the program as __main__, then write RESULTS (or the error) as JSON.
_CHILD = r'''
import json, sys, time, traceback
src_path, code_path, out_path = sys.argv[1:4]
source = open(code_path).read()
g = {"__name__": "__main__", "__file__": src_path, "__builtins__": __builtins__}
report = {"ok": False}
t0 = time.perf_counter()
try:
    exec(compile(source, src_path, "exec"), g)
    report["ok"] = True
except BaseException as e:
    tb = traceback.extract_tb(e.__traceback__)
    frames = [f for f in tb if f.filename == src_path]
    last = frames[-1] if frames else (tb[-1] if tb else None)
    report["error"] = {
        "type": type(e).__name__,
        "module": type(e).__module__,
        "message": str(e),
        "program_line": last.lineno if last else None,
        "program_code": (last.line or "") if last else "",
        "traceback": "".join(traceback.format_exception(type(e), e, e.__traceback__)),
    }
report["seconds"] = time.perf_counter() - t0
tf = g.get("tf")
report["framework"] = getattr(tf, "__name__", None)
report["framework_version"] = getattr(tf, "__version__", None)
results = g.get("RESULTS")
if results is not None:
    try:
        json.dumps(results, allow_nan=True)
        report["results"] = results
    except (TypeError, ValueError) as e:
        report["results_error"] = f"RESULTS is not plain JSON data: {e}"
        if report["ok"]:
            report["ok"] = False
            report["error"] = {"type": "ResultsNotPlain", "module": "harness",
                               "message": report["results_error"], "program_line": None,
                               "program_code": "", "traceback": ""}
elif report["ok"]:
    report["ok"] = False
    report["error"] = {"type": "NoResults", "module": "harness",
                       "message": "the program left no RESULTS dict", "program_line": None,
                       "program_code": "", "traceback": ""}
with open(out_path, "w") as f:
    json.dump(report, f, allow_nan=True)
'''


def run_program(path, target="tinyflow", python=None, timeout=120):
    """Run one program in a fresh subprocess and temp dir; returns the child's report
    (``ok``, ``results``, ``error``, ``seconds``) plus ``stdout``, ``stderr``, ``returncode``."""
    path = Path(path).resolve()
    if python is None:
        python = tinyflow_python() if target == "tinyflow" else tensorflow_python()
    env = dict(os.environ)
    env.update(PYTHONHASHSEED="0", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    if target == "tinyflow":
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    else:
        env.update(TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="",
                   TF_ENABLE_ONEDNN_OPTS="0")
    with tempfile.TemporaryDirectory(prefix="tf1prog-") as tmp:
        code = Path(tmp) / "program_source.py"
        code.write_text(rewrite(path.read_text(), target))
        out = Path(tmp) / "report.json"
        work = Path(tmp) / "cwd"
        work.mkdir()
        env["TMPDIR"] = str(work)
        try:
            proc = subprocess.run([python, "-c", _CHILD, str(path), str(code), str(out)],
                                  cwd=work, env=env, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return {"ok": False, "error": {"type": "Timeout", "module": "harness",
                                           "message": f"no end after {timeout} s",
                                           "program_line": None, "program_code": "",
                                           "traceback": ""},
                    "stdout": e.stdout or "", "stderr": e.stderr or "", "returncode": None}
        if out.exists():
            report = json.loads(out.read_text())
        else:
            report = {"ok": False, "error": {"type": "Crashed", "module": "harness",
                                             "message": f"the child exited {proc.returncode} "
                                                        f"without a report",
                                             "program_line": None, "program_code": "",
                                             "traceback": proc.stderr[-4000:]}}
    report.update(stdout=proc.stdout, stderr=proc.stderr, returncode=proc.returncode)
    return report


def load_expected(path):
    f = EXPECTED / (Path(path).stem + ".json")
    return json.loads(f.read_text()) if f.exists() else None


# --- comparing ----------------------------------------------------------------------

def _is_float(x):
    return isinstance(x, float)


def _close(e, a, rtol, atol):
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return e == a
    return abs(a - e) <= atol + rtol * abs(e)


def compare(expected, actual, mode, path="RESULTS", f64=False, approx=False):
    """Differences between two RESULTS values under ``mode`` ("exact" or "trend")."""
    out = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected a dict, got {type(actual).__name__} {_short(actual)}"]
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing:
            out.append(f"{path}: missing keys {missing}")
        if extra:
            out.append(f"{path}: unexpected keys {extra}")
        for k in expected:
            if k in actual:
                out += compare(expected[k], actual[k], mode, f"{path}[{k!r}]",
                               f64 or str(k).endswith("_f64"),
                               approx or str(k).endswith("_approx"))
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list of {len(expected)}, got {type(actual).__name__} "
                    f"{_short(actual)}"]
        if len(expected) != len(actual):
            return [f"{path}: expected a list of {len(expected)}, got {len(actual)}: "
                    f"{_short(actual)} (expected {_short(expected)})"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += compare(e, a, mode, f"{path}[{i}]", f64, approx)
            if len(out) > 5:
                break
        return out
    if _is_float(expected):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return [f"{path}: expected float {expected!r}, got {type(actual).__name__} "
                    f"{_short(actual)}"]
        a = float(actual)
        if not isinstance(actual, float) and mode == "exact":
            return [f"{path}: expected float {expected!r}, got int {actual!r}"]
        if mode == "trend" and not approx:
            if math.isfinite(expected) != math.isfinite(a):
                return [f"{path}: expected {'a finite' if math.isfinite(expected) else 'a non-finite'}"
                        f" float, got {a!r}"]
            return []
        rtol, atol = (RTOL_APPROX, ATOL32) if approx else (RTOL64, ATOL64) if f64 else (RTOL32, ATOL32)
        if not _close(expected, a, rtol, atol):
            return [f"{path}: expected {expected!r}, got {a!r} (rtol {rtol:g})"]
        return []
    if isinstance(expected, bool) or isinstance(actual, bool):
        if type(expected) is not type(actual) or expected != actual:
            return [f"{path}: expected {expected!r}, got {_short(actual)}"]
        return []
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: expected {_short(expected)}, got {_short(actual)}"]
    return []


def _short(x, n=160):
    r = repr(x)
    return r if len(r) <= n else r[:n] + "..."


def first_error_line(report):
    """One line saying why a run failed (its exception), or None."""
    err = report.get("error")
    if not err:
        return None
    msg = err["message"].strip().splitlines()
    where = f" (line {err['program_line']}: {err['program_code'].strip()})" \
        if err.get("program_line") else ""
    return f"{err['type']}: {msg[0] if msg else ''}{where}"

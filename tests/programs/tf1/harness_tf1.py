"""Running the TensorFlow 1 teaching programs of this folder against stored references.

The program conventions and the comparison rules are the shared ones of
``tests/programs/harness.py`` (this module imports it and uses its ``header``,
``swap_imports``, ``encode`` and ``compare``): each ``NN_short_name.py`` here is a plain
TF1 script whose first line is ``# compare: exact [float32|float64]`` or
``# compare: trend``, that starts with

    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()

and leaves a dict ``RESULTS`` of plain Python values (and optionally ``COMPARE``
rules) in its globals.

What differs from the shared harness is how the programs run, because TensorFlow
cannot be in the project's virtualenv and CI has no TensorFlow:

* the reference is real TensorFlow 1 semantics (``tf.compat.v1`` after
  ``disable_v2_behavior()``), run once with the oracle's own Python by
  ``record_expected.py`` and stored in ``expected/NN_short_name.json``;
* ``run_program(path, "tinyflow")`` runs a program in a fresh subprocess (the
  project's ``.venv/bin/python`` or ``$TINYFLOW_PYTHON``; the tinyflow of this
  checkout, or of ``$TINYFLOW_SRC``), in a fresh temporary directory, with
  ``import tensorflow.compat.v1 as tf`` swapped to ``import tinyflow.compat.v1 as tf``;
  ``run_program(path, "tensorflow")`` runs it unchanged with ``$TF_PYTHON`` (default
  ``/work/oracles/tf-venv/bin/python``), with ``TF_USE_LEGACY_KERAS=1`` (``tf.layers``
  needs Keras 2: ``tf_keras``), ``TF_ENABLE_ONEDNN_OPTS=0`` and no GPU.

Both write the child's report (RESULTS encoded by ``harness.encode``, or the error)
as JSON to a file, so what the program prints does not matter.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
EXPECTED = HERE / "expected"
SHARED = HERE.parent / "harness.py"


def _load_shared():
    spec = importlib.util.spec_from_file_location("tests_programs_harness", SHARED)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


shared = _load_shared()


def tinyflow_python():
    env = os.environ.get("TINYFLOW_PYTHON")
    if env:
        return env
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def tensorflow_python():
    return os.environ.get("TF_PYTHON", "/work/oracles/tf-venv/bin/python")


def programs(names=()):
    """The program files of this folder, in order (those whose name contains one of
    ``names``, or starts with it, if given)."""
    return [Path(p) for p in shared.programs("tf1", tuple(names))]


def header(path):
    """(mode, precision) from the program's first line."""
    return shared.header(str(path))


def rewrite(source, target):
    """The program's source for ``target``: only the tensorflow imports change."""
    if target == "tinyflow":
        return shared.swap_imports(source, "tinyflow", original="tensorflow")
    return source


# The child: exec the program as __main__, then write RESULTS (or the error) as JSON.
_CHILD = r'''
import importlib.util, json, sys, time, traceback
shared_path, src_path, code_path, out_path = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("tests_programs_harness", shared_path)
shared = importlib.util.module_from_spec(spec); spec.loader.exec_module(shared)
source = open(code_path).read()
sys.argv = [src_path]
g = {"__name__": "__main__", "__file__": src_path, "__builtins__": __builtins__}
report = {"ok": False, "results": None, "compare": {}, "error": None}
t0 = time.perf_counter()
try:
    exec(compile(source, src_path, "exec", dont_inherit=True), g)
    if "RESULTS" not in g:
        raise RuntimeError("the program left no RESULTS dict")
    if not isinstance(g["RESULTS"], dict):
        raise TypeError(f"RESULTS is a {type(g['RESULTS']).__name__}, not a dict")
    report["results"] = shared.encode(g["RESULTS"])
    report["compare"] = {str(k): str(v) for k, v in g.get("COMPARE", {}).items()}
    report["ok"] = True
except BaseException as e:
    tb = traceback.extract_tb(e.__traceback__)
    mine = [f for f in tb if f.filename == src_path]
    report["error"] = {
        "type": type(e).__name__,
        "message": str(e),
        "lineno": mine[-1].lineno if mine else None,
        "line": (mine[-1].line or "").strip() if mine else None,
        "origin": f"{tb[-1].filename}:{tb[-1].lineno} in {tb[-1].name}" if tb else None,
        "traceback": "".join(traceback.format_exception(type(e), e, e.__traceback__))[-6000:],
    }
report["seconds"] = time.perf_counter() - t0
tf = g.get("tf")
report["framework"] = getattr(tf, "__name__", None)
report["framework_version"] = getattr(tf, "__version__", None)
sys.stdout.flush()
with open(out_path, "w") as f:
    json.dump(report, f)
'''


def _failed(kind, message, stdout="", stderr=""):
    return {"ok": False, "results": None, "compare": {}, "seconds": 0.0,
            "error": {"type": kind, "message": message, "lineno": None, "line": None,
                      "origin": None, "traceback": ""},
            "stdout": stdout or "", "stderr": stderr or ""}


def run_program(path, target="tinyflow", python=None, timeout=300, env_extra=None):
    """Run one program in a fresh subprocess and temporary directory. Returns the
    child's report: ``ok``, ``results`` (encoded RESULTS), ``compare``, ``error``
    (``type``, ``message``, ``lineno``, ``line``, ``origin``, ``traceback``),
    ``seconds``, ``framework_version``, plus ``stdout`` and ``stderr``.
    ``env_extra``: environment variables to set for the child, after the defaults."""
    path = Path(path).resolve()
    if python is None:
        python = tinyflow_python() if target == "tinyflow" else tensorflow_python()
    env = dict(os.environ)
    env.update(PYTHONHASHSEED="0", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    if target == "tinyflow":
        src = os.environ.get("TINYFLOW_SRC", str(REPO))     # the folder that holds tinyflow/
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    else:
        env.update(TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="",
                   TF_ENABLE_ONEDNN_OPTS="0")
    env.update(env_extra or {})
    with tempfile.TemporaryDirectory(prefix="tf1prog-") as tmp:
        code = Path(tmp) / "program_source.py"
        code.write_text(rewrite(path.read_text(), target))
        out = Path(tmp) / "report.json"
        work = Path(tmp) / "cwd"
        work.mkdir()
        env["TMPDIR"] = str(work)            # tempfile.mkdtemp() in a program lands in here
        try:
            proc = subprocess.run([python, "-c", _CHILD, str(SHARED), str(path), str(code),
                                   str(out)], cwd=work, env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return _failed("TimeoutError", f"no answer after {timeout} s", e.stdout, e.stderr)
        if not out.exists():
            return _failed("ChildDied", f"exit code {proc.returncode}, no report written",
                           proc.stdout, proc.stderr[-6000:])
        report = json.loads(out.read_text())
    report.update(stdout=proc.stdout[-6000:], stderr=proc.stderr[-6000:])
    return report


def load_expected(path):
    f = EXPECTED / (Path(path).stem + ".json")
    return json.loads(f.read_text()) if f.exists() else None


def compare(expected, run, path):
    """Differences between a stored reference (``load_expected``) and a run's report,
    under the program's mode and precision and the reference's COMPARE rules."""
    mode, precision = header(path)
    return shared.compare(expected["results"], run["results"], mode, precision,
                          expected.get("compare", {}))


def error_line(report):
    """One line saying why a run failed (its exception and the program's line), or None."""
    err = report.get("error")
    if not err:
        return None
    msg = str(err["message"]).strip().splitlines()
    where = f" (line {err['lineno']}: {err['line']})" if err.get("lineno") else ""
    return f"{err['type']}: {msg[0] if msg else ''}{where}"

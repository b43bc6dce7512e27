"""Record the expected RESULTS of the TF1 programs by running them under real TensorFlow.

CI has no TensorFlow: ``check_tf1_programs.py`` compares tinyflow's runs against the
JSON files this script writes into ``expected/``. Regenerate them when a program
changes (or to check them against a newer TensorFlow).

Setup (once, outside the repository; about 2 GB; never in the project's .venv)::

    python3 -m venv /work/oracles/tf-venv
    /work/oracles/tf-venv/bin/pip install tensorflow-cpu tf_keras numpy

The stored file holds the program's RESULTS as ``tests/programs/harness.py``'s ``encode``
gives them, its COMPARE rules, its mode and the TensorFlow version.

Use (any Python 3.10+ runs this script; it starts the TensorFlow one per program)::

    python tests/programs/tf1/record_expected.py                 # all programs
    python tests/programs/tf1/record_expected.py 07 12           # some, by number or name
    python tests/programs/tf1/record_expected.py --repeat 3      # also re-run to vet
    python tests/programs/tf1/record_expected.py --check-only    # vet, write nothing

Options: ``--tf-python PATH`` (default ``$TF_PYTHON`` or /work/oracles/tf-venv/bin/python).
``--repeat N`` runs each program N more times and requires the runs to agree under the
program's own mode: for ``trend`` programs that shows their criteria hold whatever the
framework's random generator draws; for ``exact`` programs the re-runs switch oneDNN's
kernels on (``TF_ENABLE_ONEDNN_OPTS=1``: other summation orders), which shows that
float32 rounding differences stay inside the exact tolerance.

Each program runs with TF 1 semantics (``tf.compat.v1`` after ``disable_v2_behavior()``),
with ``TF_USE_LEGACY_KERAS=1`` (``tf.layers`` needs Keras 2, the ``tf_keras`` package),
``TF_ENABLE_ONEDNN_OPTS=0`` and ``CUDA_VISIBLE_DEVICES=""``.
"""
import argparse
import json
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness_tf1 as h  # noqa: E402


def select(names):
    progs = h.programs(names)
    if not progs:
        raise SystemExit(f"no program matches {names}")
    return progs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--tf-python", default=h.tensorflow_python())
    ap.add_argument("--repeat", type=int, default=0)
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args(argv)
    h.EXPECTED.mkdir(exist_ok=True)
    failed = 0
    for path in select(args.names):
        mode, precision = h.header(path)
        rep = h.run_program(path, "tensorflow", python=args.tf_python)
        if not rep["ok"]:
            failed += 1
            print(f"{path.name:34} {mode:5} ERROR under TensorFlow: {h.error_line(rep)}")
            print(rep["error"]["traceback"][-2000:])
            continue
        problems = []
        for k in range(args.repeat):
            extra = {"TF_ENABLE_ONEDNN_OPTS": "1"} if mode == "exact" else None
            again = h.run_program(path, "tensorflow", python=args.tf_python, env_extra=extra)
            if not again["ok"]:
                problems.append(f"repeat {k + 1}: {h.error_line(again)}")
            else:
                problems += [f"repeat {k + 1}: {d}" for d in h.compare(rep, again, path)]
        status = "ok" if not problems else "UNSTABLE"
        print(f"{path.name:34} {mode:5} {status:8} {rep['seconds']:5.2f} s  "
              f"TensorFlow {rep['framework_version']}")
        for p in problems[:8]:
            print("    " + p)
        if problems:
            failed += 1
            continue
        if not args.check_only:
            data = {
                "program": path.name,
                "mode": mode,
                "precision": precision,
                "framework": "tensorflow",
                "tensorflow_version": rep["framework_version"],
                "semantics": "tf.compat.v1 with disable_v2_behavior()",
                "python": platform.python_version(),
                "results": rep["results"],
                "compare": rep["compare"],
            }
            (h.EXPECTED / (path.stem + ".json")).write_text(
                json.dumps(data, indent=1, sort_keys=False, allow_nan=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

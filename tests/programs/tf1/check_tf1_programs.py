"""Do the TF1 teaching programs run under ``tinyflow.compat.v1`` as under TensorFlow 1?

Each program of this folder runs in a fresh subprocess (the project's Python, a
temporary working directory) with its ``import tensorflow.compat.v1 as tf`` line
rewritten to ``import tinyflow.compat.v1 as tf``; its ``RESULTS`` are compared with
what real TensorFlow produced (``expected/NN_name.json``, written by
``record_expected.py``), under the program's mode and the shared comparison rules of
``tests/programs/harness.py``.

The collected test is ``test_tf1_programs.py``; this checker also runs on its own:

    .venv/bin/python -m pytest tests/programs/tf1/check_tf1_programs.py
    .venv/bin/python tests/programs/tf1/check_tf1_programs.py [NN ...] [-v] [--json FILE]

The second form prints a table (program, mode, result, seconds, first error or
difference) and ends with the line ``N passed, M failed``.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness_tf1 as h  # noqa: E402

try:
    import pytest
except ImportError:          # the CLI works without pytest
    pytest = None


def check(path):
    """(status, detail, report): status is PASS, DIFF, ERROR or NOREF."""
    expected = h.load_expected(path)
    if expected is None:
        return "NOREF", "no expected JSON: run record_expected.py with TensorFlow", None
    rep = h.run_program(path, "tinyflow")
    if not rep["ok"]:
        return "ERROR", h.error_line(rep), rep
    diffs = h.compare(expected, rep, path)
    if diffs:
        return "DIFF", "; ".join(diffs[:3]) + (f" (+{len(diffs) - 3} more)" if len(diffs) > 3 else ""), rep
    return "PASS", "", rep


if pytest is not None:
    @pytest.mark.parametrize("path", h.programs(), ids=lambda p: p.stem)
    def test_tf1_program(path):
        status, detail, rep = check(path)
        if status == "ERROR":
            pytest.fail(f"{path.name} raised under tinyflow: {detail}\n\n"
                        f"{rep['error']['traceback'][-3000:]}", pytrace=False)
        if status != "PASS":
            pytest.fail(f"{path.name}: {status}: {detail}", pytrace=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="program numbers or names (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print tracebacks and all differences")
    ap.add_argument("--json", help="write every program's status and report to this file")
    args = ap.parse_args(argv)
    progs = h.programs(args.names)
    rows, dump = [], {}
    print(f"{'program':34} {'mode':7} {'result':6} {'secs':>5}  detail")
    for path in progs:
        status, detail, rep = check(path)
        secs = f"{rep.get('seconds', 0):5.2f}" if rep else "    -"
        mode, precision = h.header(path)
        mode = mode if mode == "trend" else f"exact{precision[-2:]}"
        print(f"{path.name:34} {mode:7} {status:6} {secs}  {detail}", flush=True)
        if args.verbose and rep and status == "ERROR":
            print(rep["error"]["traceback"])
        if args.verbose and status == "DIFF":
            for d in h.compare(h.load_expected(path), rep, path):
                print("    " + d)
        rows.append(status)
        dump[path.name] = {"status": status, "detail": detail,
                           "report": {k: v for k, v in (rep or {}).items()}}
    if args.json:
        Path(args.json).write_text(json.dumps(dump, indent=1, default=str))
    passed = rows.count("PASS")
    print(f"{passed} passed, {len(rows) - passed} failed")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())

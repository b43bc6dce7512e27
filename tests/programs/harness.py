"""Run a framework's own programs under tinyflow, with only their imports changed, and
compare what they compute with what the real framework computes.

A *program* is a plain script in ``tests/programs/<family>/NN_name.py`` (family ``torch``:
PyTorch programs). It runs top to bottom, as a tutorial would, and at the end leaves in
its globals:

* ``RESULTS``: a dict of plain Python values (floats, ints, bools, strings, None, and
  lists / tuples / dicts of them): loss histories, accuracies, shapes as lists, dtype
  strings as the program prints them (``str(t.dtype)``), ...
* optionally ``COMPARE``: a dict ``{key: rule}`` choosing how some keys of RESULTS are
  compared (rules below); the reference run's COMPARE is the one used.

Its first line declares how the two runs are compared::

    # compare: exact            deterministic across frameworks, float32 tolerances
    # compare: exact float64    deterministic, computed in float64: tight tolerances
    # compare: trend            uses the framework's RNG (init, shuffling, dropout)

"exact" means every number the program computes is fixed by the program: all data and
initial weights come from numpy with a fixed seed or from explicit values, and the
framework's random generator affects no number (``--selfcheck`` verifies this by running
the reference again with the framework's generator seeded differently).

Rules (a key's rule applies to everything under it)
----------------------------------------------------
``exact``     the default in exact mode. Strings, ints, bools, None: equal. Floats:
              ``|got - ref| <= atol + rtol * |ref|`` with (rtol, atol) = (1e-5, 1e-6) for
              float32 programs and (1e-10, 1e-12) for float64 ones; NaN matches NaN.
              Lists: same length, compared item by item. Dicts: same keys.
``close:rtol=R,atol=A``  floats with the tolerances given (either may be left out).
``equal``     strict equality, floats included.
``trend``     a loss history (a list of floats). Its "end" is the mean of its last three
              entries (fewer if shorter), which evens out epoch-to-epoch noise. The
              reference must fall: ``end / first < 0.5`` (else the program is a bad trend
              test); the other run must be finite everywhere, have the same length and
              fall too (``end / first < 0.5``); its first loss must be within a factor 3
              of the reference's (catches a different default initialization scale) and
              its end within a factor 10 of the reference's, give or take
              ``0.05 * max(first losses)`` (so two losses that both reach ~0 agree).
``abs:T``     floats within T of each other (absolute), e.g. ``abs:0.15`` for accuracies.
``finite``    same type and length; floats finite.
``type``      same type (and length for lists) only.
``ignore``    not compared.

Defaults in trend mode: non-float values (ints, strings, bools, shapes) are ``exact``;
float values under a key containing ``loss`` are ``trend`` (a single float: ``finite``);
under a key containing ``acc``, ``abs:0.15``; any other float is ``finite``.

Values that are not plain Python values (a numpy scalar, a tensor, a torch.Size stored
as such is fine: a tuple) are reported as differences: a program written for PyTorch
that calls ``.item()`` or ``len()`` must get a Python ``float`` / ``int`` back.

Usage
-----
``python tests/programs/harness.py torch [names...]`` runs the programs of family
``torch`` (all, or those whose file name contains one of ``names``) under real PyTorch
and under tinyflow and prints a table. Options: ``-j N`` (parallel runs),
``--diffs`` (every difference, and the traceback's origin of each error),
``--selfcheck`` (runs the reference a second time with the framework's RNG seeded
differently and compares the two with the program's own rules: verifies that "exact"
programs do not depend on the RNG and that "trend" criteria hold across seeds),
``--framework NAME`` (the package the imports are swapped to; default ``tinyflow``),
``--json FILE`` (write every run and difference).

Children run with ``sys.executable`` in a fresh temporary working directory, with
``OMP_NUM_THREADS=1`` (and MKL / OpenBLAS threads 1) and ``PYTHONHASHSEED=0``; the rest
of the environment (``PYTHONPATH`` included) is inherited.
"""
import argparse
import ast
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TIMEOUT = 300

# --------------------------------------------------------------------------- imports


def swap_imports(source, framework, original="torch"):
    """Rewrite the import statements of ``source`` so that the top-level package
    ``original`` (``torch``) becomes ``framework`` (``tinyflow``); nothing else changes,
    and every line keeps its number.

    * ``import torch``                  -> ``import tinyflow as torch``
    * ``import torch as th``            -> ``import tinyflow as th``
    * ``import torch.nn as nn``         -> ``import tinyflow.nn as nn``
    * ``import torch.nn``               -> ``import tinyflow.nn; import tinyflow as torch``
    * ``import torch, numpy as np``     -> ``import tinyflow as torch; import numpy as np``
    * ``from torch import nn, optim``   -> ``from tinyflow import nn, optim``
    * ``from torch.utils.data import X`` -> ``from tinyflow.utils.data import X``

    Imports anywhere (inside functions too) are rewritten; strings and comments are not.
    With ``framework == original`` the source is returned unchanged.
    """
    if framework == original:
        return source
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []          # (lineno, col_start, end_lineno, col_end, text): byte columns
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 0 and (mod == original or mod.startswith(original + ".")):
                first = lines[node.lineno - 1].encode()
                head = first[node.col_offset:].decode()
                m = re.match(r"from(\s+)" + re.escape(original) + r"\b", head)
                if m is None:       # an odd spelling (a backslash after "from")
                    raise ValueError(f"line {node.lineno}: cannot rewrite {head.strip()!r}")
                start = node.col_offset + len(("from" + m.group(1)).encode())
                edits.append((node.lineno, start, node.lineno, start + len(original.encode()),
                              framework))
        elif isinstance(node, ast.Import):
            if not any(a.name == original or a.name.startswith(original + ".")
                       for a in node.names):
                continue
            parts = []
            for a in node.names:
                if a.name == original:
                    parts.append(f"import {framework} as {a.asname or original}")
                elif a.name.startswith(original + "."):
                    new = framework + a.name[len(original):]
                    if a.asname:
                        parts.append(f"import {new} as {a.asname}")
                    else:       # `import torch.nn` binds the name torch to the package
                        parts.append(f"import {new}; import {framework} as {original}")
                else:
                    parts.append(f"import {a.name}" + (f" as {a.asname}" if a.asname else ""))
            text = "; ".join(parts)
            if node.end_lineno > node.lineno:
                # keep the line count: blank lines first, then the statement, indented as before
                indent = lines[node.lineno - 1].encode()[:node.col_offset].decode()
                text = "\n" * (node.end_lineno - node.lineno) + indent + text
            edits.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset,
                          text))
    # apply from the end so that earlier offsets stay valid
    for lineno, c0, end_lineno, c1, text in sorted(edits, reverse=True):
        first = lines[lineno - 1].encode()
        last = lines[end_lineno - 1].encode()
        new = first[:c0].decode() + text + last[c1:].decode()
        if lineno != end_lineno and first[:c0].strip():
            raise ValueError(f"line {lineno}: cannot rewrite a multi-line import that follows "
                             f"other code on its line")
        lines[lineno - 1:end_lineno] = [new]
    return "".join(lines)


# --------------------------------------------------------------------------- programs


def programs(family="torch", names=()):
    """The program files of ``family``, sorted, optionally only those whose file name
    contains one of ``names``."""
    folder = os.path.join(HERE, family)
    files = sorted(f for f in os.listdir(folder)
                   if f.endswith(".py") and re.match(r"\d\d_", f))
    if names:
        files = [f for f in files if any(n in f for n in names)]
    return [os.path.join(folder, f) for f in files]


def header(path):
    """(mode, precision) from the program's first line ``# compare: MODE [PRECISION]``."""
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    m = re.match(r"#\s*compare:\s*(exact|trend)\b\s*(float32|float64)?", first)
    if m is None:
        raise ValueError(f"{path}: the first line must be '# compare: exact|trend [float32|float64]'")
    return m.group(1), m.group(2) or "float32"


# --------------------------------------------------------------------------- running

_CHILD = """\
import sys, importlib.util
spec = importlib.util.spec_from_file_location("_program_harness", {harness!r})
h = importlib.util.module_from_spec(spec); spec.loader.exec_module(h)
h._child_main({program!r}, {framework!r}, {out!r})
"""


def run_program(path, framework, timeout=DEFAULT_TIMEOUT, perturb_rng=None, original="torch"):
    """Run one program in a fresh subprocess (``sys.executable``, a temporary working
    directory, one thread) with its imports swapped to ``framework``.

    Returns a dict: ``ok`` (bool), ``results`` (the program's RESULTS, decoded: see
    ``encode``), ``compare`` (its COMPARE rules or {}), ``error`` (None, or a dict with
    ``type``, ``message``, ``lineno`` and ``line`` -- the innermost line *of the program*
    on the traceback -- and ``origin``, the innermost frame anywhere, as
    ``file:line in function``), ``seconds``, ``stdout`` and ``stderr`` (their tails).

    ``perturb_rng=k`` (reference framework only) seeds the framework's generator
    differently: at start, and on every ``manual_seed(s)`` call (s -> s + 7919 * k + 17).
    """
    path = os.path.abspath(path)
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONSTARTUP", None)
    if perturb_rng:
        env["HARNESS_PERTURB_RNG"] = str(int(perturb_rng))
    else:
        env.pop("HARNESS_PERTURB_RNG", None)
    with tempfile.TemporaryDirectory(prefix="program-") as work:
        out = os.path.join(work, "_harness_out.json")
        code = _CHILD.format(harness=os.path.abspath(__file__), program=path,
                             framework=framework, out=out)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-c", code], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return _failed("TimeoutError", f"no answer after {timeout} s", time.perf_counter() - t0,
                           e.stdout, e.stderr)
        seconds = time.perf_counter() - t0
        if not os.path.exists(out):
            return _failed("ChildDied", f"exit code {proc.returncode}, no result written",
                           seconds, proc.stdout, proc.stderr)
        with open(out, encoding="utf-8") as f:
            res = json.load(f)
    res["seconds"] = seconds
    res["stdout"] = _tail(proc.stdout)
    res["stderr"] = _tail(proc.stderr)
    return res


def _tail(text, n=4000):
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    text = text or ""
    return text if len(text) <= n else "..." + text[-n:]


def _failed(kind, message, seconds, stdout, stderr):
    return {"ok": False, "results": None, "compare": {}, "seconds": seconds,
            "error": {"type": kind, "message": message, "lineno": None, "line": None,
                      "origin": None},
            "stdout": _tail(stdout), "stderr": _tail(stderr)}


def _child_main(path, framework, out):
    """Runs in the child: swap, exec, encode RESULTS (or the error) to ``out``."""
    sys.argv = [path]
    with open(path, encoding="utf-8") as f:
        source = f.read()
    res = {"ok": False, "results": None, "compare": {}, "error": None}
    try:
        source = swap_imports(source, framework)
        code = compile(source, path, "exec", dont_inherit=True)
        k = os.environ.get("HARNESS_PERTURB_RNG")
        if k:
            _perturb_rng(framework, int(k))
        glb = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
        exec(code, glb)
        if "RESULTS" not in glb:
            raise RuntimeError("the program left no RESULTS dict")
        if not isinstance(glb["RESULTS"], dict):
            raise TypeError(f"RESULTS is a {type(glb['RESULTS']).__name__}, not a dict")
        res["results"] = encode(glb["RESULTS"])
        rules = glb.get("COMPARE", {})
        res["compare"] = {str(k): str(v) for k, v in rules.items()}
        res["ok"] = True
    except BaseException as e:  # noqa: B036 -- SystemExit and KeyboardInterrupt are reported too
        res["error"] = _describe(e, path)
    sys.stdout.flush()
    with open(out, "w", encoding="utf-8") as f:
        json.dump(res, f)


def _perturb_rng(framework, k):
    mod = __import__(framework)
    original = mod.manual_seed

    def manual_seed(seed):
        return original(int(seed) + 7919 * k + 17)
    mod.manual_seed = manual_seed
    original(31 * k + 5)


def _describe(e, path):
    frames = traceback.extract_tb(e.__traceback__)
    mine = [f for f in frames if os.path.abspath(f.filename) == path]
    err = {"type": type(e).__name__, "message": str(e), "lineno": None, "line": None,
           "origin": None, "traceback": "".join(traceback.format_exception(e))[-6000:]}
    if mine:
        err["lineno"], err["line"] = mine[-1].lineno, (mine[-1].line or "").strip()
    elif isinstance(e, SyntaxError) and e.filename and os.path.abspath(e.filename) == path:
        err["lineno"], err["line"] = e.lineno, (e.text or "").strip()
    if frames:
        f = frames[-1]
        err["origin"] = f"{_short(f.filename)}:{f.lineno} in {f.name}"
    return err


def _short(filename):
    parts = filename.replace("\\", "/").split("/")
    for anchor in ("site-packages", "tinyflow", "programs"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i + (anchor == "site-packages"):])
    return filename


# --------------------------------------------------------------------------- encoding

_PLAIN = (bool, int, float, str, type(None))


def encode(value):
    """RESULTS -> JSON-able data, keeping exact Python types: bool, int, float (NaN and
    infinities as ``{"__float__": "nan"}``...), str, None, lists (tuples become lists),
    dicts with string keys. Anything else becomes ``{"__nonplain__": type name, "repr":
    ..., "value": its plain value if it has one}``, which compare() reports."""
    t = type(value)
    if t is float:
        if math.isfinite(value):
            return value
        return {"__float__": repr(value)}
    if t in (bool, int, str, type(None)):
        return value
    if t in (list, tuple):
        return [encode(v) for v in value]
    if t is dict:
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, tuple) and t.__name__ == "Size":      # torch.Size: a tuple
        return [encode(v) for v in value]
    plain = None
    try:
        if hasattr(value, "tolist") and getattr(value, "ndim", 0) != 0:
            plain = encode(value.tolist())
        elif hasattr(value, "__index__") and not isinstance(value, float):
            plain = int(value)
        else:
            plain = encode(float(value))
    except Exception:  # noqa: BLE001
        plain = None
    return {"__nonplain__": f"{t.__module__}.{t.__qualname__}", "repr": repr(value)[:200],
            "value": plain}


def _decode_float(v):
    if isinstance(v, dict) and "__float__" in v:
        return float(v["__float__"])
    return v


def _kind(v):
    v = _decode_float(v)
    if isinstance(v, dict) and "__nonplain__" in v:
        return "nonplain"
    return {bool: "bool", int: "int", float: "float", str: "str", type(None): "None",
            list: "list", dict: "dict"}[type(v)]


# --------------------------------------------------------------------------- comparing

TOLERANCES = {"float32": (1e-5, 1e-6), "float64": (1e-10, 1e-12)}


def compare(ref, got, mode, precision="float32", rules=None):
    """Differences between two RESULTS dicts (as run_program returns them), as a list
    of human-readable strings; [] when they agree. ``mode`` is "exact" or "trend",
    ``rules`` the program's COMPARE dict (see the module docstring)."""
    diffs = []
    rules = dict(rules or {})
    rtol, atol = TOLERANCES[precision]
    if not isinstance(got, dict):
        return [f"RESULTS: expected a dict, got {got!r}"]
    for key in ref:
        if key not in got:
            diffs.append(f"RESULTS[{key!r}]: missing")
            continue
        rule = rules.get(key) or _default_rule(key, ref[key], mode)
        _cmp(ref[key], got[key], f"RESULTS[{key!r}]", rule, key, mode, (rtol, atol), rules,
             diffs)
    for key in got:
        if key not in ref:
            diffs.append(f"RESULTS[{key!r}]: unexpected key")
    return diffs


def _has_float(v):
    v = _decode_float(v)
    if isinstance(v, float):
        return True
    if isinstance(v, list):
        return any(_has_float(x) for x in v)
    if isinstance(v, dict) and "__nonplain__" not in v:
        return any(_has_float(x) for x in v.values())
    return False


def _default_rule(key, value, mode):
    if mode == "exact":
        return "exact"
    if not _has_float(value):
        return "exact"
    k = key.lower()
    if "loss" in k:
        return "trend" if isinstance(value, list) else "finite"
    if "acc" in k:
        return "abs:0.15"
    return "finite"


def _fmt(v):
    v = _decode_float(v)
    if isinstance(v, dict) and "__nonplain__" in v:
        s = f"<{v['__nonplain__']} {' '.join(v['repr'].split())}>"
    else:
        s = repr(v)
    return s if len(s) <= 120 else s[:117] + "..."


def _parse_rule(rule):
    name, _, arg = rule.partition(":")
    return name.strip(), arg.strip()


def _cmp(ref, got, where, rule, key, mode, tol, rules, diffs):
    name, arg = _parse_rule(rule)
    if name == "ignore":
        return
    ref, got = _decode_float(ref), _decode_float(got)
    if isinstance(got, str) and isinstance(ref, str):
        # a name printed by the library says which library it is ("tinyflow.float32" where
        # PyTorch prints "torch.float32"): the program imported tinyflow *as* torch
        got = got.replace("tinyflow.", "torch.")
    kr, kg = _kind(ref), _kind(got)
    if kg == "nonplain":
        diffs.append(f"{where}: not a plain Python value: {_fmt(got)} (reference: "
                     f"{type(ref).__name__} {_fmt(ref)})")
        return
    if kr != kg:
        diffs.append(f"{where}: {_fmt(got)} ({kg}), expected {_fmt(ref)} ({kr})")
        return
    if name == "type":
        if kr == "list" and len(ref) != len(got):
            diffs.append(f"{where}: length {len(got)}, expected {len(ref)}")
        return
    if name == "trend" and kr == "list":
        _trend(ref, got, where, diffs)
        return
    if kr == "dict":
        for k in ref:
            if k not in got:
                diffs.append(f"{where}[{k!r}]: missing")
            else:
                sub = rule if (key in rules or mode == "exact") else _default_rule(k, ref[k], mode)
                _cmp(ref[k], got[k], f"{where}[{k!r}]", sub, k, mode, tol, rules, diffs)
        for k in got:
            if k not in ref:
                diffs.append(f"{where}[{k!r}]: unexpected key")
        return
    if kr == "list":
        if len(ref) != len(got):
            diffs.append(f"{where}: length {len(got)}, expected {len(ref)}: {_fmt(got)} vs "
                         f"{_fmt(ref)}")
            return
        before = len(diffs)
        for i, (a, b) in enumerate(zip(ref, got)):
            _cmp(a, b, f"{where}[{i}]", rule, key, mode, tol, rules, diffs)
            if len(diffs) - before >= 3:
                diffs.append(f"{where}: (further items not compared)")
                break
        return
    if kr != "float":
        if name != "finite" and ref != got:
            if kr == "str" and max(len(ref), len(got)) > 60:
                i = next((i for i, (a, b) in enumerate(zip(ref, got)) if a != b),
                         min(len(ref), len(got)))
                a = max(0, i - 20)
                diffs.append(f"{where}: strings differ at character {i}: ...{got[a:i + 40]!r}, "
                             f"expected ...{ref[a:i + 40]!r}")
            else:
                diffs.append(f"{where}: {_fmt(got)}, expected {_fmt(ref)}")
        return
    # floats
    if name == "finite":
        if not math.isfinite(got):
            diffs.append(f"{where}: {got!r} is not finite (reference {ref!r})")
        return
    if name == "equal":
        if not (ref == got or (math.isnan(ref) and math.isnan(got))):
            diffs.append(f"{where}: {got!r}, expected exactly {ref!r}")
        return
    if name == "abs":
        t = float(arg)
        if not abs(got - ref) <= t:
            diffs.append(f"{where}: {got!r}, expected {ref!r} +- {t}")
        return
    rtol, atol = tol
    if name == "close":
        for part in filter(None, (p.strip() for p in arg.split(","))):
            k, _, v = part.partition("=")
            if k.strip() == "rtol":
                rtol = float(v)
            elif k.strip() == "atol":
                atol = float(v)
    if math.isnan(ref) or math.isnan(got):
        if not (math.isnan(ref) and math.isnan(got)):
            diffs.append(f"{where}: {got!r}, expected {ref!r}")
        return
    if math.isinf(ref) or math.isinf(got):
        if ref != got:
            diffs.append(f"{where}: {got!r}, expected {ref!r}")
        return
    if not abs(got - ref) <= atol + rtol * abs(ref):
        rel = abs(got - ref) / abs(ref) if ref else float("inf")
        diffs.append(f"{where}: {got!r}, expected {ref!r} (relative difference {rel:.2g}; "
                     f"rtol {rtol:g}, atol {atol:g})")


def _trend(ref, got, where, diffs):
    ref = [_decode_float(v) for v in ref]
    got = [_decode_float(v) for v in got]
    if not ref or not all(isinstance(v, float) for v in ref):
        diffs.append(f"{where}: the reference is not a list of floats, so not a loss history")
        return
    if len(ref) != len(got):
        diffs.append(f"{where}: {len(got)} losses, expected {len(ref)}")
        return
    if not all(isinstance(v, float) for v in got):
        diffs.append(f"{where}: not all floats: {_fmt(got)}")
        return
    if not all(math.isfinite(v) for v in got):
        diffs.append(f"{where}: not finite: {_fmt(got)}")
        return
    tail = min(3, len(ref))
    ref_end, got_end = sum(ref[-tail:]) / tail, sum(got[-tail:]) / tail
    if not (ref[0] > 0 and ref_end / ref[0] < 0.5):
        diffs.append(f"{where}: the reference loss does not fall by half ({ref[0]:.4g} -> "
                     f"{ref_end:.4g}): a bad trend test")
        return
    if not (got[0] > 0 and got_end / got[0] < 0.5):
        diffs.append(f"{where}: the loss does not fall by half: {got[0]:.4g} -> {got_end:.4g} "
                     f"(reference {ref[0]:.4g} -> {ref_end:.4g}; ends: means of the last {tail})")
    if not (ref[0] / 3 <= got[0] <= ref[0] * 3):
        diffs.append(f"{where}: first loss {got[0]:.4g}, not within a factor 3 of the "
                     f"reference's {ref[0]:.4g}")
    slack = 0.05 * max(ref[0], got[0])
    if not (got_end <= 10 * ref_end + slack and ref_end <= 10 * got_end + slack):
        diffs.append(f"{where}: end loss {got_end:.4g}, not within a factor 10 of the "
                     f"reference's {ref_end:.4g} (means of the last {tail})")


# --------------------------------------------------------------------------- checking


def check(path, framework="tinyflow", original="torch", reference=None, timeout=DEFAULT_TIMEOUT):
    """Run ``path`` under the reference (unless given) and under ``framework``.
    Returns (reference run, framework run, differences); a failed run is a difference."""
    mode, precision = header(path)
    ref = reference or run_program(path, original, timeout)
    got = run_program(path, framework, timeout)
    if not ref["ok"]:
        return ref, got, [f"the reference ({original}) fails: {_error_line(ref['error'])}"]
    if not got["ok"]:
        return ref, got, [f"{framework} fails: {_error_line(got['error'])}"]
    return ref, got, compare(ref["results"], got["results"], mode, precision, ref["compare"])


def _error_line(err):
    if err is None:
        return ""
    msg = " ".join(str(err["message"]).split())
    if len(msg) > 300:
        msg = msg[:297] + "..."
    at = f" at line {err['lineno']}: {err['line']}" if err.get("lineno") else ""
    return f"{err['type']}: {msg}{at}"


def _selfcheck(path, original, k, timeout):
    mode, precision = header(path)
    a = run_program(path, original, timeout)
    b = run_program(path, original, timeout, perturb_rng=k)
    if not (a["ok"] and b["ok"]):
        return a, [f"fails: {_error_line((a if not a['ok'] else b)['error'])}"]
    diffs = compare(a["results"], b["results"], mode, precision, a["compare"])
    if mode == "exact" and not diffs:
        loose = {k for k, r in a["compare"].items()
                 if _parse_rule(r)[0] not in ("exact", "equal", "close")}
        strict = [k for k in a["results"] if k not in loose]
        if any(json.dumps(a["results"][k]) != json.dumps(b["results"].get(k)) for k in strict):
            diffs = ["(within tolerance, but not bit-identical: the RNG reaches some number)"]
    return a, diffs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("family", help="program family: the folder under tests/programs (torch)")
    p.add_argument("names", nargs="*", help="only programs whose file name contains one of these")
    p.add_argument("--framework", default="tinyflow")
    p.add_argument("-j", "--jobs", type=int, default=1)
    p.add_argument("--diffs", action="store_true", help="print every difference")
    p.add_argument("--selfcheck", type=int, nargs="?", const=1, default=0, metavar="K",
                   help="compare the reference with itself, its RNG seeded differently (K)")
    p.add_argument("--json", help="write all runs and differences to this file")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = p.parse_args(argv)
    files = programs(args.family, args.names)
    if not files:
        p.error("no program matches")
    original = args.family

    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        if args.selfcheck:
            outcomes = list(pool.map(lambda f: _selfcheck(f, original, args.selfcheck,
                                                          args.timeout), files))
        else:
            outcomes = list(pool.map(lambda f: check(f, args.framework, original,
                                                     timeout=args.timeout), files))
    rows, report = [], []
    n_ok = 0
    for path, outcome in zip(files, outcomes):
        name = os.path.basename(path)[:-3]
        mode, precision = header(path)
        mode_s = mode if mode == "trend" else f"exact {precision[-2:]}"
        if args.selfcheck:
            ref, diffs = outcome
            status = "ok" if not diffs else "DIFF"
            rows.append((name, mode_s, f"{'ok' if ref['ok'] else 'ERROR'} {ref['seconds']:.1f}s",
                         status, diffs[0] if diffs else ""))
            n_ok += not diffs
            report.append({"program": name, "diffs": diffs})
            continue
        ref, got, diffs = outcome
        torch_s = f"{'ok' if ref['ok'] else 'ERROR'} {ref['seconds']:.1f}s"
        if not ref["ok"]:
            status = "-"
        elif not got["ok"]:
            status = f"ERROR {got['seconds']:.1f}s"
        elif diffs:
            status = f"DIFF({len(diffs)}) {got['seconds']:.1f}s"
        else:
            status = f"ok {got['seconds']:.1f}s"
            n_ok += 1
        first = diffs[0] if diffs else ""
        rows.append((name, mode_s, torch_s, status, first))
        report.append({"program": name, "mode": mode, "precision": precision,
                       "reference": ref, "run": got, "diffs": diffs})
    head = ("program", "mode", args.family, "selfcheck" if args.selfcheck else args.framework,
            "first difference or error")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(4)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  " + head[4]
    print(line)
    print("-" * min(len(line) + 40, 160))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + r[4])
        if args.diffs and not args.selfcheck:
            entry = report[rows.index(r)]
            for d in entry["diffs"][1:]:
                print(" " * (sum(widths) + 8) + d)
            for run in (entry["reference"], entry["run"]):
                if run and run.get("error") and run["error"].get("origin"):
                    print(" " * (sum(widths) + 8) + f"(raised at {run['error']['origin']})")
    print(f"\n{n_ok} passed, {len(rows) - n_ok} failed")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0 if n_ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""``launch``: run a function or a script on N MPI ranks, from Python (a
notebook, a test) instead of a shell, and get each rank's result back.

>>> from tinyflow.distributed import launch
>>> launch("train.py", nprocs=2)              # doctest: +SKIP
['rank 0 of 2\\n', 'rank 1 of 2\\n']          # a script: each rank's printed output
>>> launch(mymodule.train, nprocs=2, args=(0.1,))   # doctest: +SKIP
[0.27, 0.27]                                  # a function: each rank's return value

It runs ``mpiexec -n N python ...`` with the ``mpiexec`` next to this Python
(the mpich wheel puts it in the venv's ``bin/``). A function is found again in
each rank by its module and name, so it must be defined in a ``.py`` file (not
in a notebook cell). Arguments and return values travel as JSON plus an
``.npz`` for arrays -- never pickle. Each rank's output goes to its own file,
so lines from different ranks do not interleave.

If a rank raises, it writes its traceback and aborts the MPI job, which stops
the other ranks; ``launch`` then raises ``LaunchError`` with that traceback.
After ``timeout`` seconds every rank is stopped and ``TimeoutError`` is raised.
"""
import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np

from ..eager.tensor import Tensor
from .process_group import MPI_EXTRA


class LaunchError(RuntimeError):
    """A rank failed; ``rank`` says which, ``traceback`` is its traceback text."""

    def __init__(self, message, rank=None, traceback=None):
        super().__init__(message)
        self.rank = rank
        self.traceback = traceback


def find_mpiexec():
    """The ``mpiexec`` beside this Python (the mpich wheel's), else the one on PATH."""
    here = Path(sys.executable).parent / "mpiexec"
    if here.exists():
        return str(here)
    import shutil
    found = shutil.which("mpiexec")
    if found is None:
        raise RuntimeError(f"launch: no mpiexec found next to {sys.executable} or on PATH. "
                           f"Install MPI with: {MPI_EXTRA}")
    return found


def launch(fn_or_script, nprocs, args=(), timeout=600):
    """Run ``fn_or_script`` on ``nprocs`` ranks and return a list with one
    entry per rank: the function's return value, or the script's output text.

    For a function, ``args`` are its positional arguments (numbers, strings,
    numpy arrays, Tensors, and lists/tuples/dicts of them), and what the ranks
    print is shown here afterwards, prefixed by ``[rank r]``. For a script,
    ``args`` are its command-line arguments.
    """
    mpiexec = find_mpiexec()
    with tempfile.TemporaryDirectory(prefix="tinyflow-launch-") as tmp:
        work = Path(tmp)
        spec = {"sys_path": sys.path, "argv": [str(a) for a in args]}
        if callable(fn_or_script):
            spec.update(_function_spec(fn_or_script))
            _save(work / "args", tuple(args))
        else:
            script = Path(fn_or_script)
            if not script.is_file():
                raise FileNotFoundError(f"launch: no script {script}")
            spec.update(kind="script", script=str(script.resolve()))
        (work / "spec.json").write_text(json.dumps(spec))
        cmd = [mpiexec, "-n", str(nprocs), sys.executable, "-c",
               "from tinyflow.distributed.launch import rank_main; rank_main()",
               str(work / "spec.json")]
        _run(cmd, work, nprocs, timeout)
        if spec["kind"] == "script":
            return [_read(work / f"rank{r}.stdout") for r in range(nprocs)]
        _show_output(work, nprocs)
        missing = [r for r in range(nprocs) if not (work / f"rank{r}.result.json").exists()]
        if missing:
            raise LaunchError(f"launch: ranks {missing} returned no result (did they call "
                              f"sys.exit()?)")
        return [_load(work / f"rank{r}.result") for r in range(nprocs)]


def _function_spec(fn):
    module, name = fn.__module__, fn.__qualname__
    if "<" in name:     # <lambda>, <locals>
        raise ValueError(f"launch: {name} cannot be found again by the ranks; define the function "
                         f"at the top level of a .py file (or pass a script path)")
    file = getattr(sys.modules.get(module), "__file__", None)
    if module == "__main__" and file is None:
        raise ValueError(f"launch: {name} is defined in a notebook or an interactive session, "
                         f"where the ranks cannot import it; put it in a .py file and import it "
                         f"from there")
    return {"kind": "function", "module": module, "name": name, "file": file}


# --- the parent side: run mpiexec, watch it, collect the ranks' results --------------------------

def _run(cmd, work, nprocs, timeout):
    # Harmless for MPICH; let Open MPI run as root and put more ranks than cores.
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               PRTE_MCA_rmaps_default_mapping_policy=":oversubscribe")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc, work)
        raise TimeoutError(f"launch: the {nprocs} ranks did not finish within {timeout} s and were "
                           f"stopped.{_tails(work, nprocs)}") from None
    except BaseException:            # KeyboardInterrupt in a notebook: leave nothing running
        _stop(proc, work)
        raise
    errors = sorted(work.glob("rank*.error"), key=lambda p: p.stat().st_mtime)
    if errors:                       # the first rank to fail is the cause; others were stopped
        rank = int(errors[0].stem[4:])
        text = errors[0].read_text()
        raise LaunchError(f"launch: rank {rank} of {nprocs} failed:\n{text}", rank, text)
    if proc.returncode != 0:
        raise LaunchError(f"launch: mpiexec exited with code {proc.returncode}:\n{out}"
                          f"{_tails(work, nprocs)}")


def _stop(proc, work):
    """Stop mpiexec (it stops its ranks), then any rank that is still alive."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
    # mpiexec starts each rank in a session of its own, so killing mpiexec's process
    # group would miss them: the ranks wrote their pids, so stop those directly.
    for pid_file in work.glob("rank*.pid"):
        pid = int(pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and str(work) not in cmdline.read_text(errors="replace"):
            continue                 # that pid now belongs to someone else
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _read(path):
    return path.read_text(errors="replace") if path.exists() else ""


def _tails(work, nprocs, lines=20):
    parts = []
    for r in range(nprocs):
        text = (_read(work / f"rank{r}.stdout") + _read(work / f"rank{r}.stderr")).strip()
        if text:
            parts.append(f"\n--- rank {r} output (last {lines} lines) ---\n"
                         + "\n".join(text.splitlines()[-lines:]))
    return "".join(parts)


def _show_output(work, nprocs):
    for r in range(nprocs):
        for kind, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
            for line in _read(work / f"rank{r}.{kind}").splitlines():
                print(f"[rank {r}] {line}", file=stream)


# --- values as JSON + npz (no pickle) ------------------------------------------------------------

def _encode(value, arrays):
    if isinstance(value, (Tensor, np.ndarray)):
        kind = "tensor" if isinstance(value, Tensor) else "array"
        arr = np.asarray(value.array if isinstance(value, Tensor) else value)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"launch: cannot send an array of dtype {arr.dtype}")
        key = f"a{len(arrays)}"
        arrays[key] = arr
        return {kind: key}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode(v, arrays) for k, v in value.items()}}
    raise TypeError(f"launch: cannot send a value of type {type(value).__name__} between "
                    f"processes; use numbers, strings, numpy arrays, Tensors, and lists, tuples "
                    f"and dicts (with string keys) of them")


def _decode(value, arrays):
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if isinstance(value, dict):
        (kind, body), = value.items()
        if kind == "array":
            return arrays[body]
        if kind == "tensor":
            return Tensor(arrays[body])
        if kind == "tuple":
            return tuple(_decode(v, arrays) for v in body)
        return {k: _decode(v, arrays) for k, v in body.items()}
    return value


def _save(stem, value):
    arrays = {}
    Path(f"{stem}.json").write_text(json.dumps(_encode(value, arrays)))
    np.savez(f"{stem}.npz", **arrays)


def _load(stem):
    with np.load(f"{stem}.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return _decode(json.loads(Path(f"{stem}.json").read_text()), arrays)


# --- the rank side: what each of the N processes runs --------------------------------------------

def rank_main():
    """Entry point of every rank: ``python -c '...rank_main()' spec.json``."""
    spec_path = Path(sys.argv[1])
    work = spec_path.parent
    spec = json.loads(spec_path.read_text())
    from mpi4py import MPI                  # starts MPI
    rank = MPI.COMM_WORLD.Get_rank()
    (work / f"rank{rank}.pid").write_text(str(os.getpid()))
    _redirect(1, work / f"rank{rank}.stdout")
    _redirect(2, work / f"rank{rank}.stderr")
    sys.path[:0] = [p for p in spec["sys_path"] if p not in sys.path]
    try:
        if spec["kind"] == "script":
            import runpy
            sys.argv = [spec["script"]] + spec["argv"]
            runpy.run_path(spec["script"], run_name="__main__")
        else:
            fn = _find_function(spec)
            _save(work / f"rank{rank}.result", fn(*_load(work / "args")))
    except SystemExit as e:
        if e.code not in (None, 0):
            _fail(work, rank, f"SystemExit: {e.code}\n")
    except BaseException:
        _fail(work, rank, traceback.format_exc())
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _redirect(fd, path):
    """Send this process's file descriptor ``fd`` (1 stdout, 2 stderr) to a file:
    Python's prints and C libraries' output alike."""
    sys.stdout.flush()
    sys.stderr.flush()
    f = open(path, "w")
    os.dup2(f.fileno(), fd)
    f.close()


def _find_function(spec):
    if spec["module"] == "__main__":
        # The launching script: load its file under another name, so that its
        # ``if __name__ == "__main__":`` block does not run again in every rank.
        module_spec = importlib.util.spec_from_file_location("__mp_main__", spec["file"])
        module = importlib.util.module_from_spec(module_spec)
        sys.modules["__mp_main__"] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(spec["module"])
    fn = module
    for part in spec["name"].split("."):
        fn = getattr(fn, part)
    return fn


def _fail(work, rank, text):
    """Leave the traceback for ``launch``, then abort the whole MPI job: the other
    ranks may be waiting for this one in a collective, and would wait forever."""
    (work / f"rank{rank}.error").write_text(text)
    sys.stdout.flush()
    sys.stderr.flush()
    from mpi4py import MPI
    MPI.COMM_WORLD.Abort(1)
    os._exit(1)                 # in case Abort returns (MPICH's can): mpiexec then stops the rest

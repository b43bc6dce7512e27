"""The benchmark suite: ``make bench`` (or ``python bench/run.py``).

Spawns worker processes (bench/worker.py) with the BLAS/OpenMP thread counts set in
their environment, collects what they measure, writes bench/results/latest.json and
latest.md and prints the table. ``--smoke`` runs tiny sizes with few repetitions:
it checks every framework against numpy and never judges time. Exits 1 if any
framework errs or disagrees with numpy (a missing peer is not an error).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import report
from frameworks import ORDER

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DTYPES = ["float64", "float32"]
THREAD_VARS = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"]
# Timing workers keep freed memory in the heap (glibc's malloc). By default glibc hands
# memory back to the kernel when enough is free at the top of the heap, and the next
# step page-faults it in again: whether that happens to a framework depended on
# unrelated allocations (importing torch stopped it for numpy), and it swung W2 by 30%.
MALLOC_TUNING = "glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=33554432"
# Memory workers do the opposite: every block of 128 KB or more is mapped on its own and
# handed back to the kernel when freed, so RSS follows the live arrays. With glibc's default
# (a threshold that grows), the peak depended on how the heap happened to be fragmented:
# editing a docstring moved tinyflow eager's W3 peak by one 4 MB array.
MALLOC_MEMORY = "glibc.malloc.mmap_threshold=131072"


def worker(args, threads, timeout):
    """Run bench/worker.py with ``threads`` BLAS threads, echoing its progress;
    its JSON result, or an error."""
    env = dict(os.environ, **{v: str(threads) for v in THREAD_VARS})
    env["GLIBC_TUNABLES"] = MALLOC_TUNING if args[0] == "time" else MALLOC_MEMORY
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, str(BENCH / "worker.py"), *args, "--out", str(out)]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        killed = []
        timer = threading.Timer(timeout, lambda: (killed.append(True), proc.kill()))
        timer.start()
        last = "no output"
        for line in proc.stdout:
            sys.stderr.write(line)
            last = line.strip() or last
        code = proc.wait()
        timer.cancel()
        if killed:
            return None, f"error: worker timed out after {timeout} s: {' '.join(args)}"
        if code or not out.exists():
            return None, f"error: worker exited {code}: {last}"
        return json.loads(out.read_text()), None


MEMORY_WORKLOADS = ["W3", "W4b"]


def plan():
    """(dtype, threads, workloads) for each timing worker (the CNNs in workers of their own)."""
    runs = [(d, 1, ["W1", "W2", "W3"]) for d in DTYPES]
    runs += [(d, 2, ["W3"]) for d in DTYPES]
    return runs + [(d, 1, ["W4a", "W4b"]) for d in DTYPES]


def collect(smoke, timeout):
    timings, memory, blas, versions = [], [], {}, {}
    flag = ["--smoke"] if smoke else []
    for dtype, threads, names in plan():
        print(f"timing {','.join(names)} {dtype} with {threads} thread(s)", file=sys.stderr)
        got, err = worker(["time", "--dtype", dtype, "--threads", str(threads),
                           "--workloads", ",".join(names), *flag], threads, timeout)
        if err:
            got = {"timings": [{"workload": w, "dtype": dtype, "threads": threads,
                                "framework": f, "status": err} for w in names for f in ORDER]}
        timings += got["timings"]
        blas.setdefault(f"{dtype}, {threads} thread(s)", got.get("blas"))
        versions = versions or got.get("versions", {})
    for workload in MEMORY_WORKLOADS:
        for dtype in DTYPES[:1] if smoke else DTYPES:
            print(f"peak memory of {workload} {dtype}, one fresh process per framework",
                  file=sys.stderr)
            for name in ORDER:
                got, err = worker(["memory", "--dtype", dtype, "--framework", name,
                                   "--workload", workload, *flag], 1, timeout)
                memory += got["memory"] if got else [{"workload": workload, "dtype": dtype,
                                                      "framework": name, "status": err}]
    for workload in MEMORY_WORKLOADS:
        for dtype in DTYPES:
            rows = [r for r in memory if r["dtype"] == dtype and r["workload"] == workload]
            for key, peer in (("ratio", "numpy_ref"), ("ratio_torch", "torch_eager")):
                base = next((r for r in rows if r["framework"] == peer and "peak_mb" in r), None)
                for r in rows:       # a ratio of ~0 MB is noise
                    if base and "peak_mb" in r and base["peak_mb"] >= 1:
                        r[key] = r["peak_mb"] / base["peak_mb"]
    return timings, memory, blas, versions


def package(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def git_commit():
    """The checkout's commit, read from .git without running git."""
    try:
        head = (ROOT / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            head = (ROOT / ".git" / head[5:]).read_text().strip()
        return head[:12]
    except OSError:
        return None


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def meta(smoke, blas, start, load, versions):
    return {
        "date": start.strftime("%Y-%m-%d %H:%M UTC"),
        "smoke": smoke,
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": load,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "python": platform.python_version(),
        "versions": versions or {p: package(p) for p in ("numpy", "torch", "autograd")},
        "tinyflow_commit": git_commit(),
        "blas": blas,
    }


def update_readme(table):
    """Put the table into bench/README.md, between its two markers."""
    readme = BENCH / "README.md"
    begin, end = "<!-- latest results: begin -->", "<!-- latest results: end -->"
    text = readme.read_text() if readme.exists() else ""
    if begin in text and end in text:
        body = table.split("\n", 2)[2].strip().replace("\n## ", "\n### ")   # drop the title
        head, rest = text.split(begin, 1)
        readme.write_text(f"{head}{begin}\n{body}\n{end}{rest.split(end, 1)[1]}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--smoke", action="store_true", help="tiny sizes, few repetitions: a check")
    p.add_argument("--out", help="JSON path (the table goes next to it as .md); default "
                                 "bench/results/latest.json, or nothing written with --smoke")
    a = p.parse_args()
    start = datetime.datetime.now(datetime.timezone.utc)
    load = [round(x, 2) for x in os.getloadavg()]
    timings, memory, blas, versions = collect(a.smoke, timeout=300 if a.smoke else 1200)
    failures = [f"{r['workload']} {r['dtype']} {r.get('threads', 1)} thread(s) "
                f"{r['framework']}: {r['status']}"
                for r in timings + memory if r["status"].startswith("error")]
    result = {"meta": meta(a.smoke, blas, start, load, versions),
              "workloads": report.workloads(a.smoke), "timings": timings, "memory": memory, "failures": failures, "ok": not failures}
    table = report.markdown(result)
    out = a.out or (None if a.smoke else str(BENCH / "results" / "latest.json"))
    if out:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n")
        out.with_suffix(".md").write_text(table)
    if not a.out and not a.smoke:
        update_readme(table)
    print(table)
    if out:
        print(f"wrote {out} and {out.with_suffix('.md')}")
    if failures:
        print(f"{len(failures)} failure(s):", *failures, sep="\n  ", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""The markdown table of a run's JSON: one table per dtype, a row per framework."""
import workloads as wl
from frameworks import ORDER

COLUMNS = [("W1", 1, "W1 µs/op"), ("W2", 1, "W2 ms/step"), ("W3", 1, "W3 ms/step"),
           ("W3", 2, "W3 ms/step, 2 threads")]
FALLBACK_LABELS = {"numpy_ref": "numpy (hand-written)", "tinyflow_eager": "tinyflow eager",
                   "tinyflow_graph": "tinyflow graph (Session)",
                   "tinyflow_function": "tinyflow.function", "torch_eager": "PyTorch eager",
                   "hips_autograd": "HIPS autograd"}


def workloads(smoke):
    """What each workload is, at the sizes this run used."""
    sizes = wl.SMOKE if smoke else wl.FULL
    return {w: {"description": wl.DESCRIPTIONS[w], "unit": wl.UNITS[w], **sizes[w],
                **({"ops": wl.W1_OPS} if w == "W1" else {"lr": wl.LR})} for w in sizes}


def _cell(row, notes):
    if row is None:
        return "-"
    if row["status"] == "ok":
        value = row.get("median", row.get("peak_mb"))
        ratio = row.get("ratio")
        return f"{value:.3g}" + (f" ({ratio:.2f}x)" if ratio is not None else "")
    if row["status"].startswith("error"):
        notes.append(row["status"][len("error: "):])
        return f"error [{len(notes)}]"
    return row["status"]


def _labels(result):
    labels = dict(FALLBACK_LABELS)
    for row in result["timings"] + result["memory"]:
        if "label" in row:
            labels[row["framework"]] = row["label"]
    return labels


def _header(result):
    m = result["meta"]
    mach, v = m["machine"], m["versions"]
    blas = next((b for b in (m.get("blas") or {}).values() if b), None)
    blas_text = ", ".join(f"{b['internal_api']} {b['version'] or ''}".strip() for b in blas or [])
    return [
        f"Run {m['date']}{' (smoke: tiny sizes, timings meaningless)' if m['smoke'] else ''} "
        f"on {mach['cpu']}, {mach['cores']} cores, {mach['platform']}, load average "
        f"{' '.join(map(str, mach['load_average_at_start']))} at start.",
        f"Python {m['python']}, numpy {v['numpy']}"
        f"{f' ({blas_text})' if blas_text else ''}, torch {v['torch']}, "
        f"autograd {v['autograd']}; tinyflow commit {m['tinyflow_commit']}.",
        "",
        "Medians over interleaved rounds; (Nx) is the median over rounds of the time "
        "divided by hand-written numpy's in the same round. W3 peak MB: the peak RSS of three "
        "W3 steps in a fresh process, 1 thread, above its RSS after imports and setup "
        "(Nx: over numpy's).",
    ]


def markdown(result):
    labels = _labels(result)
    lines = ["# tinyflow benchmarks", ""] + _header(result)
    notes = []
    for dtype in ("float64", "float32"):
        timings = {(r["workload"], r.get("threads", 1), r["framework"]): r
                   for r in result["timings"] if r["dtype"] == dtype}
        memory = {r["framework"]: r for r in result["memory"] if r["dtype"] == dtype}
        lines += ["", f"## {dtype}", "",
                  "| framework | " + " | ".join(c[2] for c in COLUMNS) + " | W3 peak MB |",
                  "|---" * (len(COLUMNS) + 2) + "|"]
        for name in ORDER:
            cells = [_cell(timings.get((w, t, name)), notes) for w, t, _ in COLUMNS]
            cells.append(_cell(memory.get(name), notes))
            lines.append(f"| {labels[name]} | " + " | ".join(cells) + " |")
    if notes:
        lines += ["", "Errors:", ""] + [f"{i}. {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"

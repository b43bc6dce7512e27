"""The markdown table of a run's JSON: one table per dtype, a row per framework."""
import workloads as wl
from frameworks import ORDER

COLUMNS = [("W1", 1, "W1 µs/op"), ("W2", 1, "W2 ms/step"), ("W3", 1, "W3 ms/step"),
           ("W3", 2, "W3 ms/step, 2 threads"), ("W4a", 1, "W4a ms/step"), ("W4b", 1, "W4b ms/step")]
MEMORY_COLUMNS = [("W3", "W3 peak MB"), ("W4b", "W4b peak MB")]
TINYFLOW = ["tinyflow_eager", "tinyflow_graph", "tinyflow_function"]
FALLBACK_LABELS = {"numpy_ref": "numpy (hand-written)", "tinyflow_eager": "tinyflow eager",
                   "tinyflow_graph": "tinyflow graph (Session)",
                   "tinyflow_function": "tinyflow.function",
                   "minimal_tape": "minimal tape (no checks)", "torch_eager": "PyTorch eager",
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
        f"{' '.join(map(str, mach['load_average_at_start']))} at start, "
        f"{' '.join(map(str, mach.get('load_average_at_end', [])))} at end.",
        f"Python {m['python']}, numpy {v['numpy']}"
        f"{f' ({blas_text})' if blas_text else ''}, torch {v['torch']}, "
        f"autograd {v['autograd']}; tinyflow commit {m['tinyflow_commit']}.",
        "",
        "Medians over interleaved rounds; (Nx) is the median over rounds of the time "
        "divided by hand-written numpy's in the same round. W4a: lesson 13's CNN (1x8x8), "
        "W4b: an MNIST-sized CNN (1x28x28), batch 64. Peak MB: the peak RSS of three "
        "steps in a fresh process, 1 thread, above its RSS after imports and setup "
        "(Nx: over numpy's).",
    ]


def _against_torch(timings, memory, labels):
    """W4's targets are ratios to PyTorch: each tinyflow mode's time over PyTorch's in the
    same round (the median over rounds), and its peak memory over PyTorch's."""
    rows = []
    for name in TINYFLOW:
        cells = [timings.get((w, 1, name), {}).get("ratio_torch") for w in ("W4a", "W4b")]
        cells.append(memory.get(("W4b", name), {}).get("ratio_torch"))
        if any(c is not None for c in cells):
            rows.append(f"| {labels[name]} | " + " | ".join(
                "-" if c is None else f"{c:.2f}x" for c in cells) + " |")
    if not rows:
        return []
    return ["", "Against PyTorch (paired in each round; memory: peak over PyTorch's peak). "
            "Targets in float32 (issue #22): eager ≤ 1.3x, graph and tinyflow.function ≤ 1.2x, "
            "memory ≤ 1.5x.", "",
            "| framework | W4a time | W4b time | W4b peak memory |", "|---|---|---|---|"] + rows


def markdown(result):
    labels = _labels(result)
    lines = ["# tinyflow benchmarks", ""] + _header(result)
    notes = []
    for dtype in ("float64", "float32"):
        timings = {(r["workload"], r.get("threads", 1), r["framework"]): r
                   for r in result["timings"] if r["dtype"] == dtype}
        memory = {(r["workload"], r["framework"]): r for r in result["memory"]
                  if r["dtype"] == dtype}
        heads = [c[2] for c in COLUMNS] + [c[1] for c in MEMORY_COLUMNS]
        lines += ["", f"## {dtype}", "", "| framework | " + " | ".join(heads) + " |",
                  "|---" * (len(heads) + 1) + "|"]
        for name in ORDER:
            cells = [_cell(timings.get((w, t, name)), notes) for w, t, _ in COLUMNS]
            cells += [_cell(memory.get((w, name)), notes) for w, _ in MEMORY_COLUMNS]
            lines.append(f"| {labels[name]} | " + " | ".join(cells) + " |")
        lines += _against_torch(timings, memory, labels)
    if notes:
        lines += ["", "Errors:", ""] + [f"{i}. {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"

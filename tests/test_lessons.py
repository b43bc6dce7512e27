"""The lessons in notebooks/ are stored executed, deterministic and in the course's shape.

nbval (``make test-notebooks``) re-executes every lesson and compares its outputs with the
stored ones: that is the staleness check. These tests check what nbval does not, without
running anything: that the stored notebook came from one clean top-to-bottom run, carries no
widget state, shows no memory address or machine-specific path, fails only where it means to,
and follows the lesson template (What you will learn ... Exercises, hidden solutions); and
that every cell comparing tinyflow with real PyTorch shows PyTorch results stored for exactly
the code it shows, so that it prints the same with and without PyTorch installed.
"""
import json
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

ADDRESS = re.compile(r"0x[0-9a-f]{6,}", re.IGNORECASE)
BINARY_MIME = ("image/png", "image/jpeg", "image/gif")
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"


def _read(path):
    return nbformat.read(str(path), as_version=nbformat.NO_CONVERT)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _headings(cell):
    return [line.lstrip("#").strip() for line in cell.source.splitlines()
            if re.match(r"^#{1,6}\s", line)]


def _output_texts(cell):
    """Every text a code cell shows: streams, rich text, error names and messages."""
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            yield out.get("text", "")
        elif kind == "error":
            yield out.get("ename", "")
            yield out.get("evalue", "")
            yield "\n".join(out.get("traceback", []))
        else:
            for mime, value in out.get("data", {}).items():
                if mime in BINARY_MIME:
                    continue
                yield value if isinstance(value, str) else str(value)


def _where(i, cell):
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else "<empty>"
    return f"code cell {i + 1} ({first!r})"


pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no lessons in notebooks/ yet")


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def lesson(request):
    return request.param, _read(request.param)


def test_is_valid_nbformat(lesson):
    path, nb = lesson
    assert nb.nbformat == 4, f"{path.name}: nbformat {nb.nbformat}, expected 4"
    nbformat.validate(nb)


def test_every_code_cell_ran_once_in_order(lesson):
    """Stored outputs come from one clean top-to-bottom run (tools/run_notebooks.py)."""
    path, nb = lesson
    cells = _code_cells(nb)
    assert cells, f"{path.name} has no code cells"
    counts = [c.execution_count for c in cells]
    unrun = [_where(i, c) for i, c in enumerate(cells) if c.execution_count is None]
    assert not unrun, (f"{path.name}: never executed: {unrun} (empty code cells are never "
                       f"executed: remove them or give them a comment); re-run "
                       f"tools/run_notebooks.py notebooks/{path.name}")
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} are not 1, 2, 3, ...: the outputs are not from "
        f"one top-to-bottom run; re-run tools/run_notebooks.py notebooks/{path.name}")


def test_no_widget_state_is_stored(lesson):
    path, nb = lesson
    assert "widgets" not in nb.metadata, (
        f"{path.name}: metadata.widgets holds widget state (it changes every run); "
        f"re-run tools/run_notebooks.py, which does not store it")
    for i, cell in enumerate(_code_cells(nb)):
        assert "widgets" not in cell.get("metadata", {}), f"{path.name}: {_where(i, cell)}"
        for out in cell.get("outputs", []):
            assert WIDGET_STATE_MIME not in out.get("data", {}), (
                f"{path.name}: {_where(i, cell)} stores widget state")


def test_starts_with_what_you_will_learn(lesson):
    path, nb = lesson
    assert nb.cells and nb.cells[0].cell_type == "markdown", (
        f"{path.name}: a lesson starts with a markdown cell (title, What you will learn)")
    intro = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            break
        intro += _headings(cell)
    assert any(h.lower().startswith("what you will learn") for h in intro), (
        f"{path.name}: no 'What you will learn' heading before the first code cell "
        f"(headings found: {intro})")


def test_has_exercises_with_hidden_solutions(lesson):
    path, nb = lesson
    positions = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                 and any(h.lower().startswith("exercises") for h in _headings(c))]
    assert positions, f"{path.name}: no 'Exercises' heading"
    start = positions[-1]
    hidden = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
              and c.get("metadata", {}).get("jupyter", {}).get("source_hidden")]
    assert hidden, (f"{path.name}: no hidden solution cell (a code cell with metadata "
                    f'{{"jupyter": {{"source_hidden": true}}}})')
    for i in hidden:
        cell = nb.cells[i]
        assert i > start, f"{path.name}: hidden cell {i + 1} comes before the Exercises"
        assert cell.source.strip(), f"{path.name}: hidden solution cell {i + 1} is empty"
        heading = next((c for c in reversed(nb.cells[:i]) if c.cell_type == "markdown"), None)
        assert heading is not None and "solution" in heading.source.lower(), (
            f"{path.name}: hidden cell {i + 1} does not follow a markdown 'Solution' heading")


def test_no_memory_addresses_in_outputs(lesson):
    path, nb = lesson
    for i, cell in enumerate(_code_cells(nb)):
        for text in _output_texts(cell):
            m = ADDRESS.search(text)
            assert m is None, (f"{path.name}: {_where(i, cell)} shows a memory address "
                               f"{m.group()!r}: {text.strip()[:200]!r}")


def test_no_machine_specific_paths_in_outputs(lesson):
    """The repository's own path differs per checkout, and the sanitize file does not
    cover it (e.g. a numpy warning raised inside tinyflow's source)."""
    path, nb = lesson
    root = str(ROOT)
    for i, cell in enumerate(_code_cells(nb)):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                texts = [out.get("evalue", "")]        # the traceback is never compared
            else:
                texts = [t for t in _output_texts({"outputs": [out]})]
            for text in texts:
                assert root not in text, (f"{path.name}: {_where(i, cell)} shows this "
                                          f"checkout's path {root}: {text.strip()[:200]!r}")


def test_errors_only_where_expected(lesson):
    path, nb = lesson
    for i, cell in enumerate(_code_cells(nb)):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        expected = "raises-exception" in _tags(cell)
        if errors:
            assert expected, (f"{path.name}: {_where(i, cell)} raised "
                              f"{errors[0].get('ename')}: {errors[0].get('evalue')!r} "
                              f"but is not tagged raises-exception")
        else:
            assert not expected, (f"{path.name}: {_where(i, cell)} is tagged raises-exception "
                                  f"but stored no error")


def test_uses_the_readme_imports(lesson):
    path, nb = lesson
    lines = [line.strip() for c in _code_cells(nb) for line in c.source.splitlines()]
    # Lesson 10 is TensorFlow 2's act: its `tf` is `import tinyflow.compat.v2 as tf`.
    assert {"import tinyflow as tf", "import tinyflow.compat.v2 as tf"} & set(lines), (
        f"{path.name}: never says `import tinyflow as tf` (or `import tinyflow.compat.v2 as tf`)")
    for line in lines:
        m = re.match(r"import tinyflow\.compat\.v1 as (\w+)", line)
        assert m is None or m.group(1) == "tf1", (
            f"{path.name}: `{line}`: lessons import graph mode as tf1, next to "
            f"`import tinyflow as tf`")


# --- the real thing beside tinyflow ------------------------------------------------------------
# A side-by-side cell runs a function in real PyTorch through
# notebooks/exercises/side_by_side.py: ``pytorch("lessonNN/name", fn, inputs...)``. Without
# PyTorch the lesson shows the results stored in notebooks/exercises/pytorch_results.json,
# which is only right if they were made by the code the cell shows. (With PyTorch installed,
# running the lesson recomputes them and warns -- an nbval failure -- if they differ.)

def _side_by_side():
    import importlib.util
    path = ROOT / "notebooks" / "exercises" / "side_by_side.py"
    spec = importlib.util.spec_from_file_location("_lesson_side_by_side", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pytorch_calls(nb):
    """(cell index, key, function name, cell source holding the function) for every
    ``pytorch("key", fn, ...)`` call in a lesson's code cells."""
    import ast
    cells = _code_cells(nb)
    for i, cell in enumerate(cells):
        if "pytorch(" not in cell.source:
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "pytorch"
                    and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[1], ast.Name)):
                name = node.args[1].id
                defined_in = next((c.source for c in reversed(cells[:i + 1])
                                   if re.search(rf"^\s*def {name}\(", c.source, re.M)), None)
                yield i, node.args[0].value, name, defined_in


def test_side_by_side_cells_have_results_stored_for_the_code_they_show(lesson):
    path, nb = lesson
    sbs = _side_by_side()
    stored = json.loads(sbs.RESULTS.read_text()) if sbs.RESULTS.exists() else {}
    for i, key, name, source in _pytorch_calls(nb):
        where = f"{path.name}: code cell {i + 1}"
        assert source is not None, f"{where}: pytorch({key!r}, {name}): no `def {name}(` above it"
        assert key.startswith(f"lesson{path.name[:2]}/"), (
            f"{where}: the key {key!r} should start with 'lesson{path.name[:2]}/'")
        assert key in stored, (f"{where}: no stored PyTorch result {key!r}: run the lesson once "
                               f"with PyTorch installed and {sbs.UPDATE}=1")
        code = sbs.fingerprint(sbs.cell_function_source(source, name))
        assert stored[key]["code"] == code, (
            f"{where}: the stored PyTorch result {key!r} was made by other code than `{name}` "
            f"shows now; run the lesson with PyTorch installed and {sbs.UPDATE}=1")


def test_every_stored_pytorch_result_belongs_to_a_lesson():
    sbs = _side_by_side()
    stored = json.loads(sbs.RESULTS.read_text()) if sbs.RESULTS.exists() else {}
    used = {key for path in NOTEBOOKS for _, key, _, _ in _pytorch_calls(_read(path))}
    assert set(stored) <= used, f"stored PyTorch results no lesson uses: {sorted(set(stored) - used)}"

"""Re-execute lesson notebooks in place and store their outputs, deterministically.

    python tools/run_notebooks.py notebooks/*.ipynb

Widget state is not stored (nbval ignores it, and it changes every run), and
each notebook runs from the notebooks/ folder with the project's venv kernel,
with matplotlib's inline backend even where MPLBACKEND is set.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient


def run(path, timeout=600):
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
    nbformat.write(nb, path)
    print(f"executed {path}")


def _coalesce_streams(outputs):
    """One stream output per run of prints: how the kernel split them into
    messages depends on timing, so stored outputs would change run to run."""
    merged = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.output_type == "stream" and prev is not None and prev.output_type == "stream"
                and prev.name == out.name):
            prev.text = "".join(prev.text) + "".join(out.text)
        else:
            merged.append(out)
    return merged


if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # With MPLBACKEND set (Agg on many CI machines) the kernel would not use
    # matplotlib's inline backend and the lessons' figures would be lost.
    os.environ.pop("MPLBACKEND", None)
    for p in sys.argv[1:]:
        run(p)

"""The README's code blocks run and print what they say they print."""
import contextlib
import io
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs_and_prints_what_it_claims(code):
    import tinyflow as tf
    tf.reset_default_graph()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    claimed = [m.group(1).strip() for m in re.finditer(r"print\(.*\)\s+# (.*)", code)]
    printed = out.getvalue().split()
    assert printed == claimed or not claimed and printed == []


def test_readme_says_exactly_the_two_commands():
    text = README.read_text()
    assert "make lab" in text and "make test" in text
    assert "tqchen/tinyflow" in text        # not the NNVM teaching system of the same name

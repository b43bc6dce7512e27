"""The lessons in a real browser: JupyterLab 4 in headless Chromium.

Starts JupyterLab on a free port with throwaway config dirs and checks:

* the Stepper widget: a small notebook written here is run, Next is clicked,
  the gold node in the picture and the values panel follow;
* a stored lesson opened *without running it* (so JupyterLab does not trust
  it and will not show SVG) shows its drawings as pictures;
* the Stepper over the training graph of the lesson "visualizing training"
  shows the current op at a readable size (its box and label measured on the
  page), and an update step shows the variable change in the digits shown.

``make browser`` installs Debian's chromium; without it these tests are
skipped (and say why).
"""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

CHROMIUM = "/usr/bin/chromium"
NOTEBOOKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notebooks")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

SETUP = """\
import sys
import tinyflow.compat.v1 as tf
from tinyflow.viz import Stepper
print("kernel python:", sys.executable)"""

GRAPH = """\
tf.reset_default_graph()
x = tf.placeholder(tf.float64, [None], name="x")
w = tf.Variable([1.0, 2.0], dtype=tf.float64, name="w")
loss = tf.reduce_sum(tf.tanh(x * w), name="loss")
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
Stepper(sess, [loss, train], {x: [0.5, -1.0]})"""

# The label text of the node drawn in gold inside the widget's inline SVG.
GOLD_NODE = """() => {
  const g = [...document.querySelectorAll('.tf-graph svg g.node')]
      .find(n => n.querySelector('[fill="gold"]'));
  return g ? [...g.querySelectorAll('text')].map(t => t.textContent).join(' ') : null;
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    try:
        return json.load(urllib.request.urlopen(url, timeout=2))
    except Exception:              # refused while starting, HTTP 500 while a kernel starts
        return None


@contextlib.contextmanager
def jupyter_lab(root, home):
    """A JupyterLab server on 127.0.0.1 with no token; yields its base URL."""
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "mpl")]:
        env[var] = str(home / sub)
    # no "Would you like to get official Jupyter news?" toast over the notebook
    settings = home / "config/lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(home / "jupyterlab.log", "w")
    # sys.executable is the venv's Python: the server finds the venv's python3
    # kernelspec (in sys.prefix/share/jupyter), whose "python" means this one.
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
           "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.root_dir={root}", "--LabApp.extension_manager=readonly",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                              start_new_session=True)      # its own group: the kernel goes too
    try:
        deadline = time.time() + 60
        while get_json(base + "/api/status") is None:
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"JupyterLab did not start:\n{server_log(home)}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def server_log(home):
    return (home / "jupyterlab.log").read_text()[-3000:]


def wait_for_kernel(base, timeout=60):
    """Until the notebook's kernel is connected and idle (JupyterLab's own
    "idle" shows earlier, and a Run All then does nothing)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        ks = get_json(base + "/api/kernels")
        if ks and ks[0]["connections"] >= 1 and ks[0]["execution_state"] == "idle":
            return
        time.sleep(0.2)
    raise RuntimeError("the kernel never became ready")


def run_all(page, expect):
    first_prompt = page.locator(".jp-Cell .jp-InputArea-prompt").first
    for _ in range(3):
        if page.locator(".jp-Dialog .jp-mod-accept").count():
            page.locator(".jp-Dialog .jp-mod-accept").click()
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        try:
            expect(first_prompt).to_have_text("[1]:", timeout=10000)
            return
        except AssertionError:
            pass
    raise RuntimeError("Run All never ran the cells")


def wait_for_gold(page, name):
    """Wait until the gold node's label starts with ``name``; returns the label."""
    page.wait_for_function(f"(() => {{ const t = ({GOLD_NODE})(); "
                           f"return t !== null && t.split(' ')[0] === {json.dumps(name)}; }})()",
                           timeout=10000)
    return page.evaluate(GOLD_NODE)


def write_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(GRAPH)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, str(path))


def need_browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no browser: {CHROMIUM} is missing (install it with `make browser`, "
                    f"i.e. apt-get install chromium)")


def lab_dirs(tmp_path):
    """Fresh folders for a JupyterLab test: the notebooks it serves, and its home."""
    root, home = tmp_path / "notebooks", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    return root, home


@contextlib.contextmanager
def lab_page(root, home, notebook, errors=None):
    """A Chromium page showing ``notebook`` (a file in ``root``) in JupyterLab,
    its kernel connected and idle."""
    from playwright.sync_api import sync_playwright
    with jupyter_lab(root, home) as base, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(home / "chromium"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1400})
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            if errors is not None:
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/lab/tree/{notebook}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
            wait_for_kernel(base)
            yield page
        finally:
            ctx.close()            # before tmp_path (its profile dir) is cleaned up


@pytest.mark.timeout(180)
def test_stepper_in_jupyterlab(tmp_path):
    need_browser()
    from playwright.sync_api import expect

    root, home = lab_dirs(tmp_path)
    write_notebook(root / "stepper.ipynb")
    shot = tmp_path / "stepper.png"
    errors = []
    with lab_page(root, home, "stepper.ipynb", errors) as page:
        run_all(page, expect)
        expect(page.locator(".jp-OutputArea-output").first).to_contain_text(
            f"kernel python: {sys.executable}", timeout=30000)

        panel, phase = page.locator(".tf-panel"), page.locator(".tf-phase")
        nxt = page.locator("button.tf-next")
        nxt.wait_for(state="visible", timeout=30000)
        expect(panel).to_contain_text("Ready", timeout=10000)
        assert page.evaluate(GOLD_NODE) is None
        # Next runs one op: the gold node and the panel follow it.
        seen = []
        for name, number in [("w", "[1. 2.]"), ("Mul", "[ 0.5 -2. ]"),
                             ("Tanh", "[ 0.462 -0.964]"), ("loss", "-0.5019")]:
            nxt.click()
            expect(panel).to_contain_text(name, timeout=10000)
            expect(panel).to_contain_text(number)
            seen.append(wait_for_gold(page, name))
        assert len(set(seen)) == 4
        expect(phase).to_contain_text("step 4 of 12")
        expect(page.locator(".tf-slider .widget-readout")).to_have_text("4")
        # Prev shows the recorded history again.
        page.locator("button.tf-prev").click()
        expect(panel).to_contain_text("Tanh", timeout=10000)
        wait_for_gold(page, "Tanh")
        # Run to end, then back to the gradient with respect to w.
        page.locator("button.tf-run").click()
        expect(phase.locator(".now")).to_have_text("update", timeout=10000)
        # the last op is TF1's NoOp "GradientDescent" grouping the updates
        expect(panel).to_contain_text("GradientDescent op NoOp")
        for _ in range(8):                  # the ops before it are the update's
            before = panel.inner_text()
            page.locator("button.tf-prev").click()
            page.wait_for_function("t => document.querySelector('.tf-panel').innerText !== t",
                                   arg=before, timeout=10000)
            if "gradient with respect to w" in panel.inner_text():
                break
        expect(panel).to_contain_text("gradient with respect to w")
        expect(panel).to_contain_text("[ 0.393 -0.071]")
        expect(phase.locator(".now")).to_have_text("backward")
        wait_for_gold(page, "Mul_2")
        page.locator(".tf-stepper").scroll_into_view_if_needed()
        page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    if os.environ.get("TINYFLOW_STEPPER_SCREENSHOT"):      # tools/make_assets.py keeps a copy
        shutil.copyfile(shot, os.environ["TINYFLOW_STEPPER_SCREENSHOT"])
    assert shot.stat().st_size > 10000
    assert not [e for e in errors if "tf-" in e or "widget" in e.lower()], errors


# --- a stored lesson, opened without running it -------------------------------------------

# The pictures in the output areas now on the page: kind (png, svg...), a key
# telling them apart, size on screen. (JupyterLab lays out only the cells near
# the view, so the test scrolls through the notebook and collects them.)
PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(img => {
  const r = img.getBoundingClientRect();
  return {kind: img.src.slice(0, 15), key: img.src.length + img.src.slice(-40),
          w: r.width, h: r.height, natural: img.naturalWidth};
})"""

SCROLL = """() => {
  const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const before = s.scrollTop;
  s.scrollTop = before + 700;
  return s.scrollTop > before;
}"""

STORED_LESSON = "04_graphs_and_sessions.ipynb"


def stored_drawings(path):
    """How many drawings (outputs with an SVG) a stored notebook shows -- not
    counting cells whose outputs are hidden (a hidden solution) -- and how
    many of them also hold a PNG."""
    nb = nbformat.read(path, as_version=4)
    shown = [c for c in nb.cells if c.cell_type == "code"
             and not c.metadata.get("jupyter", {}).get("outputs_hidden")]
    outs = [o for c in shown for o in c.outputs if "image/svg+xml" in o.get("data", {})]
    return len(outs), sum("image/png" in o["data"] for o in outs)


@pytest.mark.timeout(180)
def test_stored_lesson_shows_its_drawings_without_running(tmp_path):
    need_browser()
    lesson = os.path.join(NOTEBOOKS, STORED_LESSON)
    drawings, with_png = stored_drawings(lesson)
    assert drawings >= 3 and with_png == drawings, \
        f"{STORED_LESSON}: {with_png} of its {drawings} drawings have a PNG; re-execute it " \
        f"(tools/run_notebooks.py)"
    root, home = lab_dirs(tmp_path)
    shutil.copyfile(lesson, root / STORED_LESSON)        # a fresh copy: never trusted here
    seen = {}
    with lab_page(root, home, STORED_LESSON) as page:
        # nothing is run: the prompts stay as stored, the pictures come from the file
        page.wait_for_selector(".jp-OutputArea-output img", timeout=30000)
        stuck = 0
        for _ in range(300):
            page.wait_for_timeout(150)            # let the newly shown cells load
            for pic in page.evaluate(PICTURES):
                if pic["natural"] > 0 and pic["w"] > 0:
                    seen[pic["key"]] = pic
            # at the bottom for a while: the end (cells below may still be measured)
            stuck = 0 if page.evaluate(SCROLL) else stuck + 1
            if stuck == 5:
                break
        text = page.locator(".jp-Notebook").inner_text()
    pngs = [p for p in seen.values() if p["kind"].startswith("data:image/png")]
    assert len(pngs) >= drawings, list(seen.values())
    assert all(p["w"] > 50 and p["h"] > 50 for p in pngs), pngs
    assert "<tinyflow drawing:" not in text                # not the text fallback


# --- the Stepper over lesson 7's training graph ---------------------------------------------

TRAINING_LESSON = "07_visualizing_training.ipynb"

# The gold node of the Stepper's picture, measured on the page: its box, each
# label line's font size on screen (font-size in the SVG's units times the
# SVG's scale to screen pixels), and the visible part of the picture pane.
MEASURE_GOLD = """() => {
  const pane = document.querySelector('.tf-graph .tf-picture');
  const g = [...pane.querySelectorAll('svg g.node')].find(n => n.querySelector('[fill="gold"]'));
  if (!g) return null;
  const r = g.querySelector('[fill="gold"]').getBoundingClientRect();
  const p = pane.getBoundingClientRect();
  const lines = [...g.querySelectorAll('text')].map(t => ({
      text: t.textContent,
      px: parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a}));
  return {box: {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                w: r.width, h: r.height},
          pane: {left: p.left, top: p.top, right: p.right, bottom: p.bottom}, lines};
}"""


def training_notebook(path):
    """The lesson's code up to and including its Stepper cell, as a notebook."""
    nb = nbformat.read(os.path.join(NOTEBOOKS, TRAINING_LESSON), as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.append(nbformat.v4.new_code_cell(cell.source))
        if "Stepper(sess" in cell.source:
            break
    else:
        raise AssertionError(f"{TRAINING_LESSON} has no cell making a Stepper(sess, ...)")
    out = nbformat.v4.new_notebook()
    out.cells = cells
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"}
    nbformat.write(out, str(path))


def assert_readable(m, name):
    assert m is not None, f"no gold node in the picture at {name}"
    box, pane = m["box"], m["pane"]
    # the whole box is inside the visible pane, not scrolled away or cut off
    assert box["left"] >= pane["left"] - 1 and box["right"] <= pane["right"] + 1, m
    assert box["top"] >= pane["top"] - 1 and box["bottom"] <= pane["bottom"] + 1, m
    assert box["w"] >= 60 and box["h"] >= 30, m
    sizes = [line["px"] for line in m["lines"]]
    assert m["lines"][0]["text"] == name.split("/")[-1], m
    assert sizes[0] >= 14, m                 # the op's name
    assert min(sizes) >= 10, m               # its shape and dtype line


@pytest.mark.timeout(300)
def test_stepper_on_the_training_graph_is_readable(tmp_path):
    need_browser()
    from playwright.sync_api import expect

    root, home = lab_dirs(tmp_path)
    training_notebook(root / "training.ipynb")
    shot = tmp_path / "training.png"
    with lab_page(root, home, "training.ipynb") as page:
        run_all(page, expect)
        panel = page.locator(".tf-panel")
        nxt = page.locator("button.tf-next")
        nxt.wait_for(state="visible", timeout=120000)
        expect(panel).to_contain_text("Ready", timeout=10000)
        # the first op of the forward pass, at a readable size
        nxt.click()
        expect(panel).to_contain_text("hidden/kernel", timeout=10000)
        wait_for_gold(page, "kernel")
        assert_readable(page.evaluate(MEASURE_GOLD), "hidden/kernel")
        # the last update: the bias of the output layer, before and after
        page.locator("button.tf-run").click()
        expect(panel).to_contain_text("GradientDescent op NoOp", timeout=30000)
        page.locator("button.tf-prev").click()
        expect(panel).to_contain_text("update_out/bias/AssignSub", timeout=10000)
        wait_for_gold(page, "AssignSub")
        page.locator(".tf-stepper").scroll_into_view_if_needed()
        assert_readable(page.evaluate(MEASURE_GOLD), "AssignSub")
        expect(panel).to_contain_text("out/bias before")
        text = panel.inner_text()
        before = text.split("out/bias before")[1].split("out/bias after")[0]
        after = text.split("out/bias after")[1].split("largest change")[0]
        numbers = lambda part: part.split("float32")[1].strip()        # noqa: E731
        assert numbers(before) != numbers(after), text
        page.screenshot(path=str(shot))
        # the whole graph is one click away, shrunk to the pane
        page.locator(".tf-whole").click()
        page.wait_for_selector(".tf-graph svg.tf-whole-graph", timeout=10000)
    print(f"screenshot: {shot}")

"""The Stepper widget in a real browser: JupyterLab 4 in headless Chromium.

Starts JupyterLab on a free port with throwaway config dirs, opens a small
notebook written here, runs it, clicks Next and checks that the gold node in
the picture and the values panel follow. ``make browser`` installs Debian's
chromium; without it this test is skipped (and says why).
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


@pytest.mark.timeout(180)
def test_stepper_in_jupyterlab(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no browser: {CHROMIUM} is missing (install it with `make browser`, "
                    f"i.e. apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    root, home = tmp_path / "notebooks", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    write_notebook(root / "stepper.ipynb")
    shot = tmp_path / "stepper.png"
    errors = []
    with jupyter_lab(root, home) as base, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(home / "chromium"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1400})
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/lab/tree/stepper.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
            wait_for_kernel(base)
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
        finally:
            ctx.close()            # before tmp_path (its profile dir) is cleaned up
    print(f"screenshot: {shot}")
    if os.environ.get("TINYFLOW_STEPPER_SCREENSHOT"):      # tools/make_assets.py keeps a copy
        shutil.copyfile(shot, os.environ["TINYFLOW_STEPPER_SCREENSHOT"])
    assert shot.stat().st_size > 10000
    assert not [e for e in errors if "tf-" in e or "widget" in e.lower()], errors

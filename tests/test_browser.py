"""A student's view, in a real browser: JupyterLab started here on a free loopback port,
headless Chromium (Debian's package) driven by Playwright, the lab-2 release with
bce_loss summing instead of averaging, "Run All". The check cells render their ✓/✗
tables, the run stops at the check of bce_loss with its named cause, and the
screenshots are saved under docs/screenshots/ (the README shows them).

Under CI (CI=true) the test must run: `.ci/run` installs Chromium when it is missing."""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from solutions import sample_class

from conftest import LAB2, ROOT

SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def browser():
    """Playwright's sync API, or a skip (outside CI) saying what is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright is not installed (pip install -e '.[dev]')"
    if missing is None and not os.path.exists(CHROMIUM):
        missing = "Chromium is not installed (apt-get install chromium)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run under CI: {missing}")
        pytest.skip(missing)
    return sync_playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab serving tmp_path/work on a free loopback port with a token; stopped after."""
    work = tmp_path / "work"
    work.mkdir()
    port, token = free_port(), secrets.token_hex(16)
    config = tmp_path / "jupyter-config"
    (config / "labconfig").mkdir(parents=True)
    # a student's JupyterLab, quicker to start: no instructor or language-server extensions,
    # no announcement pop-ups over the notebook
    off = ["nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.assignment_list",
           "nbgrader.server_extensions.course_list", "nbgrader.server_extensions.validate_assignment",
           "jupyter_lsp", "jupyter_server_terminals"]
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {name: False for name in off}}}))
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {
        "@jupyterlab/apputils-extension:announcements": True, "@jupyter/nbgrader": True}}))
    # every cell rendered (no windowing), so each table can be read and photographed
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"), HOME=str(tmp_path),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("MPLBACKEND", None)                       # the kernel draws inline, as for a student
    log = open(tmp_path / "jupyterlab.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--port-retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.expose_app_in_browser=True", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (tmp_path / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.3)
        yield work, base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_a_student_runs_the_lab_in_jupyterlab_and_sees_the_tables(jupyterlab):
    sync_playwright = browser()
    work, base, token = jupyterlab
    sample_class.write(sample_class.with_entries(LAB2, "bce_loss_sum"), work / "lab2.ipynb")
    SHOTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/lab/tree/lab2.ipynb?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=30_000)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                                   ".connectionStatus === 'connected'", timeout=30_000)
            print(f"page ready after {time.monotonic() - started:.1f} s")
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            failing = page.locator(".jp-Cell").filter(has=page.locator(".nnlabs-checks caption",
                                                                        has_text="bce_loss:"))
            failing.wait_for(timeout=40_000)
            page.locator(".jp-Cell").filter(has_text="public checks failed").first.wait_for(timeout=10_000)
            print(f"cells ran after {time.monotonic() - started:.1f} s")
            failing.scroll_into_view_if_needed()
            table = failing.locator(".nnlabs-checks table")
            text = table.inner_text()
            assert "bce_loss: 1/3 checks passed" in text
            assert table.locator("td.mark").all_inner_texts() == ["✗", "✓", "✗"]
            assert "bce_loss.returns_a_number" in text
            assert "Observed: every value is" in text and "times the expected one" in text
            error = failing.locator("[data-mime-type='application/vnd.jupyter.stderr']").inner_text()
            assert "bce_loss: 2 of 3 public checks failed" in error and "Traceback" not in error
            passing = page.locator(".jp-Cell").filter(has=page.locator(".nnlabs-checks caption",
                                                                        has_text="sigmoid:"))
            assert "sigmoid: 5/5 checks passed" in passing.inner_text()
            assert passing.locator("td.mark").all_inner_texts() == ["✓"] * 5
            # "Run All" stopped at the failing cell: the next check cell never ran
            assert page.locator(".nnlabs-checks caption", has_text="bce_dloss_dphat").count() == 0
            failing.scroll_into_view_if_needed()
            failing.screenshot(path=str(SHOTS / "check-cell-failing.png"))
            passing.scroll_into_view_if_needed()
            passing.screenshot(path=str(SHOTS / "check-cell-passing.png"))
        finally:
            chromium.close()

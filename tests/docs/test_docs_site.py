"""The documentation site, built strict and opened in a real headless browser.

Marked ``docs`` and left out of the default run (it needs the ``docs`` extra, Chromium and its
driver, and builds the site); CI runs it after installing them:

    pip install -e ".[docs]" && apt-get install -y chromium chromium-driver
    mkdocs build --strict && INTERTWINE_DOCS_SITE=site python -m pytest -q -m docs -n 0

Without ``INTERTWINE_DOCS_SITE`` the test builds the site itself (``mkdocs build --strict`` into
a temporary folder). Each page is served over HTTP on 127.0.0.1 (as a browser sees a deployed
site; a ``file://`` page cannot start the search worker) and checked for its title, an element
that only renders when the page's generator worked, and no SEVERE entry in the browser console.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ROOT

pytestmark = pytest.mark.docs

_NO_DOCS_EXTRA = 'the docs extra is not installed: pip install -e ".[docs]"'


def _browser() -> tuple[str, str]:
    """Paths of the system's Chromium and chromedriver, or a skip naming the packages."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip(
            "Chromium and its driver are not installed "
            "(apt-get install -y chromium chromium-driver)"
        )
    return chromium, driver


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    for module in ("mkdocs", "mkdocstrings", "mkdocs_jupyter"):
        pytest.importorskip(module, reason=_NO_DOCS_EXTRA)
    given = os.environ.get("INTERTWINE_DOCS_SITE")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").is_file(), f"INTERTWINE_DOCS_SITE={given} holds no site"
        return path
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason=_NO_DOCS_EXTRA)
    chromium, driver_path = _browser()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # the system's driver, and Selenium Manager told to stay offline: nothing is downloaded
    offline = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"
    try:
        driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))
    finally:
        if offline is None:
            del os.environ["SE_OFFLINE"]
        else:
            os.environ["SE_OFFLINE"] = offline
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def _severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


# (path, words in the title, a CSS selector that only matches a rendered page, text in it)
PAGES = [
    ("/", "intertwine", "article h1", "intertwine"),
    ("/api/solver/", "intertwine.solver", "[id='intertwine.solver.solve']", "solve"),
    (
        "/notebooks/01_quickstart/",
        "Quickstart",
        ".jp-OutputArea-output img[src^='data:image/png']",
        "",
    ),
]


@pytest.mark.parametrize(("path", "title", "selector", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_without_console_errors(browser, server, path, title, selector, text):
    from selenium.webdriver.common.by import By

    _open(browser, server + path)
    assert title in browser.title
    found = browser.find_elements(By.CSS_SELECTOR, selector)
    assert found, f"{path}: nothing matches {selector!r}"
    assert text in found[0].text
    assert found[0].is_displayed()
    assert _severe(browser) == []


def test_notebook_page_shows_stored_outputs(browser, server):
    """The quickstart's first cell prints the basis summary; the page shows it as stored."""
    from selenium.webdriver.common.by import By

    _open(browser, server + "/notebooks/01_quickstart/")
    outputs = " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea"))
    assert "dim:     15" in outputs
    assert _severe(browser) == []


def test_cli_reference_lists_every_command(browser, server):
    """The generated CLI page has a section for each sub-command of the real parser."""
    from selenium.webdriver.common.by import By

    from intertwine.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    _open(browser, server + "/reference/cli/")
    headings = {e.text.strip() for e in browser.find_elements(By.CSS_SELECTOR, "article h3")}
    assert {f"intertwine {name}" for name in sub.choices} <= headings
    assert _severe(browser) == []


def test_doctests_become_code_blocks_once():
    """The API pages show ``>>>`` examples as code (Markdown would read ``>>>`` as quotes and
    ``[[-1]]`` as a link), and leave examples already in a fence alone."""
    pytest.importorskip("griffe", reason=_NO_DOCS_EXTRA)
    import importlib.util

    spec = importlib.util.spec_from_file_location("_ext", ROOT / "docs" / "_griffe_reexports.py")
    assert spec is not None and spec.loader is not None
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    text = "Summary.\n\n  >>> f([[1]])\n  [[-1]]\n\nAfter.\n\n```pycon\n>>> g()\n```"
    assert ext.fence_doctests(text) == (
        "Summary.\n\n  ```pycon\n  >>> f([[1]])\n  [[-1]]\n  ```\n\nAfter.\n\n"
        "```pycon\n>>> g()\n```"
    )

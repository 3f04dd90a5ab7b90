"""The built site and PDF, served and opened as a reader sees them.

`make check-site` runs this suite after `make book` and `make pdf`; `make
test` does not collect it. Fixtures (names other tests rely on):

* `site_dir`: the built site, `--site` (default `_build/html`);
* `site_url`: `"http://127.0.0.1:PORT/"`, a server on loopback for it;
* `serve`, the function `serve(folder)`: another such server (`.url`);
* `page_paths`: every page of the site, for a test about all of them;
* `pdf_path`: the book's PDF, `--pdf` (default `_build/pdf/dlmath-book.pdf`);
* a test with an argument `page_path` runs once per HTML page of the site
  (a path relative to `site_dir`, e.g. `"chapters/04_backprop.html"`), one
  with `width` once per window width, 1280 and 390 CSS px;
* pytest-playwright's `browser`, `new_context`, `context` and `page`, on the
  installed Chrome or Chromium (`$CHROME_PATH`, else `/usr/bin/chromium`),
  never playwright's download, with the network off;
* `open_page`, the function `open_page(opener, site_url, page_path, width,
  dark=False)`: `opener` is pytest-playwright's `new_context`, a `browser`
  (close `page.context` after) or a browser context; it opens the page in
  an offline context at that width, light or dark, waits for the load, a
  redirect and the maths, and returns the playwright Page, which carries
  `page.problems` (console errors, uncaught exceptions, failed, blocked or
  HTTP-error requests, as they come) and `page.mathjax` ("typeset", "no
  maths", or what went wrong).
"""

import functools
import http.server
import os
import re
import shutil
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)  # CSS px: a laptop and a phone
HEIGHTS = {1280: 900, 390: 844}
PAGE_TIMEOUT_MS = 60_000
MATHJAX_TIMEOUT_MS = 30_000
# Chromium's own traffic off (updates, sync, safe browsing, metrics); every
# host name but the local server fails to resolve, and a direct connection
# goes to a dead proxy, should a request escape the context's routing.
CHROMIUM_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-sync",
    "--disable-extensions",
    "--disable-quic",
    "--no-first-run",
    "--no-pings",
    "--metrics-recording-only",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1;localhost",
]
# Resolves when the page's maths is typeset: by the build (each `.math`
# holds MathJax's output; _ext/mathjax4.py), or, where MathJax runs in the
# page (a reader asked for its menu, or switched speech on), when MathJax has
# typeset every formula, those that lazy typesetting leaves until they are
# scrolled to included. Then the fonts are loaded.
MATHJAX_READY_JS = r"""
async (timeoutMs) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // MathJax's own script, put in the page when it is to run there
  const hasScript = !!document.querySelector('script[src*="mathjax/startup"]');
  const ready = () => window.MathJax && MathJax.startup
                      && MathJax.startup.promise;
  for (let t = 0; hasScript && !ready() && t < timeoutMs; t += 50)
    await sleep(50);
  const maths = [...document.querySelectorAll('.math')];
  if (!ready()) {
    await document.fonts.ready;
    if (!maths.length) return 'no maths';
    return maths.every((m) => m.querySelector(':scope > mjx-container'))
      ? 'typeset' : (hasScript ? 'MathJax did not start' : 'untypeset');
  }
  const late = sleep(timeoutMs).then(() => 'timeout');
  // ui/lazy typesets a formula only when it nears the window: ask for all
  const all = () => {
    const doc = MathJax.startup.document;
    return doc.lazyTypesetAll ? doc.lazyTypesetAll() : null;
  };
  const done = await Promise.race(
    [MathJax.startup.promise.then(all).then(() => 'ok'), late]);
  await document.fonts.ready;
  return done === 'ok' ? 'typeset' : 'MathJax did not finish typesetting';
}
"""
REFRESH = re.compile(
    r"<meta[^>]+http-equiv=.refresh.[^>]+url=([^\"'>]+)", re.IGNORECASE
)
# pydata-sphinx-theme 0.17 keeps the reader's choice in localStorage.
THEME_JS = (
    "(t) => { localStorage.setItem('mode', t); "
    "localStorage.setItem('theme', t); }"
)


def pytest_addoption(parser):
    parser.addoption("--site", type=Path, default=ROOT / "_build/html")
    parser.addoption(
        "--pdf", type=Path, default=ROOT / "_build/pdf/dlmath-book.pdf"
    )


def html_pages(site):
    """Every page of the site (not _static's or _sources' files)."""
    if not (site / "index.html").is_file():
        raise pytest.UsageError(f"no built site at {site}: run `make book`")
    return [
        path.relative_to(site).as_posix()
        for path in sorted(site.rglob("*.html"))
        if not {"_static", "_sources"} & set(path.relative_to(site).parts)
    ]


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # once, not per worker
        site = session.config.getoption("--site").resolve()
        shutil.rmtree(site.parent / "screenshots", ignore_errors=True)


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        site = metafunc.config.getoption("--site").resolve()
        metafunc.parametrize("page_path", html_pages(site))
    if "width" in metafunc.fixturenames:
        metafunc.parametrize("width", WIDTHS)


def pytest_collection_modifyitems(config, items):
    # pytest-check-links gives a link that a page repeats the same node id;
    # xdist would run it once and report fewer tests than collected.
    seen, repeated = set(), []
    for item in list(items):
        if item.nodeid in seen:
            repeated.append(item)
            items.remove(item)
        seen.add(item.nodeid)
    config.hook.pytest_deselected(items=repeated)
    # Under xdist (--dist loadgroup) every test of one page runs on one
    # worker, which then opens the page once (see test_pages.visit).
    for item in items:
        params = getattr(item, "callspec", None)
        if params and "page_path" in params.params:
            group = params.params["page_path"]
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def site_dir(pytestconfig):
    site = pytestconfig.getoption("--site").resolve()
    html_pages(site)  # fails with what to run when there is no site
    return site


@pytest.fixture(scope="session")
def page_paths(site_dir):
    """Every page_path, for a test about the whole site."""
    return html_pages(site_dir)


@pytest.fixture(scope="session")
def pdf_path(pytestconfig):
    return pytestconfig.getoption("--pdf").resolve()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        self.server.requests.append(self.path)  # instead of stderr


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser that closed the connection early: not the site's


@pytest.fixture(scope="session")
def serve():
    """serve(folder): a server for it on 127.0.0.1, in a thread, until the
    session ends; its `url`, and the paths it was asked for (`requests`)."""
    servers = []

    def serve(folder):
        handler = functools.partial(_Handler, directory=str(folder))
        server = _Server(("127.0.0.1", 0), handler)
        server.url = f"http://127.0.0.1:{server.server_port}/"
        server.requests = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(serve, site_dir):
    return serve(site_dir).url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chrome = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    if not os.access(chrome, os.X_OK):
        raise pytest.UsageError(
            f"no browser at {chrome}: install Chromium (Debian: apt-get "
            f"install chromium) or Chrome, or name it in $CHROME_PATH"
        )
    return {
        **browser_type_launch_args,
        "executable_path": chrome,
        "args": CHROMIUM_FLAGS,
    }


def _is_local(url, site_url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or (
        parts.netloc == urllib.parse.urlsplit(site_url).netloc
    )


def _is_browser_probe(url):
    """The browser's own /favicon.ico request (the site declares none)."""
    return urllib.parse.urlsplit(url).path == "/favicon.ico"


def _record_problems(page, site_url):
    problems = page.problems = []

    def console(message):
        url = message.location.get("url", "")
        if message.type in ("error", "assert") and not _is_browser_probe(url):
            problems.append(f"console.{message.type}: {message.text[:200]}")

    def failed(request):
        if not _is_local(request.url, site_url):
            problems.append(f"blocked request to another host: {request.url}")
        elif not _is_browser_probe(request.url):
            problems.append(f"request failed: {request.url}")

    def response(response):
        if response.status >= 400 and not _is_browser_probe(response.url):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"[:200]))
    page.on("requestfailed", failed)
    page.on("response", response)


def _read(url):
    # Not the response's body: after a redirect the browser no longer has it.
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with direct.open(url) as response:
        return response.read().decode("utf-8", errors="replace")


def _open_page(opener, site_url, page_path, width, dark=False):
    """See the module's docstring."""
    theme = "dark" if dark else "light"
    size = {"width": width, "height": HEIGHTS.get(width, 900)}
    if isinstance(opener, BrowserContext):
        context = opener
    else:
        new_context = (
            opener.new_context if isinstance(opener, Browser) else opener
        )
        context = new_context(
            viewport=size, color_scheme=theme, service_workers="block"
        )

    def route(route):
        if _is_local(route.request.url, site_url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.set_viewport_size(size)
    page.add_init_script(f"({THEME_JS})({theme!r})")
    _record_problems(page, site_url)
    url = site_url + page_path
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or not response.ok:
        status = response.status if response else "no response"
        page.problems.append(f"{page_path} did not open: {status}")
    elif redirect := REFRESH.search(_read(url)):
        # index.html sends the reader on with <meta http-equiv="refresh">.
        target = urllib.parse.urljoin(url, redirect.group(1))
        page.wait_for_url(target, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    page.mathjax = page.evaluate(MATHJAX_READY_JS, MATHJAX_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session")
def open_page():
    return _open_page

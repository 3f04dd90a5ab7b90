"""The built site in an installed headless Chrome, with the network off.

Used by dev/book_pdf.py only (tests/site has its own fixtures). The browser
is an installed Chrome or Chromium, never playwright's own download: the one
named by the environment variable CHROME_PATH, else the first of
CHROME_PATHS that exists. The site is served from 127.0.0.1 and every
request to any other host is aborted (and recorded), so nothing a page does
can reach the network.
"""

import contextlib
import functools
import http.server
import os
import sys
import threading
import urllib.parse
from pathlib import Path

CHROME_ENV = "CHROME_PATH"
CHROME_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
NO_CHROME = f"""no Chrome or Chromium found (looked at ${CHROME_ENV} and
{chr(10).join("  " + path for path in CHROME_PATHS)}).
Install one: on Debian `apt-get install chromium`; on macOS or Ubuntu,
Google Chrome (https://www.google.com/chrome/). Or set {CHROME_ENV} to the
browser's executable. (playwright's own browser download is not used.)"""

# Chromium's own traffic off too (updates, sync, safe browsing, metrics);
# every host name but the local server fails to resolve, and any direct
# connection goes to a dead proxy, in case a request escapes the routing.
CHROMIUM_FLAGS = (
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
)

# Resolves when MathJax (3 or 4) has typeset every formula of the page
# (those that lazy typesetting leaves until they are scrolled to included),
# at once on a page without maths. MathJax is loaded with `defer` only where
# a page has maths.
MATHJAX_READY_JS = r"""
async (timeoutMs) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const hasScript = !!document.querySelector('script[src*="mathjax" i]');
  const ready = () => window.MathJax && MathJax.startup
                      && MathJax.startup.promise;
  for (let t = 0; hasScript && !ready() && t < timeoutMs; t += 50)
    await sleep(50);
  if (!ready()) return hasScript ? 'MathJax did not start' : 'no MathJax';
  const late = sleep(timeoutMs).then(() => 'timeout');
  // ui/lazy typesets a formula only when it nears the window: ask for all
  const all = () => {
    const doc = MathJax.startup.document;
    return doc.lazyTypesetAll ? doc.lazyTypesetAll() : null;
  };
  const done = await Promise.race(
    [MathJax.startup.promise.then(all).then(() => 'ok'), late]);
  return done === 'ok' ? 'typeset' : 'MathJax did not finish typesetting';
}
"""


def find_chrome(environ=None, is_executable=None):
    """Path of the installed browser; exits with what to install if none."""
    environ = os.environ if environ is None else environ
    if is_executable is None:

        def is_executable(path):
            return os.path.isfile(path) and os.access(path, os.X_OK)

    named = environ.get(CHROME_ENV)
    if named:
        if not is_executable(named):
            sys.exit(f"{CHROME_ENV}={named} is not an executable file")
        return named
    for path in CHROME_PATHS:
        if is_executable(path):
            return path
    sys.exit(NO_CHROME)


def launch(playwright):
    """Headless installed Chrome/Chromium, its background networking off."""
    return playwright.chromium.launch(
        executable_path=find_chrome(), headless=True, args=list(CHROMIUM_FLAGS)
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; records every request that got an HTTP error."""

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        self.server.errors.append(f"{code} {self.path}")
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve(site):
    """Serve the directory `site` on 127.0.0.1; yields the server.

    server.base is the site's URL (ending in /), server.errors the requests
    answered with an HTTP error.
    """
    site = Path(site)
    if not site.is_dir():
        raise ValueError(f"expected the built site's directory, got {site}")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.errors = []
    server.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def is_local(url, base):
    """True for the served site's own URLs (and data:/blob: in the page)."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme in ("data", "blob", "about"):
        return True
    return (
        urllib.parse.urlsplit(url).netloc == urllib.parse.urlsplit(base).netloc
    )


def offline_context(browser, base, blocked, **options):
    """A browser context where only `base`'s host answers.

    Every other request is aborted and its URL appended to `blocked`.
    """
    context = browser.new_context(service_workers="block", **options)

    def route(route):
        if is_local(route.request.url, base):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    return context

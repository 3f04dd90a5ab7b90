"""Open every page of the built site in headless Chromium and fail on anything a reader would see broken.

Usage: .venv/bin/python tools/check_site.py [--site _build/html] [--screenshots _build/screenshots]
                                            [--only PAGE ...]

For every .html page under the site, served from 127.0.0.1 with all other network access blocked:
  * every formula is typeset by MathJax 3 (each `.math` element holds an mjx-container, MathJax
    reports no merror and no undefined macro, no raw TeX such as `\\frac` or `$$` left in the text);
  * every image has loaded (img.complete and naturalWidth > 0; lazy images are made eager first);
  * the console shows no error, no script threw, no request failed or got an HTTP error;
  * every exercise and solution block is visible, every `hide-input` cell is collapsed;
  * every relative link (<a href>) points to a file of the site and its #fragment to an id there;
and a full-page PNG screenshot is saved.

Internal links are checked twice: by Sphinx while building (`make book` runs with -n -W, so every
{ref}, {eq}, {numref}, {cite} and every relative MyST link must resolve, or the build fails) and
here, on the final HTML, including each #fragment. Sphinx's linkcheck builder is not run: with
http(s) URLs ignored (no network) it has nothing left to check in this book, since MyST turns every
relative link into a cross-reference and linkcheck marks `#anchor` links "unchecked" (tried: a
link to a missing file or label passes linkcheck and fails the -n -W build).

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages separated by NUL bytes on file descriptors 3 and 4), so no package beyond the standard
library is needed. Prints one line per page and ends with `N passed, M failed`; exits 1 on failure.
"""

import argparse
import base64
import fcntl
import functools
import html.parser
import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOT_HEIGHT = 10000  # pixels per screenshot file

CHROMIUM = "/usr/bin/chromium"
PAGE_TIMEOUT = 60  # seconds for one page to load, typeset and be checked

# Runs in the page after the load event; resolves to a JSON-able report.
CHECK_JS = r"""
(async () => {
  const out = {};
  const short = (text, n) => text.replace(/\s+/g, ' ').trim().slice(0, n);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // MathJax 3 is loaded with `defer` (only on pages with maths); wait for it to exist, then for its
  // first typesetting pass.
  const mathjaxScript = !!document.querySelector('script[src*="mathjax" i]');
  for (let i = 0; mathjaxScript && i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++) await sleep(50);
  const maths = [...document.querySelectorAll('.math')];
  out.math = maths.length;
  out.mathjax = !!(window.MathJax && MathJax.startup && MathJax.startup.promise);
  out.mathErrors = [];
  if (out.mathjax) {
    await Promise.race([MathJax.startup.promise, sleep(30000).then(() => out.mathErrors.push('MathJax did not finish in 30 s'))]);
    // Walk MathJax's own internal MathML: merror nodes (TeX syntax errors) and the red mtext
    // that the `noundefined` package puts in place of an undefined macro.
    const doc = MathJax.startup.document;
    for (const item of (doc && doc.math) || []) {
      if (!item.root || !item.root.walkTree) continue;
      item.root.walkTree((node) => {
        if (node.isKind('merror')) out.mathErrors.push('merror in ' + JSON.stringify(item.math.slice(0, 80)));
        if (node.isKind('mtext') && node.attributes.get('mathcolor') === 'red') {
          const text = node.childNodes.map((c) => (c.getText ? c.getText() : '')).join('');
          if (text.startsWith('\\')) out.mathErrors.push('undefined macro ' + text + ' in ' + JSON.stringify(item.math.slice(0, 80)));
        }
      });
    }
  }
  for (const e of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
    out.mathErrors.push('mjx-merror: ' + (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120));
  out.untypeset = maths.filter((m) => !m.querySelector('mjx-container')).map((m) => short(m.textContent, 80));
  out.mathErrors = [...new Set(out.mathErrors)];
  // Raw TeX left in the visible text (outside code, outside typeset maths).
  const skip = 'pre, code, script, style, textarea, mjx-container, mjx-assistive-mml, .math';
  const rawTex = /\\(?:frac|sum|prod|int|partial|nabla|mathbf|mathrm|operatorname|begin|end|left|right|top|alpha|beta|eta|lambda|sigma|theta|epsilon|sqrt|cdot|times|in|le|ge)\b|\$\$|\\\(|\\\[/;
  out.rawTex = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest(skip)) continue;
    const m = n.textContent.match(rawTex);
    if (m) out.rawTex.push(short(n.textContent, 100));
  }
  // Images: load lazy ones now, wait for all, then each must have decoded to a real size.
  const imgs = [...document.images];
  for (const img of imgs) if (img.loading === 'lazy') img.loading = 'eager';
  await Promise.all(imgs.map((img) => img.complete ? null : new Promise((r) => {
    img.addEventListener('load', r); img.addEventListener('error', r); setTimeout(r, 15000); })));
  out.images = imgs.length;
  out.brokenImages = imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute('src'));
  // Problem statements and solutions readable in full; scaffolding cells collapsed.
  const blocks = [...document.querySelectorAll('div.exercise, div.solution')];
  out.exercises = blocks.length;
  out.hiddenBlocks = blocks.filter((b) => !b.checkVisibility() || b.closest('details:not([open])'))
                           .map((b) => (b.id || b.className) + ': ' + short(b.textContent, 60));
  const hideInput = [...document.querySelectorAll('.cell.tag_hide-input')];
  out.hideInput = hideInput.length;
  out.notCollapsed = hideInput.filter((c) => {
    const src = c.querySelector('.cell_input');
    return !src || !src.closest('details:not([open])');
  }).map((c) => short(c.textContent, 60));
  await document.fonts.ready;
  return out;
})()
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; remembers every request that got an HTTP error."""

    errors = []

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        QuietHandler.errors.append(f"{code} {self.path}")
        super().send_error(code, message, explain)


def ensure_chromium():
    """Debian's chromium, installed with apt if missing (never a test tool's own browser download)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.geteuid() != 0:
        sys.exit(
            f"{CHROMIUM} is missing: run `apt-get update && apt-get install -y chromium` as root"
        )
    print("installing Debian's chromium with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
        check=True,
        env=env,
    )
    return CHROMIUM


def _high_fd(fd):
    """The same pipe end on a descriptor >= 10 (close-on-exec), the original closed."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


class Browser:
    """Headless Chromium driven by the DevTools protocol over --remote-debugging-pipe."""

    def __init__(self, executable, profile):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--mute-audio",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--window-size=1280,900",
            "--remote-debugging-pipe",
            # Nothing leaves the machine: every host name but the local server fails to resolve,
            # and any direct connection goes to a dead proxy.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=127.0.0.1;localhost",
            "about:blank",
        ]
        # Chromium reads commands on descriptor 3 and writes replies on 4. The pipe ends are first
        # moved above 9 so that placing them on 3 and 4 in the child cannot overwrite one another.
        to_chrome_r, from_chrome_w = (
            _high_fd(to_chrome_r),
            _high_fd(from_chrome_w),
        )

        # runs in the child between fork and exec (before any thread starts here)
        def place_pipes():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [executable, *flags],
            preexec_fn=place_pipes,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id = 0
        self._messages = queue.Queue()
        self.events = []
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"})[
            "targetId"
        ]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Network.setCacheDisabled", {"cacheDisabled": True}, session=True
        )

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                self._messages.put(None)
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))

    def _next(self, deadline):
        try:
            message = self._messages.get(
                timeout=max(0.01, deadline - time.monotonic())
            )
        except queue.Empty:
            raise TimeoutError("Chromium did not answer in time") from None
        if message is None:
            raise RuntimeError("Chromium exited")
        return message

    def call(self, method, params=None, session=False, timeout=PAGE_TIMEOUT):
        self._next_id += 1
        message = {
            "id": self._next_id,
            "method": method,
            "params": params or {},
        }
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._next(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method, count=1, timeout=PAGE_TIMEOUT):
        deadline = time.monotonic() + timeout
        while sum(e["method"] == method for e in self.events) < count:
            message = self._next(deadline)
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate",
            {
                "expression": expression,
                "awaitPromise": True,
                "returnByValue": True,
            },
            session=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(
                f"page check threw: {result['exceptionDetails']}"
            )
        return result["result"]["value"]

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)


def _browser_probe(url):
    """The browser's own request for /favicon.ico (the site declares no icon; not a page error)."""
    return urllib.parse.urlsplit(url).path == "/favicon.ico"


def console_problems(events):
    """Errors the console showed, scripts that threw, and requests that failed."""
    problems, urls = [], {}
    for event in events:
        method, params = event["method"], event.get("params", {})
        if _browser_probe(
            params.get("entry", {}).get("url", "")
            or params.get("response", {}).get("url", "")
            or urls.get(params.get("requestId"), "")
        ):
            continue
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Runtime.consoleAPICalled" and params["type"] in (
            "error",
            "assert",
        ):
            text = " ".join(
                str(a.get("value", a.get("description", "")))
                for a in params["args"]
            )
            problems.append(f"console.{params['type']}: {text[:200]}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get(
                "description"
            ) or details.get("text", "")
            problems.append(
                f"uncaught exception: {text.splitlines()[0][:200] if text else details}"
            )
        elif (
            method == "Log.entryAdded" and params["entry"]["level"] == "error"
        ):
            entry = params["entry"]
            problems.append(
                f"console error ({entry['source']}): {entry['text'][:200]} {entry.get('url', '')}"
            )
        elif (
            method == "Network.responseReceived"
            and params["response"]["status"] >= 400
        ):
            problems.append(
                f"HTTP {params['response']['status']}: {params['response']['url']}"
            )
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(
                f"request failed ({params['errorText']}): {urls.get(params['requestId'], '?')}"
            )
    return list(dict.fromkeys(problems))


class LinkParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.redirect = set(), [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        # index.html is a redirect (<meta http-equiv="Refresh" content="0; url=intro.html">).
        if (
            tag == "meta"
            and (attrs.get("http-equiv") or "").lower() == "refresh"
        ):
            match = re.search(
                r"url=(.*)", attrs.get("content") or "", re.IGNORECASE
            )
            if match:
                self.links.append(match.group(1).strip().strip("'\""))
                self.redirect = True


def broken_links(site, pages):
    """Relative links of every page whose target file or #fragment does not exist in the site."""
    parsed = {}

    def parse(path):
        if path not in parsed:
            parser = LinkParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parsed[path] = parser
        return parsed[path]

    broken = {}
    redirects = {page for page in pages if parse(page).redirect}
    for page in pages:
        for href in parse(page).links:
            url = urllib.parse.urlsplit(href)
            if url.scheme or url.netloc or href.startswith("//"):
                # external (http, mailto, javascript): not ours to resolve offline
                continue
            target = (
                page
                if not url.path
                else (page.parent / urllib.parse.unquote(url.path)).resolve()
            )
            if target.is_dir():
                target = target / "index.html"
            if (
                site.resolve() not in target.resolve().parents
                or not target.is_file()
            ):
                broken.setdefault(page, []).append(f"{href} (no such file)")
                continue
            fragment = urllib.parse.unquote(url.fragment)
            if (
                fragment
                and target.suffix == ".html"
                and fragment not in parse(target).ids
            ):
                broken.setdefault(page, []).append(
                    f"{href} (no id {fragment!r} in {target.name})"
                )
    return broken, redirects


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site",
        type=Path,
        default=ROOT / "_build" / "html",
        help="the built HTML",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="where to save PNGs (default: screenshots/ next to the site's html/)",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        help="check only these pages (paths relative to the site)",
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"no built site at {site}: run `make book` first")
    shots = (args.screenshots or site.parent / "screenshots").resolve()
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    pages = sorted(site.rglob("*.html"))
    pages = [
        p
        for p in pages
        if "_static" not in p.relative_to(site).parts
        and "_sources" not in p.relative_to(site).parts
    ]
    if args.only:
        pages = [site / p for p in args.only]
    links, redirects = broken_links(site, pages)

    executable = ensure_chromium()
    profile = tempfile.mkdtemp(prefix="check-site-profile-")
    # forks before any thread of ours exists
    browser = Browser(executable, profile)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failed = passed = 0
    try:
        try:
            for page in pages:
                rel = page.relative_to(site).as_posix()
                problems = [f"broken link {b}" for b in links.get(page, [])]
                browser.events.clear()
                QuietHandler.errors.clear()
                report = {}
                try:
                    nav = browser.call(
                        "Page.navigate", {"url": base + rel}, session=True
                    )
                    if nav.get("errorText"):
                        raise RuntimeError(
                            f"navigation failed: {nav['errorText']}"
                        )
                    # A redirect page is checked as what the reader ends up on: its target.
                    browser.wait_for(
                        "Page.loadEventFired",
                        count=2 if page in redirects else 1,
                    )
                    report = browser.evaluate(CHECK_JS)
                    # Full page: make the viewport as tall as the page (captureBeyondViewport alone
                    # shifts the sticky sidebars), capture, then restore the 1280x900 window.
                    size = browser.call("Page.getLayoutMetrics", session=True)[
                        "cssContentSize"
                    ]
                    height = max(900, int(size["height"]))
                    browser.call(
                        "Emulation.setDeviceMetricsOverride",
                        {
                            "width": 1280,
                            "height": height,
                            "deviceScaleFactor": 1,
                            "mobile": False,
                        },
                        session=True,
                    )
                    # One PNG per SHOT_HEIGHT pixels: a single capture is capped near 16384 px.
                    stem = rel[: -len(".html")].replace("/", "__")
                    for part, top in enumerate(
                        range(0, height, SHOT_HEIGHT), start=1
                    ):
                        clip = {
                            "x": 0,
                            "y": top,
                            "width": 1280,
                            "height": min(SHOT_HEIGHT, height - top),
                            "scale": 1,
                        }
                        shot = browser.call(
                            "Page.captureScreenshot",
                            {"format": "png", "clip": clip},
                            session=True,
                        )
                        name = (
                            f"{stem}.png"
                            if part == 1
                            else f"{stem}.part{part}.png"
                        )
                        (shots / name).write_bytes(
                            base64.b64decode(shot["data"])
                        )
                    browser.call(
                        "Emulation.clearDeviceMetricsOverride", session=True
                    )
                except (RuntimeError, TimeoutError) as error:
                    problems.append(str(error))
                problems += [
                    f"formula not typeset: {t!r}"
                    for t in report.get("untypeset", [])
                ]
                problems += [
                    f"MathJax error: {t}" for t in report.get("mathErrors", [])
                ]
                problems += [
                    f"raw TeX in text: {t!r}" for t in report.get("rawTex", [])
                ]
                problems += [
                    f"image did not load: {s}"
                    for s in report.get("brokenImages", [])
                ]
                problems += [
                    f"exercise/solution hidden: {t}"
                    for t in report.get("hiddenBlocks", [])
                ]
                problems += [
                    f"hide-input cell not collapsed: {t!r}"
                    for t in report.get("notCollapsed", [])
                ]
                if report.get("math") and not report.get("mathjax"):
                    problems.append(
                        "page has formulas but MathJax did not load"
                    )
                problems += console_problems(browser.events)
                problems += [
                    f"server answered {e}"
                    for e in QuietHandler.errors
                    if not _browser_probe(e.split()[1])
                ]
                problems = list(dict.fromkeys(problems))
                counts = (
                    f"{report.get('math', '?')} formulas, {report.get('images', '?')} images, "
                    f"{report.get('exercises', '?')} exercise/solution blocks, "
                    f"{report.get('hideInput', '?')} hidden inputs"
                )
                if problems:
                    failed += 1
                    print(f"FAIL {rel}: {counts}")
                    for problem in problems:
                        print(f"     {problem}")
                else:
                    passed += 1
                    print(f"ok   {rel}: {counts}")
                sys.stdout.flush()
        finally:
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(profile, ignore_errors=True)

    print(f"screenshots in {shots}; {time.monotonic() - start:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

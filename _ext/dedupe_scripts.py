"""Sphinx extension: drop the second copy of each inline <script> that
Sphinx 7 emits.

Sphinx 7.4 registers a script added with `app.add_js_file(None, body=...)`
once under the name None and once under '' (sphinx-doc/sphinx#13402, fixed in
Sphinx 8.2), so sphinx-thebe's `const THEBE_JS_URL = ...` appears twice on
every page and the second copy throws "SyntaxError: Identifier 'THEBE_JS_URL'
has already been declared" in the reader's console. `make check-site`
(tests/site/test_pages.py) fails on that error; this keeps the first copy
only.
"""


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (
            str(getattr(script, "filename", script) or ""),
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # in place: the builder restores its own list after each page
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

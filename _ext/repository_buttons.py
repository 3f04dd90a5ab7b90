"""Sphinx extension: repository and launch buttons once, and only once, the
book has a repository.

With `repository.url` empty in _config.yml, jupyter-book refuses
`use_repository_button: true`, and Binder and Colab buttons would lead
nowhere. So _config.yml leaves the repository button off, and this turns it on
when the url is set, and drops the launch buttons while it is empty: setting
the url is the one change that shows all three (README, "Publishing").
"""


def _buttons_follow_the_repository(app, config):
    options = config.html_theme_options
    if options.get("repository_url"):
        options["use_repository_button"] = True
    else:
        options["launch_buttons"] = {}


def setup(app):
    app.connect("config-inited", _buttons_follow_the_repository, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Every page of the site, opened in the browser at each width."""


def test_page_opens_with_a_title(
    new_context, open_page, site_url, page_path, width
):
    page = open_page(new_context, site_url, page_path, width)
    assert page.locator("h1").count() >= 1, page.url
    assert page.problems == []

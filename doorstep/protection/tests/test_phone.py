"""Social protection at 360 px in a real headless Chromium, on the demo: the overview, a scheme, the
eligible list, an application and the renewals fit the screen (no sideways scrolling, no cell off it).

Uses the demo server of core/tests/test_browser.py; skipped where Chromium is not installed."""

import pytest

from doorstep.core.tests.test_browser import CHROMIUM, _launch, _log_in, demo_server  # noqa: F401
from doorstep.core.tests.test_browser_phone import CELLS_OUTSIDE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"),
]


def test_the_protection_pages_fit_a_phone(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        _log_in(page, demo_server, "organizer-a")
        base = "/orgs/demo-union/protection/"
        page.goto(demo_server + base)
        scheme = page.locator("table a").first.get_attribute("href")
        application = page.locator("a[href*='/protection/applications/']").first.get_attribute("href")
        for path in (base, scheme, scheme + "eligible/", application, base + "renewals/"):
            response = page.goto(demo_server + path)
            assert response.status == 200, path
            assert page.evaluate(CELLS_OUTSIDE, None) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        browser.close()

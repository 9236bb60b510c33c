"""The SMS pages at 360 px in a real headless Chromium, without sideways scrolling: the organizer's
SMS page, a notice with its cost before sending, and the channel page. Uses the demo server of
core's test_browser.py (the demo union has a channel and a draft notice); skipped without Chromium."""

import pytest

from doorstep.core.tests.test_browser import CHROMIUM, _launch, _log_in, demo_server  # noqa: F401
from doorstep.core.tests.test_browser_phone import CELLS_OUTSIDE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"),
]


def test_the_sms_pages_fit_a_phone(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        _log_in(page, demo_server, "orgadmin-a")
        page.goto(demo_server + "/orgs/demo-union/sms/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        with page.expect_navigation():
            page.get_by_role("link", name="Meeting on Friday").click()
        assert "message parts in all" in page.content()
        assert page.evaluate(CELLS_OUTSIDE, None) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(demo_server + "/orgs/demo-union/sms/")
        with page.expect_navigation():
            page.get_by_role("link", name="Addresses and test message").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        browser.close()

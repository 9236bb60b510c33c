"""The market at 360 px in a real headless Chromium, with JavaScript off: the public catalogue, a
product page with its photo, and the cooperative's order page fit the screen. Skipped where Chromium
is not installed."""

import pytest

from doorstep.core.tests.test_browser import CHROMIUM, _launch, _log_in, demo_server  # noqa: F401
from doorstep.core.tests.test_browser_phone import CELLS_OUTSIDE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"),
]


def test_the_catalogue_and_an_order_fit_a_phone_without_javascript(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        public = browser.new_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
        public.goto(demo_server + "/market/demo-cooperative/")
        assert public.evaluate("document.documentElement.scrollWidth") <= 360
        with public.expect_navigation():
            public.get_by_role("link", name="Beaded bracelet").click()
        right = public.locator("img").first.evaluate("(img) => img.getBoundingClientRect().right")
        assert right <= 360
        assert public.evaluate(CELLS_OUTSIDE, None) == []
        assert public.evaluate("document.documentElement.scrollWidth") <= 360
        staff = browser.new_page(viewport={"width": 360, "height": 740})
        _log_in(staff, demo_server, "organizer-b")
        staff.goto(demo_server + "/orgs/demo-cooperative/market/orders/")
        with staff.expect_navigation():
            staff.locator("ul.rows a").first.click()
        assert staff.evaluate(CELLS_OUTSIDE, None) == []
        assert staff.evaluate("document.documentElement.scrollWidth") <= 360
        browser.close()

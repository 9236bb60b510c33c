"""The organizer's and the worker's day at 360 px in a real headless Chromium: no figure off-screen on
the passbook (nor off the 72 mm slip), the orders list and the dashboard; a form's errors in view.

Uses the demo server of test_browser.py; skipped where Chromium is not installed."""

import pytest

from doorstep.core.tests.test_browser import CHROMIUM, SCREENSHOTS, _launch, _log_in, demo_server  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"),
]

# Right edges of every table cell beyond the box that holds them (or the screen), as (text, excess px).
# A stacked table's header row is visually hidden (clipped, for screen readers): not on screen.
CELLS_OUTSIDE = """(box) => {
  const limit = Math.min(document.documentElement.clientWidth, box ? box.getBoundingClientRect().right : 1e9);
  const hidden = (cell) => {
    const head = cell.closest('thead');
    return head !== null && getComputedStyle(head).position === 'absolute';
  };
  return [...document.querySelectorAll('td, th')]
    .filter((cell) => cell.offsetParent !== null && !hidden(cell))
    .filter((cell) => cell.getBoundingClientRect().right > limit + 0.5)
    .map((cell) => [cell.innerText.trim(), cell.getBoundingClientRect().right - limit]);
}"""


def _phone(browser):
    return browser.new_page(viewport={"width": 360, "height": 740})


def test_no_figure_is_off_screen_on_the_orders_list_dashboard_and_passbook(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = _phone(browser)
        _log_in(page, demo_server, "organizer-b")
        for path in ("/orgs/demo-cooperative/work/", "/orgs/demo-cooperative/work/orders/"):
            page.goto(demo_server + path)
            assert page.evaluate(CELLS_OUTSIDE, None) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        with page.expect_navigation():
            page.locator("table a").first.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Her passbook").click()
        assert page.evaluate(CELLS_OUTSIDE, None) == []
        owed = page.locator("td[data-label]").filter(has_text="Owed").first
        assert owed.count() == 0 or owed.is_visible()
        page.screenshot(path=str(SCREENSHOTS / "passbook-360.png"), full_page=True)
        browser.close()


def test_the_narrow_passbook_prints_every_column_on_72_mm(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 800, "height": 900})
        _log_in(page, demo_server, "organizer-b")
        page.goto(demo_server + "/orgs/demo-cooperative/work/orders/")
        with page.expect_navigation():
            page.locator("table a").first.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Her passbook").click()
        page.goto(page.url.split("?")[0] + "?layout=narrow")
        page.emulate_media(media="print")
        box = page.locator(".passbook.narrow")
        width = box.evaluate("(el) => el.getBoundingClientRect().width")
        assert width <= 72 / 25.4 * 96 + 0.5  # 72 mm at 96 px an inch
        assert page.evaluate(CELLS_OUTSIDE, box.element_handle()) == []
        browser.close()


def test_a_form_with_errors_brings_its_summary_into_view(demo_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = _phone(browser)
        _log_in(page, demo_server, "organizer-b")
        page.goto(demo_server + "/orgs/demo-cooperative/members/new/")
        page.get_by_label("Full name").fill("Test Person")
        page.get_by_label("Year of birth").fill("19855")
        with page.expect_navigation():
            page.locator("form.form button[type=submit]").last.click()
        focused = page.evaluate("document.activeElement.className")
        assert focused == "error-summary"
        top = page.locator(".error-summary").evaluate("(el) => el.getBoundingClientRect().top")
        assert 0 <= top < 740
        page.locator(".error-summary a").first.click()
        assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
        page.screenshot(path=str(SCREENSHOTS / "registration-error-360.png"), full_page=False)
        browser.close()

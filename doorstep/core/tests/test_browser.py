"""The shell in a real headless Chromium at phone size: log in, switch organization, switch language.

Serves a fresh copy of Doorstep (its own SQLite file, migrated and loaded with the demo data, as
`make run` does) on 127.0.0.1 at a free port; the server is stopped after the test, and a `timeout`
stops it by itself should the test run be killed.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package `chromium`)"),
]


def _launch(playwright):
    """Debian's Chromium, headless, with no call home (this machine has no network beyond loopback)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOORSTEP_")}
    env.update(
        DATABASE_URL=f"sqlite:///{home / 'doorstep.sqlite3'}",
        DOORSTEP_ENV_FILE=str(ROOT / "var" / "doorstep.env"),
        DOORSTEP_DEBUG="1",
    )
    python = [sys.executable, "-m", "doorstep"]
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(python + command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        ["timeout", "600", *python, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)  # noqa: S310 - our own loopback server
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("the demo server did not start")
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_phone_sized_login_switch_organization_and_language(demo_server):
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(demo_server + "/")
        page.get_by_role("link", name="Staff: log in").click()
        page.get_by_label("Username").fill("orgadmin-a")
        page.get_by_label("Password").fill("doorstep-demo")
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "Demo Homeworkers Union"
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name="People").is_visible()

        # The switcher submits itself on change (the Switch button is hidden when JS runs).
        expect(page.get_by_role("button", name="Switch")).to_be_hidden()
        with page.expect_navigation():
            page.get_by_label("Organization").select_option("demo-network")
        assert page.locator("h1").inner_text() == "Demo Regional Network"
        assert nav.get_by_role("link", name="People").count() == 0  # an analyst there

        with page.expect_navigation():
            page.locator("#language").select_option("ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.get_by_role("button", name="تسجيل الخروج").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        page.screenshot(path=str(SCREENSHOTS / "shell-360-ar.png"), full_page=True)

        with page.expect_navigation():
            page.locator("#language").select_option("hi")
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.get_by_role("navigation").get_by_role("link", name="मुख्य पृष्ठ").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(SCREENSHOTS / "shell-360-hi.png"), full_page=True)
        browser.close()
    assert (SCREENSHOTS / "shell-360-ar.png").stat().st_size > 5_000


def _log_in(page, demo_server: str, username: str) -> None:
    page.goto(demo_server + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("doorstep-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_an_organizer_on_a_phone_finds_a_member_and_opens_her_profile(demo_server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        _log_in(page, demo_server, "organizer-b")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
        expect(page.locator("h1")).to_contain_text("Members")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_label("Name").fill("wanjiru")
        with page.expect_navigation():
            page.get_by_role("button", name="Search").click()
        assert "wanjiru" not in page.url.lower()  # the name never goes in the address
        first = page.locator("ul.rows li a").first
        expect(first).to_contain_text("Wanjiru")
        with page.expect_navigation():
            first.click()
        expect(page.locator("h1")).to_contain_text("Wanjiru")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(SCREENSHOTS / "member-360.png"), full_page=False)
        browser.close()


def test_an_organizer_records_a_batch_on_a_phone_and_prints_a_passbook(demo_server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        _log_in(page, demo_server, "organizer-b")
        with page.expect_navigation():
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Work and pay").click()
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_contain_text("Work and pay")
        expect(page.locator(".figures")).to_contain_text("still owed")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(SCREENSHOTS / "work-dashboard-360.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("link", name="Quick entry for a group").first.click()
        page.get_by_label("Work giver", exact=False).first.select_option(
            label="Mama Njeri (Intermediary or agent)"
        )
        page.get_by_label("Product or task").fill("Beaded key ring")
        page.locator("#id_sector").select_option("beadwork")
        page.get_by_label("Rate per unit").fill("15")
        boxes = page.locator(".qty input")
        boxes.nth(0).fill("30")
        boxes.nth(1).fill("20")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        with page.expect_navigation():
            page.get_by_role("button", name="Record the batch").click()
        expect(page.locator(".message")).to_contain_text("2 orders are recorded.")
        page.goto(demo_server + "/orgs/demo-cooperative/work/orders/?")
        expect(page.locator("table")).to_contain_text("Beaded key ring")
        with page.expect_navigation():
            page.locator("table a").first.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Her passbook").click()
        # In her language (Swahili for the cooperative's demo members) unless the organizer switches.
        expect(page.locator("h1")).to_contain_text("Daftari la malipo")
        with page.expect_navigation():
            page.get_by_role("link", name="English").click()
        expect(page.locator("h1")).to_contain_text("Passbook")
        page.evaluate("window.print = () => { window.__printed = true; }")
        page.get_by_role("button", name="Print").click()  # shown only where JavaScript runs
        assert page.evaluate("window.__printed === true")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(SCREENSHOTS / "passbook-360.png"), full_page=True)
        browser.close()


def test_a_worker_reports_a_problem_without_javascript_and_checks_it(demo_server):
    """The public intake form on a basic phone's browser: JavaScript off, no account."""
    import re

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
        page = context.new_page()
        page.goto(demo_server + "/intake/demo-union-intake/")
        assert page.locator("h1").inner_text() == "Tell us about a problem at work"
        box = page.locator(".hp").bounding_box()  # the robots' field, moved off screen by the stylesheet
        assert box is None or box["x"] + box["width"] < 0
        page.get_by_label("What happened?").fill("Rekha has not paid for the uppers we stitched in October.")
        page.get_by_label("Payment delayed").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        receipt = page.locator(".receipt").inner_text().strip()
        assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", receipt)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.get_by_role("link", name="Check what happened to your report").click()
        page.get_by_label("Your receipt code").fill(receipt.lower())
        with page.expect_navigation():
            page.get_by_role("button", name="Check").click()
        assert "Waiting to be read" in page.locator("dl").inner_text()
        page.get_by_label("Your receipt code").fill("AAAA-BBBB-CCCC")
        with page.expect_navigation():
            page.get_by_role("button", name="Check").click()
        assert page.get_by_text("No report has this code").is_visible()
        browser.close()


# The public pages: anyone, no login. Each must work without JavaScript and pass axe-core with no
# serious or critical violation.
PUBLIC_PAGES = [
    "/directory/",
    "/directory/?country=IN&sector=embroidery",
    "/directory/demo-union/",
    "/bulletins/",
    "/bulletins/demo-network/",
    "/resources/",
    "/resources/?topic=pay",
    "/events/",
    "/laws/",
    "/laws/ES/",
    "/campaigns/",
    "/open-data/",
]


def _public_pages(base: str) -> list[str]:
    """The public pages, with the demo's first bulletin, resource, event and campaign found in their lists."""
    import re

    archive = urllib.request.urlopen(base + "/bulletins/demo-network/", timeout=10).read().decode()  # noqa: S310
    library = urllib.request.urlopen(base + "/resources/", timeout=10).read().decode()  # noqa: S310
    events = urllib.request.urlopen(base + "/events/", timeout=10).read().decode()  # noqa: S310
    campaigns = urllib.request.urlopen(base + "/campaigns/", timeout=10).read().decode()  # noqa: S310
    return [
        *PUBLIC_PAGES,
        re.search(r"/bulletins/demo-network/\d+/", archive).group(0),
        re.search(r"/resources/\d+/", library).group(0),
        re.search(r"/events/\d+/", events).group(0),
        re.search(r"/campaigns/\d+/", campaigns).group(0),
    ]


def test_public_pages_work_without_javascript(demo_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
        page = context.new_page()
        for path in _public_pages(demo_server):
            response = page.goto(demo_server + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        # The directory's filter is a plain GET form: it works with no script at all.
        page.goto(demo_server + "/directory/")
        page.get_by_text("Filter").click()
        page.get_by_label("Country", exact=True).select_option("KE")
        with page.expect_navigation():
            page.get_by_role("button", name="Show").click()
        assert "country=KE" in page.url
        assert page.get_by_role("link", name="Demo Home-Based Workers Cooperative").is_visible()
        assert page.get_by_role("link", name="Demo Homeworkers Union").count() == 0
        # Subscribing to the bulletins is a plain form too.
        page.goto(demo_server + "/bulletins/demo-network/")
        page.get_by_label("Your e-mail address").fill("someone@example.org")
        with page.expect_navigation():
            page.get_by_role("button", name="Subscribe").click()
        assert page.locator("h1").inner_text() == "Check your e-mail"
        browser.close()


def test_public_pages_pass_axe_core(demo_server):
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.sync_api import sync_playwright

    failures = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        # The check can fail: a picture without words and a nameless button are caught.
        page.set_content(
            '<html lang="en"><body><main><img src="x.png"><button></button></main></body></html>'
        )
        page.evaluate(AXE_SCRIPT)
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
        assert {"image-alt", "button-name"} <= {v["id"] for v in found}
        for language in ("en", "ar"):
            page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_server}])
            for path in _public_pages(demo_server):
                page.goto(demo_server + path)
                page.evaluate(AXE_SCRIPT)
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                for violation in result["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        failures.append(f"{language} {path}: {violation['id']} {targets}")
        browser.close()
    assert failures == []

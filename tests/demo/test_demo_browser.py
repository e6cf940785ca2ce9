"""The demo in headless Chromium, as a visitor uses it: a rep opens the evening prompt, clicks
Log hours, gets an inline error, fixes it and sees the confirmation; the manager runs
`/rolesplit report` and sees the verdict; the clock moves to Monday 09:00 and the rollup
with its chart appears in the rollup channel. Saves docs/demo.png of the rollup."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.demo.runner import Demo

CHROMIUM = os.environ.get("ROLESPLIT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "demo.png"
WAIT_MS = 30_000
LONG_WAIT_MS = 120_000  # a clock jump of days, on a loaded machine

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="test_demo_browser needs Playwright: pip install -e '.[test]'",
)


@pytest.fixture
def page(demo: Demo) -> Iterator[object]:
    """A Chromium page on the demo (skipped, saying how to get a browser, without one)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"test_demo_browser needs Chromium at {CHROMIUM}: apt-get install chromium "
            "(or set ROLESPLIT_CHROMIUM to a Chromium binary)"
        )
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1440, "height": 900})
            pg.set_default_timeout(WAIT_MS)
            playwright_api.expect.set_options(timeout=WAIT_MS)
            errors: list[str] = []
            pg.on("pageerror", lambda e: errors.append(str(e)))
            pg.goto(demo.url + "/#as=U0SAM")
            yield pg
            assert errors == [], errors
        finally:
            browser.close()


def test_demo_in_a_browser(demo: Demo, page: object) -> None:
    pg = page  # a playwright Page
    expect = playwright_api.expect
    pg.wait_for_selector("[data-testid=messages]")  # type: ignore[attr-defined]

    # a rep: the evening prompt, Log hours, an inline error, then saved
    pg.click("[data-clock='17:30']")  # type: ignore[attr-defined]
    # the clock has moved once "rolesplit is working…" is gone: the scheduler pass has run and
    # the colleagues have answered their prompts (the report below counts Dana's day)
    busy = pg.locator("#busy")  # type: ignore[attr-defined]
    expect(busy).to_be_hidden()
    log_hours = pg.get_by_role("button", name="Log hours").last  # type: ignore[attr-defined]
    log_hours.click()
    modal = pg.locator("[data-testid=modal]")  # type: ignore[attr-defined]
    expect(modal).to_contain_text("Log your hours")
    hours = modal.locator("input.bk-field-input[type=number]")
    hours.nth(0).fill("3")
    hours.nth(1).fill("30")
    pg.click("[data-testid=modal-submit]")  # type: ignore[attr-defined]
    expect(modal.locator(".bk-error")).to_contain_text("24")
    expect(modal.locator("input.bk-field-input[type=number]").nth(0)).to_have_value("3")
    modal.locator("input.bk-field-input[type=number]").nth(1).fill("1.5")
    modal.locator("input.bk-field-input[type=number]").nth(3).fill("3.5")
    pg.click("[data-testid=modal-submit]")  # type: ignore[attr-defined]
    expect(modal).to_have_count(0)
    messages = pg.locator("[data-testid=messages]")  # type: ignore[attr-defined]
    expect(messages).to_contain_text("Logged Wed 4 Mar: 8 h")

    # the manager: the last four weeks' report answers with the verdict and how sure it is (the
    # sample team sits close to the line, so the honest verdict is "inconclusive — keep logging")
    pg.select_option("[data-testid=you-are]", "U0MAYA")  # type: ignore[attr-defined]
    expect(pg.locator("[data-testid=nav-sales-leadership]")).to_be_visible()  # type: ignore[attr-defined]
    pg.fill("[data-testid=composer]", "/rolesplit report 28d")  # type: ignore[attr-defined]
    pg.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(messages).to_contain_text("Inconclusive — keep logging. 55% farming")
    expect(messages).to_contain_text("90% sure it is between")
    expect(messages).to_contain_text("What counts: hunting =")
    expect(messages).to_contain_text("Capacity:")

    # Monday 09:00: the rollup and its chart in the rollup channel
    # Monday 09:00 is about 110 hourly scheduler passes away (about 12 s on an idle machine)
    pg.click("[data-clock='mon09:00']")  # type: ignore[attr-defined]
    expect(busy).to_be_hidden(timeout=LONG_WAIT_MS)
    expect(pg.locator("[data-testid=clock]")).to_contain_text("Mon 9 Mar, 09:00")  # type: ignore[attr-defined]
    pg.click("[data-testid=nav-sales-leadership]")  # type: ignore[attr-defined]
    expect(messages).to_contain_text("last week (Mon 2 Mar")
    newest = messages.locator(".msg").last
    expect(newest).to_contain_text("Weekly rollup")
    newest.locator(".thread-link").click()
    thread = pg.locator("[data-testid=thread]")  # type: ignore[attr-defined]
    expect(thread).to_contain_text("week of 2 Mar")
    chart = thread.locator("img")
    expect(chart).to_be_visible()
    expect(busy).to_be_hidden()
    expect(pg.locator("#toast")).to_be_hidden()  # type: ignore[attr-defined]
    width = chart.evaluate("img => img.complete ? img.naturalWidth : 0")
    assert width > 300  # the PNG the app rendered, served by the simulated Slack
    SCREENSHOT.parent.mkdir(exist_ok=True)
    pg.screenshot(path=str(SCREENSHOT))  # type: ignore[attr-defined]

"""The demo end to end without a browser: the seeded agency, then the evening prompt, the Log
hours form with an inline error, a manager's report and Monday's rollup — each click and
command a signed request to the real app, each answer through the simulated Web API."""

from __future__ import annotations

from pathlib import Path

from bot.demo import agency
from bot.demo.model import Message
from bot.demo.runner import Demo
from bot.demo.seed import wait_for
from bot.demo.state import elements_in
from tests.support.constants import DEMO_START as START

SAM, MAYA = "U0SAM", "U0MAYA"


def button(msg: Message, action_id: str) -> tuple[str, str | None]:
    for bid, el, _ in elements_in(msg.blocks):
        if el.get("action_id") == action_id:
            return bid, el.get("value")
    raise AssertionError(f"no {action_id} in {msg.blocks}")


def test_the_seeded_agency(demo: Demo) -> None:
    roles = demo.roles()
    assert roles == agency.ROLES
    assert demo.clock() == START
    rollups = [
        m for m in demo.ws.history(agency.ROLLUP_CHANNEL, MAYA) if "Weekly rollup" in str(m.blocks)
    ]
    assert len(rollups) == 4  # one per past week
    charts = [
        demo.ws.files[f]
        for r in rollups
        for reply in demo.ws.replies(agency.ROLLUP_CHANNEL, r.ts, MAYA)
        for f in reply.files
    ]
    assert len(charts) == 4 and all(c.content.startswith(b"\x89PNG") for c in charts)
    handoff = next(c for c in demo.ws.channels.values() if c.name.startswith("handoff-"))
    assert handoff.name == "handoff-brightline-logistics"
    assert {SAM, "U0DANA", MAYA} <= set(handoff.members)
    intro = demo.ws.history(handoff.id, SAM)[0]
    assert str(intro.blocks).count(":untick") == 3 and str(intro.blocks).count(":tick") == 2
    assert any("6-week time study" in str(m.blocks) for m in demo.ws.history("D0SAM", SAM))
    page = demo.render({"as": MAYA, "c": agency.ROLLUP_CHANNEL})
    assert "Weekly rollup" in page["main"] and "sales-leadership" in page["sidebar"]


def test_evening_prompt_form_report_and_rollup(demo: Demo, tmp_path: Path) -> None:
    done = demo.move_clock("17:30", SAM)
    assert done["prompts"] >= 1
    prompt = next(
        m for m in reversed(demo.ws.history("D0SAM", SAM)) if "daylog_open" in str(m.blocks)
    )
    bid, value = button(prompt, "daylog_open")
    assert demo.driver.click(SAM, "D0SAM", prompt.ts, bid, "daylog_open", value).ok
    demo.site.settle()
    view = demo.ws.top_modal(SAM)
    assert view is not None and view.spec["title"]["text"] == "Log your hours"
    fields = [b for b, el, inp in elements_in(view.spec["blocks"]) if inp and b.startswith("cat_")]
    assert len(fields) == 6
    bad = demo.driver.submit(SAM, view.id, {fields[0]: {"hours": "30"}})
    assert not bad.ok and "24" in bad.errors[fields[0]]
    assert demo.render({"as": SAM})["modal"].count("bk-error") == 1
    mark = demo.ws.next_ts()
    good = demo.driver.submit(
        SAM, view.id, {fields[0]: {"hours": "4"}, fields[3]: {"hours": "3.5"}}
    )
    assert good.ok and demo.ws.top_modal(SAM) is None
    assert wait_for(demo, SAM, "D0SAM", mark, "✅ Logged Wed 4 Mar: 7.5 h").user == agency.BOT.id

    mark = demo.ws.next_ts()
    assert demo.driver.type_text(MAYA, "D0MAYA", "/rolesplit report").ok
    report = wait_for(demo, MAYA, "D0MAYA", mark, "Verdict")
    assert report.only_for == MAYA and "Capacity" in str(report.blocks)

    before = len(demo.ws.history(agency.ROLLUP_CHANNEL, MAYA))
    assert demo.move_clock("mon09:00", MAYA)["rollups"] == 1
    rollup = demo.ws.history(agency.ROLLUP_CHANNEL, MAYA)[-1]
    assert len(demo.ws.history(agency.ROLLUP_CHANNEL, MAYA)) == before + 1
    assert "Mon 2 Mar" in str(rollup.blocks) and "Not logging" not in str(rollup.blocks)
    chart = demo.ws.replies(agency.ROLLUP_CHANNEL, rollup.ts, MAYA)[0]
    assert demo.ws.files[chart.files[0]].is_image

    # the workspace is kept next to the database: a restart picks up where it was
    count = sum(len(v) for v in demo.ws.messages.values())
    demo.stop()
    again = Demo(demo.db, port=0).start()
    try:
        assert not again.fresh and again.clock() == demo.clock()
        assert sum(len(v) for v in again.ws.messages.values()) == count
        assert again.roles() == agency.ROLES
    finally:
        again.stop()
        demo.stop = lambda: None  # type: ignore[method-assign]

"""A fresh sample agency, made the way it would happen in Slack: the manager builds the roster
and starts the study with signed `/rolesplit` commands, a rep declares a win and the two
tick its checklist with clicks, the scheduler pass runs at the moments that matter (weekly
rollups, nudges, the fit question) — and four weeks of logged days go straight into the
database with the app's own storage function."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.demo import agency
from bot.demo.clock import local_instant
from bot.demo.model import Message
from storage import repo
from storage import timelog_repo as tl

if TYPE_CHECKING:
    from bot.demo.host import DemoHost as Demo

log = logging.getLogger("bot.demo")
WAIT_SECONDS = 30.0
MAYA, SAM, DANA = "U0MAYA", "U0SAM", "U0DANA"
WIN = "/rolesplit won Brightline Logistics am:@dana rep:@sam value:48000"


class SeedError(RuntimeError):
    """The app did not answer a seeding step as expected."""


def office(day: date, hh: int, mm: int = 0) -> datetime:
    """A wall-clock time in the office's zone (UTC)."""
    return local_instant(day, dtime(hh, mm), agency.WORKSPACE_TZ)


def wait_for(demo: Demo, user: str, channel: str, after: str, words: str) -> Message:
    """The first message after `after` that `user` sees in `channel` containing `words`."""
    deadline = time.monotonic() + WAIT_SECONDS
    seen = demo.ws.version - 1
    while time.monotonic() < deadline:
        for m in demo.ws.messages.get(channel, []):
            fresh = float(m.ts) > float(after) and m.only_for in (None, user)
            if fresh and (words in m.text or words in str(m.blocks)):
                return m
        seen = demo.ws.wait(seen, 1.0)
    raise SeedError(f"no message with {words!r} in {channel} within {WAIT_SECONDS:.0f} s")


def say(demo: Demo, user: str, channel: str, text: str, expect: str) -> Message:
    """Type a message or command as a person and wait for the app's answer."""
    mark = demo.ws.next_ts()
    out = demo.driver.type_text(user, channel, text)
    if not out.ok:
        raise SeedError(f"{text!r}: {out.note}")
    found = wait_for(demo, user, channel, mark, expect)
    demo.settle()  # what the app does after its answer happens at this moment too
    return found


def click(demo: Demo, user: str, msg: Message, action_prefix: str, value_part: str = "") -> None:
    """Click the first button of a message whose action id starts with a prefix."""
    for block in msg.blocks:
        elements = list(block.get("elements") or [])
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        for el in elements:
            aid, value = str(el.get("action_id") or ""), str(el.get("value") or "")
            if el.get("type") == "button" and aid.startswith(action_prefix) and value_part in value:
                out = demo.driver.click(
                    user, msg.channel, msg.ts, str(block["block_id"]), aid, value or None
                )
                if not out.ok:
                    raise SeedError(f"click {aid}: {out.note}")
                demo.settle()
                return
    raise SeedError(f"no {action_prefix!r} button with {value_part!r} in the message")


def write_history(demo: Demo, first_monday: date, last_day: date) -> int:
    """The reps' logged days, written with the app's save_day (as if logged each evening)."""
    assert demo.services is not None
    days = agency.history(first_monday, last_day)
    with demo.services.Session.begin() as s:
        ws = repo.get_workspace(s, agency.TEAM_ID)
        assert ws is not None
        cats = {c.key: c.id for c in repo.categories(s, ws.id)}
        members = repo.members_by_user_ids(s, ws.id, list(agency.FARMING))
        for d in days:
            tz = ZoneInfo(demo.ws.users[d.user_id].tz)
            logged_at = datetime.combine(d.day, dtime(17, 50), tz)
            tl.save_day(
                s,
                members[d.user_id].id,
                d.day,
                {cats[k]: v for k, v in d.hours.items()},
                note=d.note,
                source="day_off" if d.day_off else "modal",
                now=logged_at,
                day_off=d.day_off,
            )
    return len(days)


def seed(demo: Demo) -> None:
    """Build the sample agency's last four weeks, ending at the demo's start instant."""
    start = demo.clock()
    today = start.astimezone(ZoneInfo(agency.WORKSPACE_TZ)).date()
    w0 = today - timedelta(days=today.weekday())
    weeks = [w0 - timedelta(days=7 * n) for n in (4, 3, 2, 1)]
    maya_dm = demo.ws.dm(MAYA).id
    started = time.perf_counter()

    demo.clock.set(office(weeks[0], 8, 30), rewind=True)
    say(demo, MAYA, maya_dm, "/rolesplit add @maya as manager", "Added")
    say(demo, MAYA, maya_dm, "/rolesplit add @sam @priya @tom as hunter", "Added")
    say(demo, MAYA, maya_dm, "/rolesplit add @dana @lee as farmer", "Added")
    say(demo, MAYA, maya_dm, "/rolesplit add @jordan as hybrid", "Added")
    say(demo, MAYA, maya_dm, "/rolesplit handoff join", "invited")
    logged = write_history(demo, weeks[0], today - timedelta(days=1))

    demo.tick_at(office(weeks[1], 9, 5))  # the first weekly rollup
    demo.clock.set(office(weeks[1], 9, 40))
    say(demo, MAYA, maya_dm, "/rolesplit study start 6 weeks", "Time study started")
    demo.tick_at(office(weeks[2], 9, 5))

    demo.clock.set(office(weeks[2] + timedelta(days=3), 11, 20))
    sam_dm = demo.ws.dm(SAM).id
    say(demo, SAM, sam_dm, WIN, "Hand-off started")
    intro = _intro(demo)
    demo.tick_at(office(weeks[2] + timedelta(days=4), 11, 30))  # the one-day nudge
    demo.clock.set(office(weeks[2] + timedelta(days=4), 14, 10))
    click(demo, SAM, _latest(demo, intro), "checklist_toggle", ":tick")
    _chat(demo, DANA, intro.channel, "Intro call with Brightline's ops lead booked for Tuesday 🙌")
    demo.tick_at(office(weeks[3], 9, 5))
    demo.clock.set(office(weeks[3] + timedelta(days=1), 10, 15))
    click(demo, DANA, _latest(demo, intro), "checklist_toggle", ":tick")
    demo.clock.set(office(weeks[3] + timedelta(days=1), 16, 0))
    click(demo, MAYA, _latest(demo, intro), "checklist_toggle", "credit")
    demo.tick_at(office(weeks[3] + timedelta(days=3), 11, 30))  # the seven-day nudge

    demo.tick_at(office(w0, 9, 5) if start > office(w0, 9, 5) else start)
    demo.tick_at(start)  # whatever else is due now (the fit question, prompts)
    _answer_fit(demo)
    log.info("seeded %d logged days in %.1fs", logged, time.perf_counter() - started)


def _intro(demo: Demo) -> Message:
    """The hand-off channel's introduction."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for c in list(demo.ws.channels.values()):
            if c.name.startswith("handoff-"):
                for m in demo.ws.messages.get(c.id, []):
                    if any(b.get("accessory") for b in m.blocks):
                        return m
        demo.ws.wait(demo.ws.version, 1.0)
    raise SeedError("the hand-off channel was not created")


def _latest(demo: Demo, msg: Message) -> Message:
    found = demo.ws.message(msg.channel, msg.ts)
    if found is None:
        raise SeedError("the introduction is gone")
    return found


def _chat(demo: Demo, user: str, channel: str, text: str) -> None:
    demo.ws.post(Message(channel, demo.ws.next_ts(), user, demo.driver.escape(text)))


def _answer_fit(demo: Demo) -> None:
    """Three reps answer the fit question (hunting 1 … 5 farming) with one click."""
    for user, score in (("U0SAM", "1"), ("U0DANA", "5"), ("U0JORDAN", "4")):
        dm = demo.ws.dm(user).id
        for m in reversed(demo.ws.messages.get(dm, [])):
            if "study_fit_" in str(m.blocks):
                click(demo, user, m, f"study_fit_{score}")
                break

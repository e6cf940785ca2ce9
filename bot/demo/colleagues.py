"""The other people of the sample agency: when the clock moves on, they answer their evening
prompts in plain words, the way a rep would (a real DM to the app, through /slack/events)."""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

from bot.demo import agency

if TYPE_CHECKING:
    from bot.demo.host import DemoHost as Demo

OPEN_MODAL = "daylog_open"  # the prompt's Log hours button (bot.timelog.views.OPEN_MODAL)


def answer_prompts(demo: Demo, since: str, viewer: str) -> int:
    """Reply to every evening prompt posted after `since` to someone other than the viewer."""
    replied = 0
    for user_id in agency.FARMING:
        if user_id == viewer:
            continue
        dm = demo.ws.dm(user_id).id
        for m in list(demo.ws.messages.get(dm, [])):
            if float(m.ts) <= float(since) or OPEN_MODAL not in str(m.blocks):
                continue
            # seeded by the person and the prompt's instant (the ts's whole seconds, the demo
            # clock), not its counter, which depends on which of the evening's DMs went first
            rng = random.Random(f"{user_id}:{m.ts.split('.')[0]}")
            text = agency.evening_reply(user_id, rng)
            if text is not None and demo.driver.type_text(user_id, dm, text).ok:
                replied += 1
                answered(demo, dm, m.ts)
    return replied


def answered(demo: Demo, channel: str, ts: str, timeout: float = 10.0) -> bool:
    """Wait (bounded) until the app has marked a prompt as answered."""
    deadline = time.monotonic() + timeout
    seen = demo.ws.version - 1
    while time.monotonic() < deadline:
        prompt = demo.ws.message(channel, ts)
        if prompt is None or OPEN_MODAL not in str(prompt.blocks):
            return True
        seen = demo.ws.wait(seen, 0.5)
    return False

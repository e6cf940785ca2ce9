"""`/rolesplit away` — managers mark a rep away (or back), and see who is away.

`/rolesplit away @dana until 2026-12-24 conference`, `/rolesplit away @dana 5 days`,
`/rolesplit away @dana off`, `/rolesplit away` (the list). An away rep gets no evening question
or reminder, and the days are neither missed nor counted as work days.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.calendar import calendar_for, is_holiday
from bot.slack.router import COMMAND, MENTION_RE, Command
from bot.timecalc import local_today, parse_pause
from storage import away_repo, repo

log = logging.getLogger(__name__)

USAGE = "away @user until YYYY-MM-DD [reason] | away @user off — no evening questions while away"
_WHEN = re.compile(
    r"^(?P<when>(?:until|till|through|to)\s+\S+|\d{1,4}\s*(?:d|days?|w|wks?|weeks?)\b)\s*(?P<why>.*)$",
    re.IGNORECASE,
)
OFF_WORDS = frozenset({"off", "back", "clear", "none", "end", "stop"})


@dataclass(frozen=True)
class AwayArgs:
    """A parsed `/rolesplit away`: who, through which day (None: back now), and why."""

    user_ids: list[str]
    until: date | None
    reason: str | None


def parse_away(args: str, mentions: list[str], today: date) -> AwayArgs | str:
    """Read `@a @b until DATE [reason]`, `@a N days [reason]` or `@a off`; or say what's wrong."""
    rest = " ".join(MENTION_RE.sub(" ", args).split())
    example = f"`/rolesplit away @dana until {(today + timedelta(days=7)).isoformat()}`"
    if not mentions:
        return f"Mention who is away, e.g. {example} or `/rolesplit away @dana off`."
    if rest.lower() in OFF_WORDS:
        return AwayArgs(mentions, None, None)
    match = _WHEN.match(rest)
    if not match:
        return f"Say until when, e.g. {example} (a reason may follow), or `off` when they're back."
    until = parse_pause(match.group("when"), today)
    if isinstance(until, str):
        return f"{until} Usage: `{COMMAND} {USAGE}`"
    reason = match.group("why").strip(" \"'“”:—-") or None
    return AwayArgs(mentions, until, reason[:200] if reason else None)


def handle_away(cmd: Command) -> None:
    """Mark reps away through a day, or back (`off`); without arguments, list who is away."""
    services, req = cmd.services, cmd.request
    today, holidays = req.today, req.settings.holidays
    if not cmd.args.strip():
        with cmd.reading() as s:
            ws = req.workspace
            text = away_list(s, ws.id if ws else None, today, holidays)
        cmd.ack(response_type="ephemeral", text=text)
        return
    parsed = parse_away(cmd.args, cmd.mentions, today)
    if isinstance(parsed, str):
        cmd.ack(response_type="ephemeral", text=parsed)
        return
    ws_id = req.workspace_id()
    done, problems = [], []
    with services.Session.begin() as s:
        found = repo.members_by_user_ids(s, ws_id, parsed.user_ids)
        for uid in parsed.user_ids:
            member = found.get(uid)
            if member is None or not member.active:
                problems.append(f"<@{uid}> isn't on the roster")
                continue
            if not member.is_rep:
                problems.append(f"<@{uid}> is a manager and gets no evening questions")
                continue
            their_today = local_today(services.now(), member.tz)
            if parsed.until is None:
                if away_repo.end_period(s, member.id, away_repo.AWAY, their_today):
                    done.append(uid)
                else:
                    problems.append(f"<@{uid}> wasn't marked away")
            elif parsed.until < their_today:
                problems.append(f"{parsed.until:%a %-d %b} has already passed for <@{uid}>")
            else:
                away_repo.set_period(
                    s,
                    member.id,
                    away_repo.AWAY,
                    their_today,
                    parsed.until,
                    now=services.now(),
                    reason=parsed.reason,
                    set_by=cmd.user_id,
                )
                done.append(uid)
    cmd.ack(response_type="ephemeral", text=_answer(parsed, done, problems))
    for uid in done:
        _tell_rep(cmd, uid, parsed)


def _people(ids: list[str]) -> str:
    names = [f"<@{u}>" for u in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _answer(parsed: AwayArgs, done: list[str], problems: list[str]) -> str:
    lines = []
    if done and parsed.until is not None:
        why = f" ({parsed.reason})" if parsed.reason else ""
        lines.append(
            f"🌴 {_people(done)} {'is' if len(done) == 1 else 'are'} away through "
            f"*{parsed.until:%a %-d %b}*{why}: no evening questions or reminders till then, and "
            "those days don't count as missed. Back earlier: "
            f"`/rolesplit away {_mention(done)} off`."
        )
    elif done:
        lines.append(
            f"▶️ {_people(done)} {'is' if len(done) == 1 else 'are'} back: evening questions "
            "are on again."
        )
    if problems:
        lines.append("Nothing changed for " + "; ".join(problems) + ".")
    return "\n".join(lines)


def _mention(ids: list[str]) -> str:
    return " ".join(f"<@{u}>" for u in ids)


def _tell_rep(cmd: Command, user_id: str, parsed: AwayArgs) -> None:
    """A short DM so the rep knows why the evening question stops (or starts again)."""
    if parsed.until is not None:
        why = f" ({parsed.reason})" if parsed.reason else ""
        text = (
            f"🌴 <@{cmd.user_id}> marked you away through *{parsed.until:%a %-d %b}*{why}: no "
            "evening questions till then, and those days don't count as missed. Enjoy!"
        )
    else:
        text = f"▶️ <@{cmd.user_id}> marked you back: your evening question is on again."
    try:
        cmd.client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as err:  # the change stands; the rep just isn't told
        log.info("away DM to %s not sent: %s", user_id, err.response.get("error"))


def away_list(session: Session, workspace_id: int | None, today: date, holidays: str | None) -> str:
    """Who is paused or away today, through when and why, and today's public holiday."""
    reps = [m for m in repo.roster(session, workspace_id) if m.is_rep] if workspace_id else []
    current = away_repo.current(session, [m.id for m in reps], today)
    lines = []
    holiday = is_holiday(calendar_for(holidays), today)
    if holiday:
        lines.append(f"🎉 Today is a public holiday ({holiday}): nobody is asked.")
    for m in reps:
        for period in current.get(m.id, []):
            word = "paused" if period.kind == away_repo.PAUSED else "away"
            why = f" — {period.reason}" if period.reason else ""
            lines.append(f"• <@{m.user_id}> {word} through {period.last_day:%a %-d %b}{why}")
    if not lines:
        return (
            "Nobody is away today. Mark someone away with "
            f"`/rolesplit away @dana until {today.isoformat()}`."
        )
    return "*Away*\n" + "\n".join(lines)

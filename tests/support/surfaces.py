"""A small team written to the database, the numbers it must give (computed from the plain data,
not from the database), and checks that a surface shows exactly those numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from bot.config import parse_work_days
from bot.reports.numbers import Numbers, RepInput, compute
from bot.reports.verdict import CONSIDER, INCONCLUSIVE, KEEP, NO_DATA, SEPARATE
from bot.slack.blocks import fmt_hours
from bot.split import Split, whole_percentages
from storage import repo
from storage.models import AwayPeriod, DayLog, Study, TimeEntry

CATEGORY = {"hunting": "prospecting", "farming": "account_service", "other": "admin"}
WEEKDAYS = (0, 1, 2, 3, 4)
OFF = "off"
PHRASE = {
    SEPARATE: "Separate the roles",
    CONSIDER: "Consider separating",
    KEEP: "Keep the roles combined",
    INCONCLUSIVE: "Inconclusive — keep logging",
    NO_DATA: "No hours logged in this period yet.",
}


@dataclass(frozen=True)
class Rep:
    """One rep as a test writes them: who, since when, which days, and what each day holds."""

    user_id: str
    joined: date
    days: Mapping[date, Mapping[str, str] | str]  # kind -> hours, or OFF for "Day off"
    work_days: str | None = None  # their own ("mon,tue,wed,thu"), None: Monday to Friday
    paused_until: date | None = None
    name: str | None = None


@dataclass
class Team:
    """A team, the period to report on, and today."""

    reps: Sequence[Rep]
    first: date
    last: date
    today: date
    extra: dict[str, Any] = field(default_factory=dict)


def seed(s: Session, team_id: str, team: Team, study: bool = True) -> None:
    """Write the workspace, the roster, the day log and (optionally) an open study of the period."""
    ws = repo.ensure_workspace(s, team_id)
    cats = {c.key: c.id for c in repo.categories(s, ws.id)}
    for r in team.reps:
        joined = datetime(r.joined.year, r.joined.month, r.joined.day, 8, tzinfo=UTC)
        member, _ = repo.upsert_member(s, ws.id, r.user_id, "hybrid", tz="UTC", now=joined)
        member.created_at = joined
        member.work_days = r.work_days
        member.paused_until = r.paused_until
        member.display_name = r.name
        s.flush()
        away = away_of(r)
        if away:  # a pause is kept as an away period, as /rolesplit pause records it
            s.add(
                AwayPeriod(
                    member_id=member.id, kind="paused", first_day=min(away), last_day=max(away)
                )
            )
        for day, held in sorted(r.days.items()):
            log = DayLog(
                member_id=member.id,
                work_date=day,
                status="day_off" if held == OFF else "logged",
                source="import",
                logged_at=joined,
            )
            s.add(log)
            s.flush()
            if held == OFF:
                continue
            assert not isinstance(held, str)
            for kind, hours in held.items():
                if Decimal(hours):
                    s.add(
                        TimeEntry(
                            day_id=log.id,
                            member_id=member.id,
                            work_date=day,
                            category_id=cats[CATEGORY[kind]],
                            hours=Decimal(hours),
                        )
                    )
    if study:
        s.add(
            Study(
                workspace_id=ws.id,
                started_by="UMGR",
                starts_on=team.first,
                ends_on=team.last,
                weeks=max(1, ((team.last - team.first).days + 1) // 7),
                status="open",
                created_at=datetime(team.first.year, team.first.month, team.first.day, tzinfo=UTC),
            )
        )
    s.flush()


def away_of(r: Rep) -> frozenset[date]:
    """A pause's days: from the day after the last answer on or before its last day (no prompts
    are written here), else from joining, to its last day."""
    if r.paused_until is None:
        return frozenset()
    before = [d for d in r.days if d <= r.paused_until]
    start = max(before) + timedelta(days=1) if before else r.joined
    n = (r.paused_until - start).days + 1
    return frozenset(start + timedelta(days=i) for i in range(max(n, 0)))


def expected(team: Team) -> Numbers:
    """The numbers the team must give, computed from the plain data (not from the database)."""
    inputs = []
    for r in team.reps:
        hours = {
            d: Split(*(Decimal(held.get(k, "0")) for k in ("hunting", "farming", "other")))
            for d, held in r.days.items()
            if not isinstance(held, str)
        }
        inputs.append(
            RepInput(
                r.user_id,
                r.name,
                "hybrid",
                r.joined,
                parse_work_days(r.work_days) if r.work_days else WEEKDAYS,
                hours,
                frozenset(d for d, held in r.days.items() if held == OFF),
                away_of(r),
            )
        )
    return compute(inputs, team.first, team.last, team.today, 5, 40)


# ---------------------------------------------------------------- what a surface must show


def team_bits(n: Numbers) -> list[str]:
    """Text every team summary must contain: hours and shares, days, verdict, capacity."""
    t = n.team
    shares = "no data"
    p = whole_percentages(t.split)
    if p is not None:
        shares = f"hunting {p['hunting']}% · farming {p['farming']}% · other {p['other']}%"
    days = f"{t.logged_days}/{t.work_days} days logged" if t.work_days else "no work days yet"
    days += f", {t.away_days} away" if t.away_days else ""
    days += f", {t.days_off} off" if t.days_off else ""
    bits = [f"{fmt_hours(t.split.total)} h — {shares} · {days}", PHRASE[t.verdict.label]]
    if t.verdict.label != NO_DATA:
        bits.append(t.verdict.headline)
    if t.split.farming:
        bits.append(f"about {t.capacity_shown} account managers")
    return bits


def check_team(text: str, n: Numbers, where: str) -> None:
    """The text shows the team's numbers (bold marks ignored), and no `k/0 days`."""
    flat = text.replace("*", "")
    for bit in team_bits(n):
        assert bit in flat, f"{where}: {bit!r} missing"
    if not n.team.split.farming:
        assert "account managers at" not in flat, where
    assert not re.search(r"\b\d+/0 days", flat), f"{where}: a k/0 days"


def check_report_lines(text: str, n: Numbers, where: str) -> None:
    """Each rep's line: the ⚠️ flag, the farming share (or no data), and the days."""
    lines = text.replace("*", "").splitlines()
    for r in n.reps:
        (line,) = [x for x in lines if x.startswith((f"<@{r.user_id}> ", f"⚠️ <@{r.user_id}> "))]
        assert line.startswith("⚠️ ") == r.over_line, (where, line)
        p = r.percentages
        assert (f"farming {p['farming']}%" if p else "no data") in line, (where, line)
        assert line.endswith(f" · {r.days.text}"), (where, line, r.days.text)


def check_csv(content: str, n: Numbers) -> None:
    """The CSV's per-rep columns and the team's columns."""
    rows = list(csv.DictReader(io.StringIO(content)))
    t = n.team
    for r in n.reps:
        mine = [row for row in rows if row["user_id"] == r.user_id]
        assert mine, r.user_id
        share = r.farming_share
        for row in mine:
            assert row["farming_share"] == ("" if share is None else f"{share:.4f}")
            assert (row["days_logged"], row["work_days"], row["away_days"], row["days_off"]) == (
                str(r.days.logged),
                str(r.days.work),
                str(r.days.away),
                str(r.days.off),
            )
            assert row["over_half_farming"] == ("yes" if r.over_line else "no")
            assert row["capacity"] == f"{r.capacity:.3f}"
            assert row["team_capacity"] == str(t.capacity_shown)
            assert row["verdict"] == t.verdict.label
            team_share = t.split.share("farming")
            assert row["team_farming_share"] == ("" if team_share is None else f"{team_share:.4f}")


def check_terminal(text: str, n: Numbers) -> None:
    """The terminal table's farming column and days, and the team lines below it."""
    lines = text.splitlines()
    for r in n.reps:
        (line,) = [x for x in lines if x.startswith(f"{r.name or r.user_id} ")]
        cols = re.split(r"\s{2,}", line.strip())
        p = r.percentages
        if p is None:
            assert cols[3] == "no data" and cols[4] == r.days.text, cols
        else:
            assert cols[4] == f"{p['farming']}%" and cols[6] == r.days.text, cols
            assert (len(cols) == 8) == r.over_line, cols
    check_team(text, n, "terminal")


def check_plan_reasons(text: str, n: Numbers) -> None:
    """The study result's plan: each rep's shares and days logged, as in the report."""
    for r in n.reps:
        p = r.percentages
        (line,) = [x for x in text.splitlines() if x.startswith(f"• <@{r.user_id}> — ")]
        if p is None:
            assert "no hours logged" in line, line
        else:
            assert f"hunting {p['hunting']}%, farming {p['farming']}% of logged time" in line
        days = r.days.logged
        assert f" · {days} day{'s' * (days != 1)} logged_" in line, line


def block_text(blocks: Sequence[Mapping[str, Any]]) -> str:
    """Every text of a list of blocks, one per line (sections, contexts, headers)."""
    out = []
    for b in blocks:
        if "text" in b and isinstance(b["text"], Mapping):
            out.append(str(b["text"].get("text", "")))
        for e in b.get("elements") or []:
            if isinstance(e, Mapping) and e.get("type") == "mrkdwn":
                out.append(str(e.get("text", "")))
    return "\n".join(out)

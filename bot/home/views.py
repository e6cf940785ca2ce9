"""Block Kit for the App Home tab (≤ 100 blocks)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.home.week import week_blocks
from bot.reports import Report, summary_blocks
from bot.slack.blocks import button, context, fmt_hours, header, section
from bot.split import Split, pct_text

HOME_REPORT = "home_report"
HOME_SETTINGS = "home_settings"


def home_view(
    user_id: str,
    today: date,
    member: dict[str, Any] | None,
    this_week: Split,
    weeks: list[tuple[date, Split]],
    team: Report | None,
    study: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A rep's week, last four weeks and settings; managers also get the team and the study."""
    blocks: list[dict[str, Any]] = [header("rolesplit")]
    if member is None and team is None:
        blocks.append(
            section(
                "rolesplit runs a short time study: every working evening reps log how the day "
                "split between new business and existing accounts. You're not on the roster yet — "
                "ask a manager to add you with `/rolesplit add @you as hunter` (or farmer, hybrid)."
            )
        )
    if member is not None:
        blocks += week_blocks(
            member.get("rows") or [], today, this_week, member.get("paused_until")
        )
        lines = [
            f"• Week of {monday:%-d %b}: "
            + (f"{fmt_hours(s.total)} h — {pct_text(s)}" if s.total else "no hours")
            for monday, s in weeks
        ]
        blocks.append(section("*The last four weeks*\n" + "\n".join(lines)))
        paused = (
            f" · paused through {member['paused_until']:%a %-d %b} (`/rolesplit resume`)"
            if member.get("paused_until")
            else ""
        )
        away = f" · {member['away']}" if member.get("away") else ""
        blocks.append(
            context(
                f"Evening question at {member['prompt_time']} ({member['tz']}) on "
                f"{member['work_days']}{paused}{away}. *Your schedule* (or `/rolesplit me`) "
                "changes them; correct an older day with `/rolesplit log YYYY-MM-DD`."
            )
        )
    if team is not None:
        blocks += [
            {"type": "divider"},
            header(f"Team — {team.period.name}"),
            *summary_blocks(team),
            *(study or []),
            {
                "type": "actions",
                "block_id": "home_manager",
                "elements": [
                    button("Send me this week's report", HOME_REPORT, "this-week"),
                    button("Settings", HOME_SETTINGS, "open"),
                ],
            },
            context(
                "More: `/rolesplit report last-month`, `/rolesplit roster`, `/rolesplit help`."
            ),
        ]
    return {"type": "home", "blocks": blocks[:100]}

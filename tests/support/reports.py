"""Reports built without a database: `ReportRows` as storage would return them, assembled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from bot.config import WorkspaceConfig, effective, load_settings
from bot.reports.model import Report, assemble
from bot.reports.period import Period
from storage.report_queries import CategoryRow, MemberRow, ReportRows, Wins

CATEGORIES = [
    CategoryRow(1, "prospecting", "Prospecting (calls, research, outreach)", "hunting", (), True),
    CategoryRow(2, "account_service", "Existing accounts: job orders", "farming", (), True),
    CategoryRow(3, "admin", "Admin and internal", "other", (), True),
]
CATEGORY_OF_KIND = {"hunting": 1, "farming": 2, "other": 3}


def config(**overrides: object) -> WorkspaceConfig:
    """The workspace configuration from the defaults (and stored overrides)."""
    return effective(load_settings(_env_file=None), dict(overrides))


def report(
    period: Period,
    today: date,
    days: Mapping[str, Mapping[date, Mapping[str, str]]],
    joined: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    names: Sequence[str] = (),
) -> Report:
    """A report from {user id: {date: {kind: hours}}}, every rep on the roster since `joined`."""
    rows = ReportRows(
        period.first, period.last, period.first, [], CATEGORIES, {}, {}, {}, {}, Wins()
    )
    for i, (uid, by_day) in enumerate(sorted(days.items())):
        mid = i + 1
        name = names[i] if i < len(names) else None
        rows.members.append(
            MemberRow(mid, uid, name, "hybrid", "UTC", None, joined, True, None, None)
        )
        rows.day_hours[mid] = {
            d: tuple(Decimal(kinds.get(k, "0")) for k in ("hunting", "farming", "other"))  # type: ignore[misc]
            for d, kinds in by_day.items()
        }
        per_cat: dict[int, Decimal] = {}
        for d, kinds in by_day.items():
            if period.first <= d <= min(period.last, today):
                for k, h in kinds.items():
                    cid = CATEGORY_OF_KIND[k]
                    per_cat[cid] = per_cat.get(cid, Decimal(0)) + Decimal(h)
        rows.category_hours[mid] = per_cat
    return assemble(rows, config(), period, today)

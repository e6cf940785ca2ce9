"""The split plan in plain words: what may override the time split, the deciding sentence of a
suggestion and the numbers behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from bot.reports import percent_text
from bot.split import FARMING_LINE, whole_percentages
from bot.study.rules import (
    ACCOUNT_MANAGER,
    FIT_LABELS,
    HUNTER,
    UNDECIDED,
    RepEvidence,
    farming_of_sales,
    under_line,
)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 hunter`, `3 hunters`."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def and_join(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def hunter_override(e: RepEvidence) -> list[str]:
    """What may outweigh more than half of the time farming for a hunter: a stated wish to hunt,
    accounts won."""
    out = []
    if e.preference is not None and e.preference <= 2:
        out.append(f"they would rather hunt ({e.preference}/5)")
    if e.won > 0:
        out.append(f"they won {count(e.won, 'account')}")
    return out


def manager_override(e: RepEvidence) -> list[str]:
    """What may outweigh less than half of the time farming for an account manager: a stated
    wish to nurture accounts."""
    if e.preference is not None and e.preference >= 4:
        return [f"they would rather nurture accounts ({e.preference}/5)"]
    return []


def against_the_numbers(e: RepEvidence, role: str) -> str | None:
    """The sentence a suggestion against the farming share must carry (None: it is not)."""
    farming = e.split.share("farming")
    if farming is None:
        return None
    shown = percent_text(farming, avoid=FARMING_LINE)
    if role == HUNTER and e.split.over_line:
        reasons = hunter_override(e)
        return (
            f"over half of their time is farming ({shown}), but {and_join(reasons)}"
            if (reasons)
            else f"over half of their time is farming ({shown})"
        )
    if role == ACCOUNT_MANAGER and under_line(e.split):
        reasons = manager_override(e)
        return (
            f"farming is under half of their time ({shown}), but {and_join(reasons)}"
            if (reasons)
            else f"farming is under half of their time ({shown})"
        )
    return None


def allowed(e: RepEvidence, role: str) -> bool:
    """A hunter over half farming, or an account manager under half, needs a reason that
    overrides the numbers (a stated preference, or accounts won for a hunter)."""
    if role == HUNTER and e.split.over_line:
        return bool(hunter_override(e))
    if role == ACCOUNT_MANAGER and under_line(e.split):
        return bool(manager_override(e))
    return True


def signals(e: RepEvidence) -> tuple[list[str], list[str]]:
    """Plain-words evidence pointing towards hunting, and towards account management."""
    hunt: list[str] = []
    farm: list[str] = []
    f = farming_of_sales(e.split)
    if f is not None and f < Fraction(1, 2):
        hunt.append("spends most selling time on new business")
    elif f is not None and f > Fraction(1, 2):
        farm.append("spends most selling time on existing accounts")
    if e.preference is not None and e.preference <= 2:
        hunt.append("would rather hunt")
    elif e.preference is not None and e.preference >= 4:
        farm.append("would rather nurture accounts")
    if e.won > 0:
        hunt.append(f"won {count(e.won, 'account')}")
    return hunt, farm


def why_for(
    e: RepEvidence,
    role: str,
    enough: bool,
    min_days: int,
    *,
    forced: bool = False,
    held: str | None = None,
) -> str:
    """The deciding sentence for a suggestion (with the reason when it goes against the share)."""
    hunt, farm = signals(e)
    against = against_the_numbers(e, role)
    if forced:
        head = (
            "the team needs someone on new business and, of the reps who could take it, "
            "they lean most that way"
        )
        head += f": {and_join(hunt)}" if hunt else ""
        return head + (f" — {against}" if against else "")
    if not enough:
        if e.days_logged < min_days:
            missing = min_days - e.days_logged
            return (
                f"not placed yet: {count(missing, 'more logged day')} needed "
                f"({e.days_logged} of {min_days})"
            )
        return "not placed yet: no hunting or farming hours logged"
    if held:
        return f"could go either way: {and_join(farm or hunt or ['the time split'])}, but {held}"
    pro, con = (hunt, farm) if role == HUNTER else (farm, hunt)
    if role != UNDECIDED:
        why = and_join(pro) + (f" (though {and_join(con)})" if con else "")
        return why + (f" — {against}" if against else "")
    if hunt and farm:
        return f"could go either way: {and_join(hunt)}, but {and_join(farm)}"
    if hunt or farm:
        return f"could go either way: {and_join(hunt or farm)}, but not by much"
    return "could go either way: an even split and no stated preference"


def reasons_for(e: RepEvidence) -> tuple[str, ...]:
    """The numbers behind a suggestion: shares, preference, wins, days logged."""
    out: list[str] = []
    pct = whole_percentages(e.split)
    if pct is None:
        out.append("no hours logged")
    else:
        out.append(f"hunting {pct['hunting']}%, farming {pct['farming']}% of logged time")
    if e.preference is None:
        out.append("no answer to the fit question")
    else:
        said = f"would rather: {FIT_LABELS[e.preference].lower()} ({e.preference}/5)"
        if e.comment:
            text = " ".join(e.comment.split())
            said += f" — “{text if len(text) <= 120 else text[:119] + '…'}”"
        out.append(said)
    if e.won:
        out.append(f"won {e.won} account{'s' * (e.won != 1)} during the study")
    out.append(f"{e.days_logged} day{'s' * (e.days_logged != 1)} logged")
    return tuple(out)

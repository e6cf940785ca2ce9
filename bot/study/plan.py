"""The split plan: a role suggested for each rep from three kinds of evidence — where their sales
time went, which work they said they would rather do, and accounts they won — said why in plain
words, and the plan in one sentence. It is advice: managers apply it with `/rolesplit add … as …`.

The rules and the plan's data are in `rules`, the plain words in `reasons`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from bot.study.reasons import against_the_numbers, allowed, count, reasons_for, why_for
from bot.study.rules import (
    ACCOUNT_MANAGER,
    HUNTER,
    MIN_DAYS,
    PLACE_AT,
    ROLE_RANK,
    ROLE_TIE,
    UNDECIDED,
    Plan,
    RepEvidence,
    Suggestion,
    clear_farmer,
    evidence_lean,
    has_enough_data,
    role_for,
)


def suggest(reps: Sequence[RepEvidence], min_days: int = MIN_DAYS) -> Plan:
    """The split plan: each rep's role from time (3 × (farming share of sales time − ½)),
    preference ((score − 3) / 2) and wins (−0.2 each, three at most) — account manager at a sum
    of ½ or more, hunter at −½ or less, else either way; fewer than `min_days` logged days, or no
    sales hours: not placed yet. A hunter over half farming, or an account manager under half,
    only with a reason that overrides the numbers (a stated preference; wins for a hunter), and
    the suggestion says so; else either way. When nobody is a hunter, the most hunting-leaning
    placeable rep whose evidence does not point to accounts and who is not a clear farmer becomes
    one; without such a rep the plan says to hire one (or that there is too little data)."""
    unique = list({e.user_id: e for e in reversed(reps)}.values())[::-1]  # first of each id
    placed: dict[str, Suggestion] = {}
    for e in unique:
        enough = has_enough_data(e, min_days)
        lean = evidence_lean(e) if enough else None
        role = role_for(lean) if lean is not None else UNDECIDED
        held = None
        if not allowed(e, role):
            held, role = against_the_numbers(e, role), UNDECIDED
        placed[e.user_id] = Suggestion(
            e.user_id,
            role,
            why_for(e, role, enough, min_days, held=held),
            reasons_for(e),
            lean,
            enough,
        )
    gap: str | None = None
    if unique and not any(s.role == HUNTER for s in placed.values()):
        candidates = [
            e
            for e in unique
            if has_enough_data(e, min_days)
            and evidence_lean(e) < PLACE_AT
            and not clear_farmer(e)
            and allowed(e, HUNTER)
        ]
        if candidates:
            pick = min(
                candidates,
                key=lambda e: (
                    evidence_lean(e),
                    ROLE_TIE.get(e.role, 3),
                    -e.days_logged,
                    e.user_id,
                ),
            )
            old = placed[pick.user_id]
            placed[pick.user_id] = Suggestion(
                pick.user_id,
                HUNTER,
                why_for(pick, HUNTER, old.enough_data, min_days, forced=True),
                old.reasons,
                old.lean,
                old.enough_data,
            )
        else:
            gap = "hire" if any(s.enough_data for s in placed.values()) else "no data"
    order = sorted(
        placed.values(),
        key=lambda s: (
            ROLE_RANK[s.role] if s.role != UNDECIDED else 3,
            not s.enough_data,
            _strength(s),
            s.user_id,
        ),
    )
    return Plan(tuple(order), min_days, gap)


def _strength(s: Suggestion) -> Fraction:
    """Most decided first: hunters by most negative lean, account managers by most positive."""
    if s.lean is None:
        return Fraction(0)
    return s.lean if s.role == HUNTER else -abs(s.lean) if s.role == UNDECIDED else -s.lean


# ---------------------------------------------------------------- the plan in one sentence


def people(user_ids: Sequence[str], limit: int = 8) -> str:
    """`<@A>, <@B> and <@C>` (at most `limit` names, then `and N more`)."""
    names = [f"<@{u}>" for u in user_ids[:limit]]
    more = len(user_ids) - len(names)
    if more > 0:
        return ", ".join(names) + f" and {more} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plan_summary(plan: Plan) -> str:
    """`3 hunters, 2 account managers; <@D> and <@S> could go either way.`"""
    if not plan.suggestions:
        return "Nobody is on the roster, so there is nothing to split yet."
    hunters, ams = plan.of(HUNTER), plan.of(ACCOUNT_MANAGER)
    parts = [f"{count(len(hunters), 'hunter')}, {count(len(ams), 'account manager')}"]
    either, more = plan.either_way, plan.need_data
    if either:
        parts.append(f"{people([s.user_id for s in either])} could go either way")
    if more:
        parts.append(
            f"{people([s.user_id for s in more])} {'are' if len(more) > 1 else 'is'} "
            "not placed yet (too little data)"
        )
    text = "; ".join(parts) + "."
    if plan.hunter_gap == "hire":
        text += " Nobody on the team leans towards new business — plan to hire a hunter."
    elif plan.hunter_gap == "no data":
        text += " Too little data to name a hunter yet."
    return text

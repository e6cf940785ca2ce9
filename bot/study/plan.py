"""Pure rules of the split plan: a role suggested for each rep from three kinds of evidence — where
their sales time went, which work they said they would rather do, and accounts they won — said
why in plain words. It is advice: managers apply it with `/rolesplit add … as …`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from bot.split import Split, whole_percentages

HUNTER, ACCOUNT_MANAGER, UNDECIDED = "hunter", "account_manager", "undecided"
ROLE_RANK = {HUNTER: 0, UNDECIDED: 1, ACCOUNT_MANAGER: 2}  # towards account management
MIN_DAYS = 5  # logged days before the time split counts (fewer in short studies, see min_days)
TIME_WEIGHT = Fraction(3)  # time lean: 3 × (farming share of sales time − ½), −1.5 … +1.5
WIN_LEAN = Fraction(1, 5)  # each account won leans 0.2 towards hunting …
MAX_WINS_COUNTED = 3  # … for at most three accounts (−0.6)
PLACE_AT = Fraction(1, 2)  # lean ≥ ½: account manager; ≤ −½: hunter; between: either way
ROLE_TIE = {"hunter": 0, "hybrid": 1, "farmer": 2}  # current role breaks ties for the hunter

FIT_CHOICES: tuple[tuple[int, str], ...] = (
    (1, "Hunting new business"),
    (2, "Mostly new business"),
    (3, "A mix of both"),
    (4, "Mostly existing accounts"),
    (5, "Nurturing existing accounts"),
)
FIT_LABELS = dict(FIT_CHOICES)


# ---------------------------------------------------------------- the split plan


@dataclass(frozen=True)
class RepEvidence:
    """What the study knows about one rep."""

    user_id: str
    split: Split
    days_logged: int
    preference: int | None = None  # 1 = hunting new business … 5 = nurturing accounts
    comment: str | None = None
    won: int = 0  # accounts won during the study
    role: str = "hybrid"  # current roster role: only breaks a tie when naming the one hunter


@dataclass(frozen=True)
class Suggestion:
    """One rep's suggested role and the reasons, in plain words."""

    user_id: str
    role: str  # hunter | account_manager | undecided
    why: str  # the deciding sentence
    reasons: tuple[str, ...]  # the numbers behind it
    lean: Fraction | None  # + towards account management, − towards hunting; None: too little data
    enough_data: bool


@dataclass(frozen=True)
class Plan:
    """A suggested role per rep (each exactly once), and whether the team lacks a hunter."""

    suggestions: tuple[Suggestion, ...]
    min_days: int
    hunter_gap: str | None = None  # None | "hire" (nobody leans to new business) | "no data"

    def of(self, role: str) -> list[Suggestion]:
        """The suggestions for one role, in plan order."""
        return [s for s in self.suggestions if s.role == role]

    @property
    def either_way(self) -> list[Suggestion]:
        """Undecided reps with enough data: they could go either way."""
        return [s for s in self.suggestions if s.role == UNDECIDED and s.enough_data]

    @property
    def need_data(self) -> list[Suggestion]:
        """Undecided reps the data cannot place yet."""
        return [s for s in self.suggestions if s.role == UNDECIDED and not s.enough_data]


def min_days_for(study_work_days: int) -> int:
    """Logged days needed to place a rep: 5, or half the study's work days when it is shorter."""
    return max(1, min(MIN_DAYS, -(-study_work_days // 2)))


def farming_of_sales(s: Split) -> Fraction | None:
    """Farming hours / (hunting + farming hours): where the selling time went (None if none)."""
    sales = s.hunting + s.farming
    return None if sales <= 0 else Fraction(s.farming) / Fraction(sales)


def preference_lean(score: int | None) -> Fraction:
    """(score − 3) / 2: −1 for hunting new business … +1 for nurturing accounts; 0 unanswered."""
    return Fraction(0) if score is None else Fraction(score - 3, 2)


def wins_lean(won: int) -> Fraction:
    """−0.2 per account won during the study, for at most three accounts."""
    return -WIN_LEAN * min(max(won, 0), MAX_WINS_COUNTED)


def evidence_lean(e: RepEvidence) -> Fraction:
    """Everything known, whatever its amount: time (if any), preference, wins."""
    f = farming_of_sales(e.split)
    time_part = Fraction(0) if f is None else TIME_WEIGHT * (f - Fraction(1, 2))
    return time_part + preference_lean(e.preference) + wins_lean(e.won)


def has_enough_data(e: RepEvidence, min_days: int) -> bool:
    """Enough logged days, and some hunting or farming hours among them."""
    return e.days_logged >= min_days and farming_of_sales(e.split) is not None


def clear_farmer(e: RepEvidence) -> bool:
    """Logs more farming than hunting and would rather nurture accounts: never a hunter."""
    return e.split.farming > e.split.hunting and (e.preference or 0) >= 4


def role_for(lean: Fraction) -> str:
    """Account manager at ≥ ½, hunter at ≤ −½, else undecided."""
    if lean >= PLACE_AT:
        return ACCOUNT_MANAGER
    if lean <= -PLACE_AT:
        return HUNTER
    return UNDECIDED


def suggest(reps: Sequence[RepEvidence], min_days: int = MIN_DAYS) -> Plan:
    """The split plan: each rep's role from time (3 × (farming share of sales time − ½)),
    preference ((score − 3) / 2) and wins (−0.2 each, three at most) — account manager at a sum
    of ½ or more, hunter at −½ or less, else either way; fewer than `min_days` logged days, or no
    sales hours: cannot be placed yet. When nobody is a hunter, the most hunting-leaning rep whose
    evidence (however little) does not point to accounts and who is not a clear farmer becomes
    one; without such a rep the plan says to hire one (or that there is too little data)."""
    unique = list({e.user_id: e for e in reversed(reps)}.values())[::-1]  # first of each id
    placed: dict[str, Suggestion] = {}
    for e in unique:
        enough = has_enough_data(e, min_days)
        lean = evidence_lean(e) if enough else None
        role = role_for(lean) if lean is not None else UNDECIDED
        placed[e.user_id] = Suggestion(
            e.user_id, role, _why(e, role, enough, min_days), _reasons(e), lean, enough
        )
    gap: str | None = None
    if unique and not any(s.role == HUNTER for s in placed.values()):
        candidates = [
            e
            for e in unique
            if _has_evidence(e) and evidence_lean(e) < PLACE_AT and not clear_farmer(e)
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
                _why(pick, HUNTER, old.enough_data, min_days, forced=True),
                old.reasons,
                old.lean,
                old.enough_data,
            )
        else:
            gap = "hire" if any(_has_evidence(e) for e in unique) else "no data"
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


def _has_evidence(e: RepEvidence) -> bool:
    return farming_of_sales(e.split) is not None or e.preference is not None or e.won > 0


def _signals(e: RepEvidence) -> tuple[list[str], list[str]]:
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


def and_join(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _why(e: RepEvidence, role: str, enough: bool, min_days: int, *, forced: bool = False) -> str:
    """The deciding sentence for a suggestion."""
    hunt, farm = _signals(e)
    if forced:
        head = (
            "the team needs someone on new business and, of the reps who could take it, "
            "they lean most that way"
        )
        return head + (f": {and_join(hunt)}" if hunt else "")
    if not enough:
        if e.days_logged < min_days:
            return f"needs more days logged ({e.days_logged} of the {min_days} needed)"
        return "no hunting or farming hours logged yet"
    pro, con = (hunt, farm) if role == HUNTER else (farm, hunt)
    if role != UNDECIDED:
        return and_join(pro) + (f" (though {and_join(con)})" if con else "")
    if hunt and farm:
        return f"could go either way: {and_join(hunt)}, but {and_join(farm)}"
    if hunt or farm:
        return f"could go either way: {and_join(hunt or farm)}, but not by much"
    return "could go either way: an even split and no stated preference"


def _reasons(e: RepEvidence) -> tuple[str, ...]:
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


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`1 hunter`, `3 hunters`."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


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
            f"{people([s.user_id for s in more])} {'need' if len(more) > 1 else 'needs'} more data"
        )
    text = "; ".join(parts) + "."
    if plan.hunter_gap == "hire":
        text += " Nobody on the team leans towards new business — plan to hire a hunter."
    elif plan.hunter_gap == "no data":
        text += " Too little data to name a hunter yet."
    return text

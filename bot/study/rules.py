"""The split plan's pure rules and data: what the study knows about a rep (`RepEvidence`), the
three leans (time, preference, wins) and where a lean places a rep, and the plan's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from bot.split import Split

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


def under_line(s: Split) -> bool:
    """Less than half of the logged time is farming (exact)."""
    return s.total > 0 and s.farming * 2 < s.total

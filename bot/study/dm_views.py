"""Block Kit for the reps' study DMs: why they are asked to log, the fit question, its form and
the answer shown in place. Builders are pure and name people by mention only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.slack.blocks import (
    button,
    context,
    form_modal,
    plain,
    section,
    text_input,
    truncate,
)
from bot.study.rules import FIT_CHOICES, FIT_LABELS
from bot.study.wording import (
    day_label,
    span,
)

# ids shared by the builders and the listeners
FIT_ACTION = "study_fit_{}"  # one per score, 1 … 5; the value is the study id
FIT_ACTION_PATTERN = r"^study_fit_[1-5]$"
FIT_BLOCK = "study_fit"
FIT_COMMENT = "study_fit_comment"
FIT_MODAL = "study_fit_submit"
SCORE_BLOCK, SCORE_ACTION = "fit_score", "fit_score"
COMMENT_BLOCK, COMMENT_ACTION = "fit_comment", "fit_comment"
MAX_COMMENT = 500


def intro(
    user_id: str, first: date, last: date, weeks: int, prompt_time: str, fit_on: date
) -> tuple[str, list[dict[str, Any]]]:
    """The DM that tells a rep why they are asked to log (text and blocks)."""
    text = (
        f"Your team is running a {weeks}-week time study ({span(first, last)}). "
        "The numbers are about the roles, not about judging you."
    )
    blocks = [
        section(
            f"👋 Hi <@{user_id}>! Your team is running a *{weeks}-week time study* "
            f"({span(first, last)}) to decide whether to split *new business* (hunting) from "
            "*looking after existing accounts* (farming) into separate roles."
        ),
        section(
            "*Why you're asked to log:* the numbers are about the roles, not about judging you. "
            "They show how the team's time splits between the two kinds of work, so the roles "
            "can be shaped around the real workload. Nobody is scored or ranked on them."
        ),
        section(
            f"*What to do:* answer the evening message ({prompt_time} on your work days) — one "
            "tap, or one line like `prospecting 2, accounts 4`. Around "
            f"{day_label(fit_on)} I'll ask you one question about which work you'd rather do. "
            "Thank you!"
        ),
        context("Away for a while? `/rolesplit pause 5 days` stops the evening messages."),
    ]
    return text, blocks


def fit_blocks(
    user_id: str, study_id: int, last: date, *, reminder: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """The fit question (or its one reminder): five choices, from hunting to nurturing."""
    if reminder:
        ask = (
            f"Quick reminder, <@{user_id}> — one tap for the time study: if you could shape your "
            "role, which work would you rather do? (This is the only reminder.)"
        )
    else:
        ask = (
            f"Hi <@{user_id}>! One question for the time study, ten seconds at most: if you "
            "could shape your role, which work would you rather do?"
        )
    blocks = [
        section(ask),
        _choices(study_id, None),
        context(
            "Only managers see your answer, and only to plan the roles. Pick one, then add a "
            f"sentence if you like. You can change it until {day_label(last)}."
        ),
    ]
    return "Time study: which work would you rather do?", blocks


def _choices(study_id: int, chosen: int | None) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": FIT_BLOCK,
        "elements": [
            button(
                f"{score} · {label}",
                FIT_ACTION.format(score),
                str(study_id),
                style="primary" if score == chosen else None,
            )
            for score, label in FIT_CHOICES
        ],
    }


def fit_answered(
    study_id: int, score: int, comment: str | None, last: date
) -> tuple[str, list[dict[str, Any]]]:
    """The fit message once answered: the choice, the sentence, and how to change either."""
    said = f"✅ Thanks! You said: *{score} · {FIT_LABELS[score]}*"
    if comment:
        said += f"\n> {truncate(' '.join(comment.split()), MAX_COMMENT)}"
    blocks = [
        section(said),
        _choices(study_id, score),
        {
            "type": "actions",
            "block_id": FIT_COMMENT,
            "elements": [
                button(
                    "Edit your sentence" if comment else "Add a sentence",
                    FIT_COMMENT,
                    str(study_id),
                )
            ],
        },
        context(
            f"Only managers see this. Change it any time until {day_label(last)} by picking "
            "another answer."
        ),
    ]
    return f"You said: {score} · {FIT_LABELS[score]}", blocks


def fit_modal(
    study_id: int, score: int | None, comment: str | None, metadata: Mapping[str, Any]
) -> dict[str, Any]:
    """The fit question as a form: the five choices and an optional sentence."""
    options = [{"text": plain(f"{s} · {label}"), "value": str(s)} for s, label in FIT_CHOICES]
    radio: dict[str, Any] = {"type": "radio_buttons", "action_id": SCORE_ACTION, "options": options}
    if score is not None:
        radio["initial_option"] = options[score - 1]
    comment_el = text_input(
        COMMENT_ACTION,
        MAX_COMMENT,
        "e.g. I enjoy growing the accounts I already know",
        comment,
        multiline=True,
    )
    return form_modal(
        FIT_MODAL,
        "Time study question",
        [
            {
                "type": "input",
                "block_id": SCORE_BLOCK,
                "label": plain("Which work would you rather do?"),
                "element": radio,
            },
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": True,
                "label": plain("Anything to add? (optional)"),
                "element": comment_el,
            },
            context("Only managers see your answer. Saving again replaces it."),
        ],
        metadata={"study": study_id, **metadata},
    )


def read_fit_modal(values: Mapping[str, Any]) -> tuple[int | None, str | None, dict[str, str]]:
    """(score, sentence, errors by block id) from a submitted fit form."""
    picked = (values.get(SCORE_BLOCK) or {}).get(SCORE_ACTION, {}).get("selected_option") or {}
    raw = (values.get(COMMENT_BLOCK) or {}).get(COMMENT_ACTION, {}).get("value")
    comment = " ".join((raw or "").split()) or None
    errors: dict[str, str] = {}
    try:
        score: int | None = int(picked.get("value") or "")
    except ValueError:
        score = None
    if score not in FIT_LABELS:
        score = None
        errors[SCORE_BLOCK] = "Pick one of the five answers."
    if comment and len(comment) > MAX_COMMENT:
        errors[COMMENT_BLOCK] = f"Keep it to {MAX_COMMENT} characters (this is {len(comment)})."
    return score, comment, errors

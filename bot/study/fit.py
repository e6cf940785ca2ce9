"""The fit question: a rep's five-point answer and a sentence, replaced when answered again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import metadata_of
from bot.slack.context import Request, request_of
from bot.study import dm_views
from storage import repo
from storage import study_repo as q
from storage.models import Study

log = logging.getLogger(__name__)

ANSWERS_CLOSED = "The time study has ended, so answers are closed — thank you all the same!"


# ---------------------------------------------------------------- the fit answer


@dataclass(frozen=True)
class Saved:
    """A stored fit answer, as the rep's message shows it."""

    study_id: int
    score: int
    comment: str | None
    last: date


def save_answer(
    req: Request,
    study_id: int,
    score: int,
    comment: str | None,
    *,
    keep_comment: bool = False,
) -> Saved | str:
    """Store (or replace) a rep's fit answer while the study is open; else say why not.

    `comment` is the form's sentence (None: none); a click keeps the one stored (`keep_comment`).
    """
    services, ws = req.services, req.workspace
    with services.Session.begin() as s:
        study = s.get(Study, study_id)
        if study is None or ws is None or study.workspace_id != ws.id:
            return "That question belongs to a study that no longer exists — nothing to do."
        if study.status != "open":
            return ANSWERS_CLOSED
        member = repo.get_member(s, ws.id, req.user_id)
        if member is None or not member.active or not member.is_rep:
            return (
                "Only reps on the roster answer this question. If you sell, ask a manager to add "
                "you with `/rolesplit add @you as hybrid`."
            )
        q.save_fit(
            s, study.id, member.id, score, services.now(), comment, keep_comment=keep_comment
        )
        answer = q.fit_answer(s, study.id, member.id)
        assert answer is not None
        return Saved(study.id, answer.score, answer.comment, study.ends_on)


def _show_saved(client: WebClient, channel: str | None, ts: str | None, saved: Saved) -> None:
    """Turn the question into the answer, in place."""
    if not channel or not ts:
        return
    text, blocks = dm_views.fit_answered(saved.study_id, saved.score, saved.comment, saved.last)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as err:  # deleted or too old to edit: the answer itself stands
        log.info("fit message not updated: %s", err.response.get("error"))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def on_fit_click(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """One of the five choices: saved before the ack (the sentence, if any, is kept)."""
    action = body["actions"][0]
    score = _int(action["action_id"].rsplit("_", 1)[-1])
    result = save_answer(
        request_of(context), _int(action.get("value")), score, None, keep_comment=True
    )
    ack()
    if isinstance(result, str):
        respond(response_type="ephemeral", replace_original=False, text=result)
        return
    container = body.get("container") or {}
    _show_saved(client, container.get("channel_id"), container.get("message_ts"), result)


def on_comment(
    ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    """Add a sentence: the form, prefilled with the current answer."""
    ack()
    req = request_of(context)
    study_id = _int(body["actions"][0].get("value"))
    with req.reading() as s:
        ws, member = req.workspace, req.member
        study = s.get(Study, study_id)
        if study is not None and (ws is None or study.workspace_id != ws.id):
            study = None  # another workspace's study: nothing of it is shown
        answer = q.fit_answer(s, study_id, member.id) if member and study else None
    if study is None or study.status != "open":
        respond(response_type="ephemeral", replace_original=False, text=ANSWERS_CLOSED)
        return
    container = body.get("container") or {}
    meta = {"c": container.get("channel_id"), "ts": container.get("message_ts")}
    client.views_open(
        trigger_id=body["trigger_id"],
        view=dm_views.fit_modal(
            study_id, answer.score if answer else None, answer.comment if answer else None, meta
        ),
    )


def on_fit_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The form: answered in place when something is wrong, nothing stored until it is right."""
    score, comment, errors = dm_views.read_fit_modal(view["state"]["values"])
    if errors or score is None:
        ack(response_action="errors", errors=errors)
        return
    meta = metadata_of(view)
    result = save_answer(request_of(context), _int(meta.get("study")), score, comment)
    if isinstance(result, str):
        ack(response_action="errors", errors={dm_views.SCORE_BLOCK: result})
        return
    ack()
    _show_saved(client, meta.get("c"), meta.get("ts"), result)

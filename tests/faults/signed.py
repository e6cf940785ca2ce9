"""Requests as Slack sends them, prepared ahead and signed when sent — and the Log hours form
as the app itself opened it (so the tests never import the app's block ids)."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlparse

from tests.fakes import FakeSlack, SlackRequests, datepicker_value, input_value

SECRET = "faults-signing-secret-0123456789"
TEAM = "T0001"
FORM_HOURS = ("2", "1.5", "3")  # typed into the first three hours fields: 6.5 h
FORM_TOTAL = "6.5"
WORDS = "prospecting 2, meetings 1.5, accounts 4"  # a plain-words DM: 7.5 h
WORDS_TOTAL = "7.5"


class Prepared(NamedTuple):
    """A request body, its content type and extra headers; signed at the moment it is sent."""

    body: str
    ctype: str
    headers: dict[str, str]


class Builder(SlackRequests):
    """SlackRequests that returns the request instead of sending it."""

    def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, **_flags: Any
    ) -> Any:
        return Prepared(body, content_type, dict(headers or {}))


def prepared(req: object) -> Prepared:
    """What a Builder method returned (typed as SlackRequests' Response)."""
    assert isinstance(req, Prepared)
    return req


def builder(fake: FakeSlack | None = None) -> Builder:
    """Request builder; with a fake Slack, response_urls point at it (and are recorded)."""
    return Builder("http://unused", SECRET, team_id=TEAM, fake=fake)


@dataclass
class Answer:
    """The app's HTTP answer; `status` None when none came (refused, reset, timed out)."""

    status: int | None
    text: str = ""
    error: str = ""


def post(url: str, req: Prepared, *, retry_num: int | None = None, timeout: float = 10) -> Answer:
    """POST to /slack/events, signed now; Slack's redelivery headers when `retry_num` is given."""
    signer = SlackRequests(url, SECRET)
    headers = {"Content-Type": req.ctype, **signer.sign(req.body), **req.headers}
    if retry_num is not None:
        headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_error"})
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=timeout)
    try:
        conn.request("POST", "/slack/events", body=req.body.encode(), headers=headers)
        resp = conn.getresponse()
        return Answer(resp.status, resp.read().decode(errors="replace"))
    except (OSError, http.client.HTTPException) as err:
        return Answer(None, error=f"{type(err).__name__}: {err}")
    finally:
        conn.close()


@dataclass(frozen=True)
class LogForm:
    """The Log hours modal the app opened; builds what submitting it would send back."""

    view: dict[str, Any]

    def _inputs(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [
            (b["block_id"], b["element"]["action_id"], b["element"])
            for b in self.view.get("blocks") or []
            if b.get("type") == "input" and "element" in b
        ]

    @property
    def day(self) -> str:
        """The date the form opened on (YYYY-MM-DD)."""
        for _block, _action, el in self._inputs():
            if el.get("type") == "datepicker":
                return str(el["initial_date"])
        raise AssertionError(f"no datepicker in the Log hours form: {self.view}")

    def values(self, hours: tuple[str, ...] = FORM_HOURS) -> dict[str, dict[str, Any]]:
        """state.values with the day and `hours` typed into the first hours fields."""
        typed = iter(hours)
        values: dict[str, dict[str, Any]] = {}
        for block, action, el in self._inputs():
            if el.get("type") == "datepicker":
                values[block] = {action: datepicker_value(self.day)}
            elif el.get("type") == "number_input":  # the hours fields
                values[block] = {action: {"type": "number_input", "value": next(typed, None)}}
            elif el.get("type") == "plain_text_input":  # the note
                values[block] = {action: input_value(None)}
        return values

    def submission(self, user: str, view_id: str, hash: str = "h1") -> Prepared:
        """The view_submission of this form by `user` (Slack keeps view id and hash on retry)."""
        return prepared(
            builder().view_submission(
                self.view["callback_id"],
                self.values(),
                user_id=user,
                private_metadata=self.view.get("private_metadata") or "",
                view_id=view_id,
                hash=hash,
            )
        )


def open_log_form(url: str, fake: FakeSlack, user: str) -> LogForm:
    """`/rolesplit log` as `user`; the modal the app opened with views.open."""
    seen = len(fake.calls("views.open"))
    answer = post(url, prepared(builder(fake).command("log", user_id=user)))
    assert answer.status == 200, f"/rolesplit log: {answer}"
    calls = fake.wait_for("views.open", count=seen + 1, timeout=10)
    return LogForm(calls[seen].json("view"))


def words_dm(user: str, ts: str, event_id: str) -> Prepared:
    """A plain-words DM event (message.im) logging today; the same object is a redelivery."""
    return prepared(builder().message_im(WORDS, user_id=user, ts=ts, event_id=event_id))

"""Modals from Slack's side: actions inside views, submissions and `response_action`, closing."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.demo.model import View
from bot.demo.state import Raw, action, find, with_ids
from bot.demo.transport import Outcome, Transport, answered


class ModalActions(Transport):
    """What Slack sends when a person works in a modal or the Home tab."""

    def view_action(
        self,
        user_id: str,
        view_id: str,
        block_id: str,
        action_id: str,
        raw: Raw,
        form: dict[str, dict[str, Raw]],
    ) -> Outcome:
        """A button or a dispatched change inside a modal or the Home tab."""
        view = self.ws.views.get(view_id)
        el = find(view.spec.get("blocks") or [], block_id, action_id) if view else None
        if view is None or el is None or view.user != user_id:
            return Outcome(False, "That view has changed; try again.")
        self._keep_state(view, form)
        payload = self._envelope("block_actions", user_id)
        payload.update(
            container={"type": "view", "view_id": view.id},
            view=view.slack(self.team, self.ws.app_id, self.ws.bot_id),
            actions=[action(el, block_id, raw, f"{time.time():.6f}")],
        )
        status, _ = self._interaction(payload)
        return answered(status)

    def submit(self, user_id: str, view_id: str, form: dict[str, dict[str, Raw]]) -> Outcome:
        """The modal's submit button; Slack then acts on `response_action`."""
        view = self.ws.top_modal(user_id)
        if view is None or view.id != view_id:
            return Outcome(False, "That form is no longer open.")
        self._keep_state(view, form)
        payload = self._envelope("view_submission", user_id)
        payload.update(view=view.slack(self.team, self.ws.app_id, self.ws.bot_id), response_urls=[])
        status, answer = self._interaction(payload)
        if status != 200:
            return Outcome(False, "We had some trouble connecting. Try again?")
        data = json.loads(answer) if answer.strip().startswith("{") else {}
        return self._after_submit(user_id, view, data)

    def _after_submit(self, user_id: str, view: View, data: dict[str, Any]) -> Outcome:
        kind = data.get("response_action")
        if kind == "errors":
            errors = {str(k): str(v) for k, v in (data.get("errors") or {}).items()}
            with self.ws.lock:
                view.errors, view.rev = errors, view.rev + 1
            self.ws.touch()
            return Outcome(False, "", errors)
        if kind == "clear":
            self.ws.close_modal(user_id, all_views=True)
        elif kind in ("update", "push") and isinstance(data.get("view"), dict):
            self._replace(user_id, view, data["view"], push=kind == "push")
        else:
            self.ws.close_modal(user_id)
        return Outcome()

    def _replace(self, user_id: str, view: View, spec: dict[str, Any], *, push: bool) -> None:
        spec = {**spec, "blocks": with_ids(list(spec.get("blocks") or []))}
        with self.ws.lock:
            if push:
                new = View(
                    self.ws.next_id("V"), user_id, "modal", spec, self.ws.next_id("h"), view.root_id
                )
                new.previous_id = view.id
                self.ws.views[new.id] = new
                self.ws.stacks.setdefault(user_id, []).append(new.id)
            else:
                view.spec, view.hash, view.state, view.errors = spec, self.ws.next_id("h"), {}, {}
        self.ws.touch()

    def close(self, user_id: str, view_id: str) -> Outcome:
        """The modal's close button: `view_closed` when the app asked for it."""
        view = self.ws.top_modal(user_id)
        if view is None or view.id != view_id:
            return Outcome()
        if view.spec.get("notify_on_close"):
            payload = self._envelope("view_closed", user_id)
            payload.update(view=view.slack(self.team, self.ws.app_id, self.ws.bot_id))
            payload["is_cleared"] = False
            self._interaction(payload)
        self.ws.close_modal(user_id)
        return Outcome()

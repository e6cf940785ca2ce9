"""Simulated Web API: views.* (modals and Home tabs) and files.* (the upload flow)."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.demo.api_base import Answer, ApiBase, decode, error
from bot.demo.model import StoredFile, View
from bot.demo.state import find, with_ids
from bot.demo.workspace import PendingUpload, Trigger


def check_view(view: Any) -> str | None:
    """Slack's limits on a view: a problem, or None."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return "invalid_arguments"
    if len(view.get("blocks") or []) > 100:
        return "invalid_arguments"
    for key in ("title", "submit", "close"):
        if len(((view.get(key) or {}).get("text")) or "") > 24:
            return "invalid_arguments"
    if len(view.get("private_metadata") or "") > 3000:
        return "invalid_arguments"
    return None


class ViewMethods(ApiBase):
    """Views and files."""

    def _new_view(
        self, user: str, spec: dict[str, Any], root: str | None, prev: str | None
    ) -> View:
        vid = self.ws.next_id("V")
        spec = {**spec, "blocks": with_ids(list(spec.get("blocks") or []))}
        view = View(vid, user, str(spec["type"]), spec, self.ws.next_id("h"), root or vid, prev)
        self.ws.views[vid] = view
        return view

    def _slack_view(self, view: View) -> Answer:
        return {"ok": True, "view": view.slack(self.ws.team_id, self.ws.app_id, self.ws.bot_id)}

    def _trigger(self, a: dict[str, Any]) -> tuple[Trigger, dict[str, Any]] | Answer:
        spec = decode(a["view"])
        problem = check_view(spec)
        if problem:
            return error(problem)
        trigger = self.ws.use_trigger(str(a["trigger_id"]))
        if isinstance(trigger, str):
            return error(trigger)
        return trigger, spec

    def m_views_open(self, a: dict[str, Any]) -> Answer:
        """views.open: a modal for the person whose interaction gave the trigger."""
        return self._open_modal(a, push=False)

    def m_views_push(self, a: dict[str, Any]) -> Answer:
        """views.push: on top of the person's open modal (three at most)."""
        return self._open_modal(a, push=True)

    def _open_modal(self, a: dict[str, Any], *, push: bool) -> Answer:
        """A modal for the trigger's person: a new stack in place of theirs, or pushed onto it."""
        checked = self._trigger(a)
        if isinstance(checked, dict):
            return checked
        trigger, spec = checked
        with self.ws.lock:
            stack = self.ws.stacks.get(trigger.user) or []
            if not push:
                for old in stack:
                    self.ws.views.pop(old, None)
                view = self._new_view(trigger.user, spec, None, None)
                self.ws.stacks[trigger.user] = [view.id]
            elif not stack:
                return error("not_found")
            elif len(stack) >= 3:
                return error("push_limit_reached")
            else:
                view = self._new_view(
                    trigger.user, spec, self.ws.views[stack[0]].root_id, stack[-1]
                )
                stack.append(view.id)
        self.ws.touch()
        return self._slack_view(view)

    def m_views_update(self, a: dict[str, Any]) -> Answer:
        """views.update by view_id or external_id, refused on a stale hash."""
        spec = decode(a["view"])
        problem = check_view(spec)
        if problem:
            return error(problem)
        with self.ws.lock:
            view = self.ws.views.get(str(a.get("view_id") or ""))
            if view is None and a.get("external_id"):
                view = next(
                    (
                        v
                        for v in self.ws.views.values()
                        if v.spec.get("external_id") == a["external_id"]
                    ),
                    None,
                )
            if view is None:
                return error("not_found")
            if a.get("hash") and a["hash"] != view.hash:
                return error("hash_conflict")
            blocks = with_ids(list(spec.get("blocks") or []))
            spec = {**spec, "blocks": blocks}
            # like Slack, what was typed stays in blocks whose ids did not change
            kept = {
                bid: {aid: v for aid, v in acts.items() if find(blocks, bid, aid)}
                for bid, acts in view.state.items()
            }
            view.state = {bid: acts for bid, acts in kept.items() if acts}
            view.spec, view.hash, view.errors, view.rev = spec, self.ws.next_id("h"), {}, 0
            view.type = str(spec["type"])
        self.ws.touch()
        return self._slack_view(view)

    def m_views_publish(self, a: dict[str, Any]) -> Answer:
        """views.publish: a person's Home tab."""
        spec = decode(a["view"])
        if check_view(spec) or spec.get("type") != "home":
            return error("invalid_arguments")
        user = str(a["user_id"])
        if user not in self.ws.users:
            return error("user_not_found")
        with self.ws.lock:
            old = self.ws.home(user)
            if old is not None and a.get("hash") and a["hash"] != old.hash:
                return error("hash_conflict")
            view = self._new_view(user, spec, None, None)
            if old is not None:
                self.ws.views.pop(old.id, None)
            self.ws.homes[user] = view.id
        self.ws.touch()
        return self._slack_view(view)

    # ------------------------------------------------------------------ files
    def m_files_getUploadURLExternal(self, a: dict[str, Any]) -> Answer:
        """files.getUploadURLExternal: step 1 of an upload."""
        fid = self.ws.next_id("F")
        self.ws.uploads[fid] = PendingUpload(str(a["filename"]), int(a["length"]))
        return {"ok": True, "upload_url": f"{self.base}/upload/{fid}", "file_id": fid}

    def upload(self, file_id: str, content: bytes) -> bool:
        """Step 2: the bytes, POSTed to the upload URL."""
        pending = self.ws.uploads.get(file_id)
        if pending is None:
            return False
        pending.content = content
        return True

    def m_files_completeUploadExternal(self, a: dict[str, Any]) -> Answer:
        """Step 3: the files are shared in a conversation (a thread when thread_ts is given)."""
        files = decode(a["files"]) or []
        channel = self._channel(str(a.get("channel_id") or a.get("channels") or ""))
        done: list[StoredFile] = []
        for f in files:
            pending = self.ws.uploads.get(str(f.get("id")))
            if pending is None or pending.content is None:
                return error("file_not_found")
            mime = mimetypes.guess_type(pending.name)[0] or "application/octet-stream"
            title = str(f.get("title") or pending.name)
            stored = StoredFile(
                str(f["id"]),
                pending.name,
                title,
                mime,
                pending.content,
                self.ws.bot.id,
                int(self.ws.clock().timestamp()),
            )
            done.append(stored)
        for stored in done:
            self.ws.uploads.pop(stored.id, None)
            self.ws.files[stored.id] = stored
        if channel is not None:
            self.ws.post_from_app(
                channel.id,
                str(a.get("initial_comment") or ""),
                thread_ts=str(a.get("thread_ts") or "") or None,
                files=[s.id for s in done],
            )
        self.ws.touch()
        return {"ok": True, "files": [{"id": s.id, "title": s.title, "name": s.name} for s in done]}

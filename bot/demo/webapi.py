"""The simulated Slack Web API: the methods the app calls, answered the way Slack answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.demo.api_base import Answer, error
from bot.demo.api_chat import ChatMethods
from bot.demo.api_views import ViewMethods

REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("channel",),
    "chat.update": ("channel", "ts"),
    "chat.postEphemeral": ("channel", "user"),
    "chat.delete": ("channel", "ts"),
    "chat.getPermalink": ("channel", "message_ts"),
    "conversations.create": ("name",),
    "conversations.invite": ("channel", "users"),
    "conversations.info": ("channel",),
    "conversations.members": ("channel",),
    "conversations.join": ("channel",),
    "conversations.history": ("channel",),
    "conversations.replies": ("channel", "ts"),
    "users.info": ("user",),
    "users.lookupByEmail": ("email",),
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
}


class WebAPI(ChatMethods, ViewMethods):
    """Method name → handler (`m_chat_postMessage` answers `chat.postMessage`)."""

    def call(self, method: str, args: dict[str, Any], token: str | None) -> Answer:
        """Answer one Web API call (authentication and required arguments first)."""
        if token != self.ws.token:
            return error("not_authed" if not token else "invalid_auth")
        missing = [a for a in REQUIRED.get(method, ()) if args.get(a) in (None, "")]
        if missing:
            return {
                **error("invalid_arguments"),
                "response_metadata": {
                    "messages": [f"[ERROR] missing required field: {missing[0]}"]
                },
            }
        handler: Callable[[dict[str, Any]], Answer] | None = getattr(
            self, "m_" + method.replace(".", "_"), None
        )
        if handler is None:
            return error("unknown_method")
        return handler(args)

    # ------------------------------------------------------------------ team and users
    def m_auth_test(self, _a: dict[str, Any]) -> Answer:
        """auth.test."""
        return {
            "ok": True,
            "url": f"{self.base}/",
            "team": self.ws.team_name,
            "user": self.ws.bot.name,
            "team_id": self.ws.team_id,
            "user_id": self.ws.bot.id,
            "bot_id": self.ws.bot_id,
            "is_enterprise_install": False,
        }

    def m_team_info(self, _a: dict[str, Any]) -> Answer:
        """team.info."""
        return {"ok": True, "team": {"id": self.ws.team_id, "name": self.ws.team_name}}

    def m_users_info(self, a: dict[str, Any]) -> Answer:
        """users.info."""
        user = self.ws.users.get(str(a["user"]))
        return {"ok": True, "user": self.user_json(user)} if user else error("user_not_found")

    def m_users_lookupByEmail(self, a: dict[str, Any]) -> Answer:
        """users.lookupByEmail."""
        email = str(a["email"]).strip().lower()
        for user in self.ws.users.values():
            if user.email and user.email.lower() == email:
                return {"ok": True, "user": self.user_json(user)}
        return error("users_not_found")

    def m_users_list(self, _a: dict[str, Any]) -> Answer:
        """users.list (one page)."""
        members = [self.user_json(u) for u in self.ws.users.values()]
        return {"ok": True, "members": members, "response_metadata": {"next_cursor": ""}}

"""What the hand-off says to people: outcomes of a win, refusals by Slack, waiting states (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CRM_NAMES = {"hubspot": "HubSpot", "pipedrive": "Pipedrive", "salesforce": "Salesforce"}
RETRY_HINT = "Then press *Retry* in `/rolesplit handoffs`."
SETTINGS_THREADS = (
    "or a manager can set a hand-off channel in `/rolesplit settings` so that hand-offs "
    "become threads there"
)


def crm_name(crm: str | None) -> str:
    """`hubspot` → `HubSpot`; the generic webhook is "the CRM"."""
    return CRM_NAMES.get(crm or "", crm or "the CRM")


def shown(owner_key: str) -> str:
    """A CRM owner's key as people know it: `id:12345` → `12345`."""
    return owner_key.partition(":")[2]


def people(user_ids: list[str]) -> str:
    """`<@A>`, `<@A> and <@B>`, `<@A>, <@B> and <@C>`."""
    mentions = [f"<@{u}>" for u in user_ids]
    if len(mentions) <= 1:
        return "".join(mentions)
    return ", ".join(mentions[:-1]) + " and " + mentions[-1]


@dataclass(frozen=True)
class Refusal:
    """Why Slack would not make the space, and what a person can do about it."""

    why: str
    todo: str


def space_refusal(
    error: str, needed: str | None, channel_name: str, private: bool, fallback: str | None
) -> Refusal:
    """Explain a Slack refusal truthfully: never blame a scope Slack did not name."""
    kind = "private" if private else "public"
    if error == "restricted_action":
        return Refusal(
            f"Slack refused to let the app create a {kind} channel (`restricted_action`): this "
            "workspace limits who may create channels.",
            "A Slack admin can allow it (Workspace settings → Permissions → Channel "
            f"management), {SETTINGS_THREADS}.",
        )
    if error == "name_taken":
        return Refusal(
            f"`#{channel_name}` and every name up to `#{channel_name}-20` are taken "
            "(`name_taken`).",
            f"Archive or rename old hand-off channels, {SETTINGS_THREADS}.",
        )
    if error == "missing_scope":
        why = (
            f"the app lacks the `{needed}` permission that Slack asked for (`missing_scope`)."
            if needed
            else "Slack says the app lacks a permission (`missing_scope`) without naming it."
        )
        return Refusal(
            why[0].upper() + why[1:],
            "Reinstall the app with that scope (manifest.yml lists every scope it needs) from "
            "the Slack app's OAuth & Permissions page.",
        )
    if error in ("not_in_channel", "channel_not_found", "is_archived") and fallback:
        return Refusal(
            f"The app could not post in <#{fallback}> (`{error}`).",
            f"Invite the app to <#{fallback}> (`/invite @rolesplit`), or pick another hand-off "
            "channel in `/rolesplit settings`.",
        )
    return Refusal(
        f"Slack said `{error}`.",
        "This is often passing: try again in a few minutes; if it keeps failing, check the "
        "app's installation.",
    )


def refused_for_declarer(account: str, refusal: Refusal) -> str:
    """The declarer learns the hand-off did not start, why, and what to do."""
    return (
        f"⚠️ *{account}* is recorded, but its hand-off space could not be made, so the "
        f"hand-off has not started. {refusal.why} {refusal.todo} {RETRY_HINT}"
    )


def refused_for_managers(account: str, refusal: Refusal) -> str:
    """The managers' DM about the same refusal."""
    return (
        f"⚠️ The hand-off space for *{account}* could not be made, so it has not started. "
        f"{refusal.why} {refusal.todo} {RETRY_HINT}"
    )


def existing_text(account: str, status: str, link: str | None) -> str:
    """A second win for an account that already has a hand-off."""
    where = f": {link}" if link else ""
    state = {
        "needs_account_manager": " It is waiting for an account manager.",
        "needs_sales_rep": " It is waiting for its sales rep to be named.",
        "incomplete": " It is waiting for the details its CRM did not send.",
        "closed": " It is closed.",
    }.get(status, "")
    return f"*{account}* already has a hand-off{where}.{state} Nothing new was opened."


def asked_text(account: str, asked: list[str], who: str) -> str:
    """The declarer learns who will pick the account manager."""
    if not asked:
        return (
            f"🤝 *{account}* is recorded, but no farmer is free and I found nobody to ask. "
            "Add one with `/rolesplit add @person as farmer` — they'll take it."
        )
    group = {"managers": "", "admins": " (workspace admins: no managers are set)", "you": ""}
    return (
        f"🤝 *{account}* is recorded. No farmer is free, so I've asked {people(asked)}"
        f"{group.get(who, '')} to pick an account manager — every work day until someone "
        "does. The hand-off starts then."
    )


def waiting_line(
    status: str,
    crm: str | None,
    crm_id: str | None,
    crm_owner: str | None,
    missing: str | None,
    asked_days: int,
    since: date | None,
) -> str:
    """What a waiting hand-off waits for, in `/rolesplit handoffs`."""
    if status == "incomplete":
        what = (missing or "account_name").replace("_", " ").replace(",", ", ")
        return (
            f"waiting: {crm_name(crm)} sent no {what} (deal `{crm_id}`) — fill it in "
            f"{crm_name(crm)}; the next delivery completes it"
        )
    if status == "needs_sales_rep":
        if crm_owner:
            owner = crm_owner.partition(":")[2]
            return (
                f"waiting for its sales rep: {crm_name(crm)} owner `{owner}` is not mapped — "
                f"`/rolesplit crm map {crm or 'CRM'} {owner} @user`"
            )
        return "waiting for its sales rep: the managers were asked who won it"
    if status == "needs_account_manager":
        asked = f", asked on {asked_days} day{'s' if asked_days != 1 else ''}" if asked_days else ""
        first = f" since {since:%-d %b}" if since else ""
        return f"waiting for an account manager{first}{asked}"
    return ""

"""manifest.yml against Slack's schema, and against what the code actually listens to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot import create_app
from tests.support.app import make_settings

ROOT = Path(__file__).resolve().parents[2]
SLACK_REF = ROOT / "tests" / "data" / "slack"  # vendored: the suite reads nothing outside the repo


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slack_schema(manifest: dict[str, Any]) -> None:
    schema = json.loads((SLACK_REF / "manifest.schema.1.0.0.json").read_text())
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
    assert errors == [], [e.message for e in errors[:3]]


def test_every_request_url_is_slack_events(manifest: dict[str, Any]) -> None:
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls.append(manifest["settings"]["event_subscriptions"]["request_url"])
    urls.append(manifest["settings"]["interactivity"]["request_url"])
    assert all(u.endswith("/slack/events") for u in urls)
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert all(
        u.endswith("/slack/oauth_redirect") for u in manifest["oauth_config"]["redirect_urls"]
    )


def test_command_and_tabs(manifest: dict[str, Any]) -> None:
    (cmd,) = manifest["features"]["slash_commands"]
    assert cmd["command"] == "/rolesplit" and cmd["should_escape"] is True
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]


def _registered(tmp_path: Path) -> tuple[set[str], set[str]]:
    settings = make_settings(f"sqlite:///{tmp_path / 'm.db'}")
    app = create_app(settings, token_verification=False)
    commands, events = set(), set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            closure = getattr(func, "__closure__", None) or ()
            for cell in closure:
                value = cell.cell_contents
                if isinstance(value, str) and value.startswith("/"):
                    commands.add(value)
                elif isinstance(value, dict) and "type" in value:
                    events.add(value["type"] if isinstance(value["type"], str) else "")
                elif isinstance(value, str) and value in EVENT_NAMES:
                    events.add(value)
    return commands, events


EVENT_NAMES = {"app_home_opened", "message", "app_uninstalled", "tokens_revoked", "user_change"}


def test_manifest_command_and_events_match_listeners(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    commands, events = _registered(tmp_path)
    assert commands == {c["command"] for c in manifest["features"]["slash_commands"]}
    declared = {
        e.removesuffix(".im") for e in manifest["settings"]["event_subscriptions"]["bot_events"]
    }
    assert events == declared, f"listeners {sorted(events)} vs manifest {sorted(declared)}"


def test_bot_scopes_cover_every_web_api_method_the_code_calls(manifest: dict[str, Any]) -> None:
    """Each `client.<method>(` in bot/ needs one of its bot scopes (Slack's method reference)."""
    import re

    methods = json.loads((SLACK_REF / "web-api-methods.json").read_text())
    by_python_name = {name.replace(".", "_"): name for name in methods}
    called: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for match in re.finditer(r"client\.([a-z_]+)\(", path.read_text()):
            name = match.group(1).removesuffix("_v2")
            if name in by_python_name:
                called.add(by_python_name[name])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    missing = {}
    for method in sorted(called):
        needed = methods[method].get("scope", {}).get("bot") or []
        if needed and not scopes & set(needed):
            missing[method] = needed
    assert missing == {}, f"bot scopes missing for {missing}"
    assert "users.info" in called

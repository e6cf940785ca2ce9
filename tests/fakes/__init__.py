"""Test doubles that behave like Slack: the Web API, and requests signed as Slack signs them."""

from tests.fakes.slack_api import Call, FakeSlack
from tests.fakes.slack_requests import (
    Response,
    SlackRequests,
    checkboxes_value,
    datepicker_value,
    input_value,
    static_select_value,
    users_select_value,
)

__all__ = [
    "Call",
    "FakeSlack",
    "Response",
    "SlackRequests",
    "checkboxes_value",
    "datepicker_value",
    "input_value",
    "static_select_value",
    "users_select_value",
]

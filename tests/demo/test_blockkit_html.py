"""Block Kit and mrkdwn as HTML: Slack's markup becomes tags, anything else stays inert text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.demo.blocks import blocks_html
from bot.demo.elements import Ctx
from bot.demo.mrkdwn import to_html

NAMES = {"U0SAM": "Sam Rivera", "C0LEADERS": "sales-leadership"}


def names(ref: str) -> str:
    return NAMES.get(ref, ref)


def ctx(**kw: object) -> Ctx:
    return Ctx(names, [("U0SAM", "Sam Rivera"), ("U0DANA", "Dana W")], **kw)  # type: ignore[arg-type]


def test_script_in_a_note_renders_inert() -> None:
    for text in ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"):
        html = to_html(f"*Note:* {text}", names)
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert html.startswith("<b>Note:</b>")


def test_attributes_cannot_be_broken_out_of() -> None:
    html = to_html('<javascript:alert(1)|click> <http://x.example/"onmouseover=1|y>', names)
    assert "href" not in html  # neither is a link Slack would make
    assert "javascript:alert(1)|click" in html


def test_slack_markup() -> None:
    html = to_html(
        "Hi <@U0SAM>! *bold* _it_ ~gone~ `code` in <#C0LEADERS> :palm_tree: "
        "<https://example.com/a?b=1&amp;c=2|the site>\n> quoted",
        names,
    )
    assert '<span class="bk-mention">@Sam Rivera</span>' in html
    assert "<b>bold</b>" in html and "<i>it</i>" in html and "<s>gone</s>" in html
    assert '<code class="bk-code">code</code>' in html
    assert "#sales-leadership" in html and "🌴" in html
    assert '<a href="https://example.com/a?b=1&amp;c=2"' in html and ">the site</a>" in html
    assert '<span class="bk-quote">quoted</span>' in html


def test_code_is_not_formatted() -> None:
    html = to_html("```*not bold* <@U0SAM>```", names)
    assert html == '<pre class="bk-pre">*not bold* &lt;@U0SAM&gt;</pre>'


def test_snake_case_words_stay_words() -> None:
    assert to_html("account_service and sales_other", names) == "account_service and sales_other"


OWN_TAGS = re.compile(
    r'</?(b|i|s|br|span|code|pre|a)>|<span class="bk-(quote|mention)">|<code class="bk-code">'
    r'|<pre class="bk-pre">|<a href="[^"<>]*" target="_blank" rel="noopener noreferrer">'
)


@given(st.text(alphabet=st.sampled_from('<>&"*_~`:@#|!/ abcUhtp.\n'), max_size=120))
def test_no_tag_from_text_survives(text: str) -> None:
    """Whatever the text, the only tags in the output are the renderer's own."""
    assert "<" not in OWN_TAGS.sub("", to_html(text, names))


def test_blocks_look_like_slack() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Report <b>"}},
        {
            "type": "section",
            "block_id": "s1",
            "text": {"type": "mrkdwn", "text": "*Team*"},
            "fields": [{"type": "mrkdwn", "text": "a"}, {"type": "plain_text", "text": "b"}],
            "accessory": {
                "type": "overflow",
                "action_id": "more",
                "options": [{"text": {"type": "plain_text", "text": "Edit"}, "value": "e"}],
            },
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "_small_"}]},
        {
            "type": "actions",
            "block_id": "a1",
            "elements": [
                {
                    "type": "button",
                    "action_id": "go",
                    "text": {"type": "plain_text", "text": "Go"},
                    "style": "primary",
                    "value": 'v"1',
                },
                {
                    "type": "button",
                    "action_id": "stop",
                    "text": {"type": "plain_text", "text": "Stop"},
                    "style": "danger",
                },
                {"type": "users_select", "action_id": "who", "initial_user": "U0DANA"},
                {"type": "datepicker", "action_id": "day", "initial_date": "2026-03-04"},
                {
                    "type": "channels_select",
                    "action_id": "ch",
                    "placeholder": {"type": "plain_text", "text": "Pick"},
                },
            ],
        },
        {"type": "image", "image_url": "https://cdn.example/x.png", "alt_text": "chart"},
        {"type": "image", "slack_file": {"id": "F1"}, "alt_text": "local"},
        {"type": "video"},
    ]
    html = blocks_html(blocks, ctx(file_url=lambda f: f"/files/{f}"))
    assert '<div class="bk-header">Report &lt;b&gt;</div>' in html
    assert html.count('class="bk-field"') == 2
    assert 'class="bk-el bk-btn bk-primary"' in html and 'data-value="v&quot;1"' in html
    assert "bk-danger" in html
    assert '<option value="U0DANA" selected>Dana W</option>' in html
    assert 'type="date"' in html and 'value="2026-03-04"' in html
    assert 'data-type="overflow"' in html and 'data-block-id="s1"' in html
    assert "https://cdn.example" not in html.split("title=")[0]  # external images not fetched
    assert '<img class="bk-image" src="/files/F1"' in html
    assert "[video block]" in html


def test_modal_inputs_show_state_and_errors() -> None:
    blocks = [
        {
            "type": "input",
            "block_id": "hours",
            "label": {"type": "plain_text", "text": "Hours"},
            "optional": True,
            "element": {"type": "plain_text_input", "action_id": "h", "initial_value": "1"},
        },
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "n", "multiline": True},
        },
        {
            "type": "input",
            "block_id": "n2",
            "label": {"type": "plain_text", "text": "Count"},
            "element": {"type": "number_input", "action_id": "c", "is_decimal_allowed": True},
        },
        {
            "type": "input",
            "block_id": "days",
            "label": {"type": "plain_text", "text": "Days"},
            "element": {
                "type": "checkboxes",
                "action_id": "d",
                "options": [
                    {"text": {"type": "plain_text", "text": "Mon"}, "value": "mon"},
                    {"text": {"type": "plain_text", "text": "Tue"}, "value": "tue"},
                ],
                "initial_options": [
                    {"text": {"type": "plain_text", "text": "Mon"}, "value": "mon"}
                ],
            },
        },
    ]
    state = {"hours": {"h": {"type": "plain_text_input", "value": "30"}}}
    html = blocks_html(blocks, ctx(state=state, errors={"hours": "More than 24 <hours>"}))
    assert 'value="30"' in html and 'value="1"' not in html
    assert "More than 24 &lt;hours&gt;" in html and "has-error" in html
    assert "(optional)" in html and "<textarea" in html
    assert 'type="number"' in html and 'step="any"' in html
    assert 'value="mon" checked' in html and 'value="tue">' in html

"""The owner map from a file: `rolesplit crm import FILE.csv` — every row or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli import main
from bot.handoff.owners import CRMS, parse_map_args, parse_owner_csv
from storage import crm_repo as cr
from storage import repo
from tests.support.clock import Clock
from tests.support.constants import BOT_TOKEN, TEAM_ID


def test_parse_rows_and_report_bad_lines_by_number() -> None:
    rows, errors = parse_owner_csv(
        "crm,owner_id,slack_user,email\n"
        "hubspot,12345,U0DANA,\n"
        "Pipedrive, 77 ,,sam@acme.test\n"
        "\n"
        "salesforce,dana@acme.test,U0DANA,\n"
    )
    assert errors == []
    assert [(r.line, r.crm, r.owner, r.slack_user, r.email) for r in rows] == [
        (2, "hubspot", "id:12345", "U0DANA", None),
        (3, "pipedrive", "id:77", None, "sam@acme.test"),
        (5, "salesforce", "email:dana@acme.test", "U0DANA", None),
    ]
    _, errors = parse_owner_csv(
        "crm,owner_id,slack_user\n"
        "zoho,1,U0DANA\n"
        "hubspot,,U0DANA\n"
        "hubspot,1,dana\n"
        "hubspot,2,\n"
        "hubspot,3,U0SAM\n"
        "hubspot,3,U0LEE\n"
    )
    assert errors == [
        "line 2: crm `zoho` is not hubspot, pipedrive or salesforce",
        "line 3: owner_id is empty or has spaces",
        "line 4: slack_user `dana` is not a Slack user id like U012ABCDEF",
        "line 5: give a slack_user id or a valid email",
        "line 7: hubspot owner 3 is already on line 6",
    ]
    assert parse_owner_csv("crm,slack_user\nhubspot,U1\n")[1][0].startswith("line 1:")
    assert parse_owner_csv("crm,owner_id\nhubspot,1\n")[1][0].startswith("line 1: add a slack_user")


def test_map_arguments() -> None:
    assert parse_map_args("map hubspot 12345 <@U0DANA>", ["U0DANA"]) == (
        "hubspot",
        "id:12345",
        "U0DANA",
    )
    assert parse_map_args("map Salesforce Dana@Acme.test <@U0DANA|dana>", ["U0DANA"]) == (
        "salesforce",
        "email:dana@acme.test",
        "U0DANA",
    )
    assert isinstance(parse_map_args("map hubspot <@U0DANA>", ["U0DANA"]), str)


@given(
    st.lists(
        st.lists(
            st.sampled_from(["hubspot", "zoho", "12", "", " x y", "U0AB", "a@b.co", '"']),
            min_size=0,
            max_size=5,
        ),
        max_size=6,
    )
)
def test_the_csv_parser_reads_or_names_the_line(cells: list[list[str]]) -> None:
    text = "crm,owner_id,slack_user,email\n" + "\n".join(",".join(row) for row in cells)
    rows, errors = parse_owner_csv(text)
    assert all(r.crm in CRMS and r.owner.startswith(("id:", "email:")) for r in rows)
    assert all(r.slack_user or r.email for r in rows)
    assert all(e.startswith("line ") for e in errors)
    assert len({(r.crm, r.owner) for r in rows}) == len(rows)


@pytest.fixture
def cli_env(db_url: str, fake_slack: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in {
        "DATABASE_URL": db_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": fake_slack.url,
        "ROLESPLIT_SCHEDULER": "off",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


def owners_in_db(services: Any) -> dict[tuple[str, str], str]:
    with services.Session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        if ws is None:
            return {}
        return {(o.crm, o.owner_key): o.slack_user for o in cr.owner_map(s, ws.id)}


def test_import_stores_every_row_or_none(
    cli_env: Path, fake_slack: Any, services: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_slack.add_user("U0SAM", email="sam@acme.test")
    bad = cli_env / "bad.csv"
    bad.write_text(
        "crm,owner_id,slack_user,email\nhubspot,1,U0DANA,\npipedrive,2,,nobody@acme.test\n"
    )
    assert main(["crm", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert (
        "nothing imported" in err and "line 3: no Slack user has the e-mail nobody@acme.test" in err
    )
    assert owners_in_db(services) == {}  # line 2 was fine, and still nothing was stored
    good = cli_env / "owners.csv"
    good.write_text(
        "\ufeffCRM,Owner_ID,slack_user,email\nhubspot,1,U0DANA,\npipedrive,2,,sam@acme.test\n"
    )
    assert main(["crm", "import", str(good)]) == 0
    assert "Imported 2 CRM owner mappings into T0001." in capsys.readouterr().out
    assert owners_in_db(services) == {
        ("hubspot", "id:1"): "U0DANA",
        ("pipedrive", "id:2"): "U0SAM",
    }
    # again, with a change: the mapping moves, nothing doubles
    good.write_text("crm,owner_id,slack_user\nhubspot,1,U0LEE\n")
    assert main(["crm", "import", str(good)]) == 0
    assert owners_in_db(services)[("hubspot", "id:1")] == "U0LEE"
    assert main(["crm", "import", str(cli_env / "missing.csv")]) == 2
    assert "cannot read it" in capsys.readouterr().err


def test_import_needs_a_team_when_several_are_installed(
    cli_env: Path, services: Any, capsys: pytest.CaptureFixture[str], clock: Clock
) -> None:
    with services.Session.begin() as s:
        repo.ensure_workspace(s, "T0001")
        repo.ensure_workspace(s, "T0002")
    path = cli_env / "o.csv"
    path.write_text("crm,owner_id,slack_user\nhubspot,1,U0DANA\n")
    assert main(["crm", "import", str(path)]) == 2
    assert "--team: name one of the installed workspaces (T0001, T0002)" in capsys.readouterr().err
    assert main(["crm", "import", str(path), "--team", "T0002"]) == 0

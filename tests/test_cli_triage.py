"""`boundaries triage`: one message or JSON Lines, decisions as text or JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from boundaries.cli.app import app

runner = CliRunner()


def triage(*args: str, input_text: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["triage", *args], input=input_text)


def test_a_crisis_text_prints_the_alert_and_the_uk_resources() -> None:
    result = triage(
        "--channel",
        "sms",
        "--sender",
        "present_client",
        "--country",
        "GB",
        "i cant do this anymore, i want to end my life tonight",
    )
    assert result.exit_code == 0, result.output
    assert "URGENT" in result.stdout
    assert "risk: urgent" in result.stdout
    assert "urgent_alert" in result.stdout
    assert "116 123" in result.stdout


def test_a_concern_prints_the_review_list_and_no_alert() -> None:
    result = triage("--channel", "sms", "--country", "GB", "I keep thinking about killing myself")
    assert result.exit_code == 0, result.output
    assert "CONCERN" in result.stdout
    assert "review_today" in result.stdout
    assert "urgent_alert" not in result.stdout


def test_json_output_carries_the_documented_keys_and_us_resources() -> None:
    result = triage(
        "--channel",
        "sms",
        "--country",
        "US",
        "--format",
        "json",
        "I have been thinking about killing myself and I'm going to do it tonight",
    )
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert set(decision) == {
        "schema",
        "risk",
        "crisis",
        "expressed_risk",
        "labels",
        "scores",
        "actions",
        "clauses",
        "reasons",
        "reply",
        "agenda_note",
    }
    assert decision["schema"] == 2
    assert decision["risk"] == "urgent"
    assert decision["crisis"] is True
    assert decision["expressed_risk"] == "urgent"
    assert decision["actions"][:2] == ["urgent_alert", "crisis_resources_reply"]
    assert "988" in decision["reply"]


def test_a_dm_about_moving_a_session_gets_a_redirect() -> None:
    result = triage(
        "--channel",
        "social_dm",
        "--sender",
        "present_client",
        "--format",
        "json",
        "hi can we move our session on thursday to 4pm?",
    )
    decision = json.loads(result.stdout)
    assert "redirect_reply" in decision["actions"]
    assert "no-social-business" in decision["clauses"]


def test_json_lines_from_stdin_give_one_decision_per_line_in_order() -> None:
    lines = [
        {"text": "running 10 mins late sorry", "channel": "sms", "sender": "present_client"},
        {"text": "Great therapist, five stars", "channel": "review"},
        {"text": "", "channel": "connection_request", "sender": "past_client"},
    ]
    result = triage(input_text="\n".join(json.dumps(line) for line in lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["line"] for row in out] == [1, 2, 3]
    assert out[1]["actions"] == ["no_response"]
    assert out[2]["actions"] == ["decline_connection"]


def test_a_bad_line_gets_an_error_object_and_the_rest_still_run() -> None:
    stdin = (
        '{"text": "see you tuesday"}\nnot json\n{"text": "hi", "channel": "fax"}\n{"text": "ok"}\n'
    )
    result = triage(input_text=stdin)
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["line"] for row in out] == [1, 2, 3, 4]
    assert out[1]["error"].startswith("not JSON")
    assert "channel: expected one of" in out[2]["error"]
    assert "actions" in out[3]


def test_an_unknown_format_is_one_line_and_exit_code_2() -> None:
    result = triage("--format", "xml", "hello")
    assert result.exit_code == 2
    assert "--format" in result.output
    assert "Traceback" not in result.output


def test_machine_written_mail_is_marked_by_the_automated_key() -> None:
    lines = [
        {"text": "I don't want to be here anymore", "automated": True},
        {"text": "hello", "automated": "yes"},
    ]
    result = triage(input_text="\n".join(json.dumps(line) for line in lines) + "\n")
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["risk"] == "concern"  # an expression still raises its level
    assert out[1]["error"] == "automated: expected true or false"

"""`boundaries guard check`: exit 0 clean, 1 with findings, 2 on bad input in one line."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from boundaries.cli.guard import app as installed_app
from boundaries.cli.guard import make_app
from tests.core.guard_policy_factory import make_policy

runner = CliRunner()
# The policy comes from a test factory: the loader and demo policy are written beside this.
app = make_app(lambda path: make_policy())


def draft(tmp_path: Path, text: str) -> Path:
    target = tmp_path / "draft.txt"
    target.write_text(text, encoding="utf-8")
    return target


def guard(*args: str | Path, input_text: str | None = None) -> Any:
    return runner.invoke(app, ["check", *map(str, args)], input=input_text)


def test_it_exits_0_and_says_so_for_a_clean_draft(tmp_path: Path) -> None:
    result = guard("--channel", "sms", "--to", "present_client", draft(tmp_path, "See you at 3"))
    assert result.exit_code == 0, result.output
    assert "Clean" in result.stdout


def test_it_exits_1_and_says_blocked_for_a_reply_to_a_review(tmp_path: Path) -> None:
    result = guard("--channel", "review_reply", "--to", "public", draft(tmp_path, "Thank you!"))
    assert result.exit_code == 1
    assert "Blocked" in result.stdout
    assert "reviews" in result.stdout


def test_it_exits_1_and_asks_for_a_reason_when_there_are_only_warnings(tmp_path: Path) -> None:
    # A street address warns (clause location); an endorsement request always blocks now.
    text = "The new rooms are at 12 High St, second floor."
    result = guard("--channel", "email", "--to", "past_client", draft(tmp_path, text))
    assert result.exit_code == 1
    assert "Warnings" in result.stdout
    assert "reason" in result.stdout
    assert "“12 High St”" in result.stdout


def test_it_says_blocked_for_a_request_for_a_review(tmp_path: Path) -> None:
    text = "Would mean a lot if you could leave a few words about working together."
    result = guard("--channel", "email", "--to", "past_client", draft(tmp_path, text))
    assert result.exit_code == 1
    assert "Blocked" in result.stdout
    assert "“leave a few words”" in result.stdout


def test_it_prints_json_with_positions_but_not_the_drafts_words(tmp_path: Path) -> None:
    text = "See you at my office at 12 High St."
    result = guard(
        "--channel", "email", "--to", "present_client", "--format", "json", draft(tmp_path, text)
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["verdict"] == "needs_reason"
    (finding,) = report["findings"]
    assert finding["clause"] == "location"
    assert text[finding["span"]["start"] : finding["span"]["end"]] == "12 High St"
    assert "High St" not in result.stdout


def test_it_honours_the_agreement_flags(tmp_path: Path) -> None:
    reminder = draft(tmp_path, "Reminder: your therapy session is tomorrow at 10am.")
    refused = guard("--channel", "sms", "--to", "present_client", "--agreed", "email", reminder)
    assert "channel-not-agreed" in refused.stdout
    discreet = guard(
        "--channel",
        "sms",
        "--to",
        "present_client",
        "--agreed",
        "email,sms",
        "--discreet",
        reminder,
    )
    assert "discreet-lock-screen" in discreet.stdout
    notes = draft(tmp_path, "Here are my notes on the thought record.")
    agreed = guard(
        "--channel", "email", "--to", "present_client", "--session-content-by-email", notes
    )
    assert agreed.exit_code == 0, agreed.stdout


def test_it_blocks_an_automated_reply_without_the_footer_for_the_recipients_country(
    tmp_path: Path,
) -> None:
    bare = draft(tmp_path, "Thanks, I'm away until Monday.")
    result = guard("--channel", "email", "--to", "unknown", "--automated", "--country", "us", bare)
    assert result.exit_code == 1
    assert "US: emergency 911" in result.stdout
    footer = make_policy().crisis_for("US").footer()
    with_footer = draft(tmp_path, f"Thanks, I'm away until Monday.\n\n{footer}")
    ok = guard(
        "--channel", "email", "--to", "unknown", "--automated", "--country", "US", with_footer
    )
    assert ok.exit_code == 0, ok.stdout


def test_it_reads_attached_images_for_gps_coordinates(tmp_path: Path) -> None:
    located = tmp_path / "garden.jpg"
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)})
    Image.new("RGB", (8, 8), "green").save(located, exif=exif)
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (8, 8), "green").save(plain)
    post = draft(tmp_path, "Spring in the garden")
    result = guard("--channel", "social_post", "--to", "public", "--attach", located, post)
    assert result.exit_code == 1
    assert "image-gps" in result.stdout
    assert "attachment 1" in result.stdout
    clean = guard("--channel", "social_post", "--to", "public", "--attach", plain, post)
    assert clean.exit_code == 0, clean.stdout


def test_it_reads_the_draft_from_standard_input() -> None:
    result = guard("--channel", "sms", "--to", "present_client", "-", input_text="Thanks x")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "fax", "--to", "present_client"], "--channel must be one of"),
        (["--channel", "sms", "--to", "friend"], "--to must be one of"),
        (["--channel", "sms", "--to", "present_client", "--agreed", "pigeon"], "--agreed takes"),
        (["--channel", "sms", "--to", "public", "--country", "ZZ"], "no crisis resources"),
        (["--channel", "sms", "--to", "public", "--format", "xml"], "--format must be"),
        (["--to", "public"], "--channel and --to are required"),
    ],
)
def test_it_rejects_bad_input_in_one_line_with_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = guard(*args, draft(tmp_path, "Hello"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_it_rejects_a_missing_draft_file_without_a_traceback(tmp_path: Path) -> None:
    result = guard("--channel", "sms", "--to", "public", tmp_path / "nope.txt")
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_uses_the_demo_policy_when_no_policy_file_is_given(tmp_path: Path) -> None:
    result = runner.invoke(
        installed_app,
        ["check", "--channel", "sms", "--to", "present_client", str(draft(tmp_path, "See you"))],
    )
    policy_module = importlib.import_module("boundaries.core.policy")
    if hasattr(policy_module, "demo_policy"):
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2
        assert "pass --policy FILE" in result.stderr

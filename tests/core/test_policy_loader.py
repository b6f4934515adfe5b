"""policy.toml is read strictly, and every mistake is one line naming the file, line and key."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from boundaries.cli.app import app as cli_app
from boundaries.core.policy import PolicyError as ExportedPolicyError
from boundaries.core.policy import load_policy as exported_load_policy
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import (
    CLAUSE_PARAMS,
    DEFAULT_SECURE_CHANNEL,
    DEFAULT_SEVERITIES,
    dotted,
    load_policy,
    locate_keys,
)
from boundaries.core.policy.model import CLAUSE_ORDER, Severity
from boundaries.core.types import ClauseId

POLICIES = Path(__file__).resolve().parent.parent / "data" / "policies"
MINIMAL = (POLICIES / "minimal.toml").read_text(encoding="utf-8")
BROKEN = sorted((POLICIES / "broken").glob("*.toml"))
EXPECT = re.compile(r"^# expect: (\d+): (.+)$")


def expectation(path: Path) -> tuple[int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"{path.name} must start with '# expect: LINE: MESSAGE'"
    return int(match.group(1)), match.group(2)


def load_error(text: str, filename: str = "policy.toml") -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy(text, filename=filename)
    return caught.value


# ---------------------------------------------------------------------------- broken files


def test_there_are_at_least_24_distinct_broken_policies() -> None:
    assert len(BROKEN) >= 24
    assert len({expectation(path)[1] for path in BROKEN}) == len(BROKEN)


@pytest.mark.parametrize("path", BROKEN, ids=[path.stem for path in BROKEN])
def test_it_reports_each_broken_policy_with_its_line_and_key(path: Path) -> None:
    line, message = expectation(path)
    error = load_error(path.read_text(encoding="utf-8"), filename=path.name)
    assert error.line == line, str(error)
    assert str(error).startswith(f"{path.name}:{line}: "), str(error)
    assert message in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize("path", BROKEN, ids=[path.stem for path in BROKEN])
def test_the_cli_check_exits_2_with_one_line_on_stderr_for_each_broken_policy(
    path: Path,
) -> None:
    line, _ = expectation(path)
    result = CliRunner().invoke(cli_app, ["policy", "check", str(path)])
    assert result.exit_code == 2, result.output
    lines = [text for text in result.stderr.splitlines() if text.strip()]
    assert len(lines) == 1, result.stderr
    assert f"{path}:{line}:" in lines[0]
    assert "Traceback" not in result.output
    assert not result.stdout.strip()


@pytest.mark.parametrize("value", ["[/x]", "[bold]"])
def test_the_cli_prints_a_value_that_looks_like_markup_as_written(
    tmp_path: Path, value: str
) -> None:
    target = tmp_path / "policy.toml"
    target.write_text(MINIMAL.replace('country = "GB"', f'country = "{value}"'), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["policy", "check", str(target)])
    assert result.exit_code == 2
    assert f'got "{value}"' in result.stderr


def test_the_cli_check_says_valid_for_a_good_policy() -> None:
    result = CliRunner().invoke(cli_app, ["policy", "check", str(POLICIES / "minimal.toml")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout
    assert "9 of 9 clauses enabled" in result.stdout


def test_the_cli_never_wraps_a_line_however_long_the_path(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 6) / "practice"
    deep.mkdir(parents=True)
    target = deep / "policy.toml"
    target.write_text((POLICIES / "minimal.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["policy", "check", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{target}: valid — 9 of 9 clauses enabled.\n"


# ---------------------------------------------------------------------------- errors


def test_the_error_reads_as_file_line_key_expected_got() -> None:
    text = MINIMAL.replace(
        'enabled = true\ntitle = "Reviews"', 'enabled = "yes"\ntitle = "Reviews"'
    )
    error = load_error(text)
    assert (
        str(error) == 'policy.toml:31: clauses.reviews.enabled: expected true or false, got "yes"'
    )
    assert (error.filename, error.line, error.key) == ("policy.toml", 31, "clauses.reviews.enabled")
    assert error.expected == "true or false"
    assert isinstance(error, ValueError)


def test_the_error_survives_pickling_for_background_workers() -> None:
    error = load_error(MINIMAL.replace('country = "GB"', 'country = "UK"'))
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object, round trip
    assert str(copy) == str(error)
    assert (copy.line, copy.key) == (error.line, error.key)


def test_the_error_stays_on_one_line_whatever_the_value_contains() -> None:
    error = load_error(MINIMAL.replace('country = "GB"', 'country = """G\nB"""'))
    assert "\n" not in str(error)


def test_a_syntax_error_names_its_line() -> None:
    error = load_error("schema = 1\n[practice]\nname = \n")
    assert error.line == 3
    assert str(error).startswith("policy.toml:3: not valid TOML")


def test_a_syntax_error_at_the_end_of_the_file_names_the_last_line() -> None:
    error = load_error('schema = 1\n[practice]\nname = "x')
    assert error.line == 3


@pytest.mark.parametrize(
    "value",
    ["[" * 100_000 + "]" * 100_000, "{a=" * 1000 + "1" + "}" * 1000],
    ids=["arrays", "tables"],
)
def test_a_document_nested_too_deeply_for_tomllib_is_a_policy_error(value: str) -> None:
    error = load_error(f"a = {value}\n")
    assert str(error) == "policy.toml: not valid TOML: arrays or inline tables nested too deeply"


def test_an_empty_file_is_missing_the_practice() -> None:
    error = load_error("")
    assert error.line is None
    assert str(error) == "policy.toml: practice: missing; expected a practice table"


def test_the_package_exports_the_loader_and_its_error() -> None:
    assert exported_load_policy is load_policy
    assert ExportedPolicyError is PolicyError


# ---------------------------------------------------------------------------- what it reads


def test_it_reads_the_minimal_policy_with_all_nine_clauses() -> None:
    policy = load_policy(MINIMAL)
    assert tuple(policy.clauses) == CLAUSE_ORDER
    assert all(policy.enabled(clause_id) for clause_id in CLAUSE_ORDER)
    assert policy.practice.phone == "+441614960123"
    assert policy.practice.professional_body.short_name == "UKCP"
    assert policy.secure_channel_name == "the secure portal"


def test_it_fills_in_default_severities_and_parameters() -> None:
    policy = load_policy(MINIMAL)
    assert policy.clause(ClauseId.REVIEWS).severity is DEFAULT_SEVERITIES[ClauseId.REVIEWS]
    assert policy.clause(ClauseId.LOCATION).severity is Severity.WARN
    for clause_id in CLAUSE_ORDER:
        assert set(policy.clause(clause_id).params) == set(CLAUSE_PARAMS[clause_id])
    assert policy.clause(ClauseId.NO_SOCIAL_BUSINESS).params["phone"] == "+441614960123"
    assert policy.feed_url == "https://alder.example/feeds/policy.atom"
    assert policy.clause(ClauseId.AMENDMENTS).params["feed_url"] == policy.feed_url


def test_it_fills_placeholders_in_clause_text_when_loading() -> None:
    policy = load_policy(MINIMAL)
    assert policy.clause(ClauseId.NO_SOCIAL_BUSINESS).text == (
        "Please telephone +44 161 496 0123 about appointments."
    )
    assert (
        "Facebook, Instagram, LinkedIn, X and TikTok" in policy.clause(ClauseId.NO_CONNECTIONS).text
    )
    assert policy.clause(ClauseId.AMENDMENTS).text.endswith("/feeds/policy.atom.")


def test_it_keeps_reply_placeholders_for_triage_to_fill() -> None:
    policy = load_policy(MINIMAL)
    assert policy.replies.redirect_social == "Please telephone {phone}."


def test_double_braces_are_literal_braces_in_clause_text() -> None:
    text = MINIMAL.replace(
        'text = "I do not search for clients online."',
        'text = "I do not search {{ever}} for clients online."',
    )
    assert "{ever}" in load_policy(text).clause(ClauseId.NO_SEARCHING).text


def test_a_disabled_clause_keeps_its_wording_and_takes_no_parameters() -> None:
    text = MINIMAL.replace(
        "[clauses.session-content-email]\nenabled = true",
        "[clauses.session-content-email]\nenabled = false",
    ).replace('[clauses.session-content-email.params]\nsecure_channel = "the secure portal"\n', "")
    policy = load_policy(text)
    clause = policy.clause(ClauseId.SESSION_CONTENT_EMAIL)
    assert not clause.enabled
    assert not policy.enabled(ClauseId.SESSION_CONTENT_EMAIL)
    assert clause.params == {}
    assert clause.title == "Email"
    assert policy.secure_channel_name == DEFAULT_SECURE_CHANNEL


def test_a_disabled_clause_may_be_just_enabled_false() -> None:
    text = MINIMAL.replace(
        '[clauses.no-following]\nenabled = true\ntitle = "Following"\n'
        'text = "I do not follow clients\' content."',
        "[clauses.no-following]\nenabled = false",
    )
    clause = load_policy(text).clause(ClauseId.NO_FOLLOWING)
    assert (clause.enabled, clause.text, clause.params) == (False, "", {})
    assert clause.title  # a default heading, for the dashboard


def test_an_appointments_phone_in_the_clause_is_the_practice_phone() -> None:
    text = MINIMAL.replace(
        'title = "Appointments"', 'title = "Appointments"\nparams.phone = "0161 496 0999"'
    )
    policy = load_policy(text)
    assert policy.practice.phone == "+441614960999"
    assert policy.clause(ClauseId.NO_SOCIAL_BUSINESS).params["phone"] == "+441614960999"


def test_it_reads_a_phone_number_in_the_practice_countrys_national_format() -> None:
    text = MINIMAL.replace('phone = "+44 161 496 0123"', 'phone = "0161 496 0123"')
    assert load_policy(text).practice.phone == "+441614960123"


def test_country_codes_are_read_in_any_case_and_stored_in_capitals() -> None:
    text = MINIMAL.replace('country = "GB"', 'country = "gb"').replace("[crisis.GB]", "[crisis.gb]")
    text = text.replace("[[crisis.GB.lines]]", "[[crisis.gb.lines]]")
    policy = load_policy(text)
    assert policy.practice.country == "GB"
    assert list(policy.crisis) == ["GB"]


def test_the_practice_countrys_crisis_resources_come_first() -> None:
    us_first = MINIMAL.replace(
        "[crisis.GB]",
        '[crisis.US]\nemergency = "911"\n'
        'lines = [{ name = "988 Lifeline", contact = "988", description = "Any time." }]\n\n'
        "[crisis.GB]",
    )
    policy = load_policy(us_first)
    assert list(policy.crisis) == ["GB", "US"]
    assert policy.crisis_for("us").emergency == "911"
    assert policy.crisis_for("FR").country == "GB"


def test_it_accepts_a_byte_order_mark() -> None:
    assert load_policy("\ufeff" + MINIMAL).practice.name == "Alder Tree Counselling"


def test_the_schema_line_is_optional() -> None:
    assert load_policy(MINIMAL.replace("schema = 1\n", "")).practice.country == "GB"


# ---------------------------------------------------------------------------- the line locator


def test_the_locator_finds_tables_keys_and_array_elements() -> None:
    lines = {dotted(path): line for path, line in locate_keys(MINIMAL).items()}
    assert lines["practice"] == 4
    assert lines["practice.name"] == 5
    assert lines["practice.professional_body.url"] == 17
    assert lines["crisis.GB.lines[1]"] == 80
    assert lines["crisis.GB.lines[1].contact"] == 82


def test_the_locator_ignores_key_lookalikes_inside_multiline_strings_and_arrays() -> None:
    text = (
        "[a]\n"
        'text = """\n'
        "enabled = true\n"
        '[not.a.table]\n"""\n'
        "list = [\n"
        '  "x = 1",\n'
        "]\n"
        "enabled = false\n"
    )
    lines = {dotted(path): line for path, line in locate_keys(text).items()}
    assert lines == {"a": 1, "a.text": 2, "a.list": 6, "a.enabled": 9}


def test_the_locator_reads_quoted_and_dotted_keys() -> None:
    text = "[clauses.\"no-following\"]\nparams.'odd.key' = 1\n"
    lines = locate_keys(text)
    assert lines[("clauses", "no-following")] == 1
    assert lines[("clauses", "no-following", "params", "odd.key")] == 2


# ---------------------------------------------------------------------------- robustness

MINIMAL_LINES = MINIMAL.splitlines()


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(MINIMAL_LINES) - 1))
def test_deleting_any_one_line_gives_a_policy_or_a_policy_error(index: int) -> None:
    text = "\n".join(MINIMAL_LINES[:index] + MINIMAL_LINES[index + 1 :])
    try:
        load_policy(text)
    except PolicyError as error:
        assert "\n" not in str(error)
        assert error.line is None or 1 <= error.line <= len(MINIMAL_LINES)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(MINIMAL_LINES) - 1),
    st.sampled_from(['""', "0", "true", "[]", "{}", '"[/x] {y}"', "1979-05-27", '"\\u0000"']),
)
def test_any_value_replaced_by_any_other_gives_a_policy_or_a_policy_error(
    index: int, replacement: str
) -> None:
    line = MINIMAL_LINES[index]
    if " = " not in line:
        return
    key = line.split(" = ", 1)[0]
    lines = [*MINIMAL_LINES]
    lines[index] = f"{key} = {replacement}"
    try:
        load_policy("\n".join(lines))
    except PolicyError as error:
        assert error.line is not None  # a value that is wrong is always somewhere


@pytest.mark.parametrize("clause_id", CLAUSE_ORDER)
def test_each_clause_can_be_switched_off(clause_id: ClauseId) -> None:
    blocks = re.split(r"\n(?=\[)", MINIMAL)
    kept = []
    for block in blocks:
        if block.startswith(f"[clauses.{clause_id}.params]"):
            continue
        off = f"[clauses.{clause_id}]\nenabled = false\n"
        kept.append(off if block.startswith(f"[clauses.{clause_id}]") else block)
    policy = load_policy("\n".join(kept))
    assert not policy.enabled(clause_id)
    assert sum(policy.enabled(other) for other in CLAUSE_ORDER) == 8


# ---------------------------------------------------------------------------- the reference

REFERENCE = (Path(__file__).resolve().parents[2] / "docs" / "policy-reference.md").read_text(
    encoding="utf-8"
)


def test_the_example_in_the_reference_is_a_valid_policy() -> None:
    examples = re.findall(r"```toml\n(.*?)```", REFERENCE, re.DOTALL)
    assert len(examples) == 1
    policy = load_policy(examples[0])
    assert not policy.enabled(ClauseId.NO_FOLLOWING)
    assert set(policy.crisis) == {"GB", "US"}


def test_the_reference_documents_every_key_the_loader_reads() -> None:
    from boundaries.core.policy import loader

    keys = {
        *loader._TOP_KEYS,
        *loader._PRACTICE_KEYS,
        *loader._BODY_KEYS,
        *loader._CLAUSE_KEYS,
        *loader._CRISIS_KEYS,
        *loader._LINE_KEYS,
        *loader._REPLY_KEYS,
        *(name for specs in CLAUSE_PARAMS.values() for name in specs),
    }
    for key in keys:
        assert f"`{key}`" in REFERENCE, key
    for clause_id in CLAUSE_ORDER:
        assert f"`{clause_id}`" in REFERENCE, clause_id
    for placeholder in loader.TEXT_PLACEHOLDERS | loader.REPLY_PLACEHOLDERS:
        assert f"`{{{placeholder}}}`" in REFERENCE, placeholder

"""Published versions: an exact JSON round trip, a content hash, and what changed word by word."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import (
    CLAUSE_ORDER,
    Clause,
    CrisisLine,
    CrisisResources,
    EthicsBody,
    Policy,
    PracticeDetails,
    ReplyTemplates,
    Severity,
)
from boundaries.core.policy.templates import demo_policy, render_template
from boundaries.core.policy.versions import (
    ChangeKind,
    content_hash,
    diff_policies,
    policy_from_dict,
    policy_to_dict,
    render_diff_html,
    render_diff_text,
    word_diff,
)
from boundaries.core.types import ClauseId

MINIMAL = (Path(__file__).resolve().parent.parent / "data" / "policies" / "minimal.toml").read_text(
    encoding="utf-8"
)

# ---------------------------------------------------------------------------- strategies

words = st.text(min_size=0, max_size=40)
params = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.one_of(
        st.text(max_size=20),
        st.booleans(),
        st.integers(min_value=-(2**53), max_value=2**53),
        st.lists(st.text(max_size=10), max_size=4).map(tuple),
    ),
    max_size=3,
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    chosen = draw(st.lists(st.sampled_from(CLAUSE_ORDER), unique=True, min_size=1))
    clauses = {
        clause_id: Clause(
            id=clause_id,
            enabled=draw(st.booleans()),
            severity=draw(st.sampled_from(Severity)),
            title=draw(words),
            text=draw(st.text(max_size=200)),
            params=draw(params),
        )
        for clause_id in chosen
    }
    countries = draw(
        st.lists(st.sampled_from(["GB", "US", "IE", "CA", "AU"]), unique=True, min_size=1)
    )
    crisis = {
        code: CrisisResources(
            country=code,
            emergency=draw(words),
            lines=tuple(draw(st.lists(st.builds(CrisisLine, words, words, words), max_size=3))),
        )
        for code in countries
    }
    body = draw(st.builds(EthicsBody, words, words, words, words, st.none() | words))
    practice = draw(
        st.builds(
            PracticeDetails,
            name=words,
            therapist_name=words,
            country=st.just(countries[0]),
            timezone=words,
            phone=words,
            email=words,
            website=words,
            professional_body=st.just(body),
        )
    )
    return Policy(
        practice=practice,
        clauses=clauses,
        crisis=crisis,
        replies=draw(st.builds(ReplyTemplates, words, words, words, words)),
        secure_channel_name=draw(words),
        feed_url=draw(words),
        effective_date=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        summary=draw(words),
    )


def reversed_keys(value: Any) -> Any:
    """The same data with every object's keys in the opposite order."""
    if isinstance(value, dict):
        return {key: reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_keys(item) for item in value]
    return value


# ---------------------------------------------------------------------------- round trip


@settings(max_examples=200, deadline=None)
@given(policies())
def test_a_policy_survives_a_trip_through_json_exactly(policy: Policy) -> None:
    stored = json.loads(json.dumps(policy_to_dict(policy)))
    assert policy_from_dict(stored) == policy


@settings(max_examples=100, deadline=None)
@given(policies())
def test_the_order_of_keys_in_stored_json_does_not_matter(policy: Policy) -> None:
    stored = reversed_keys(json.loads(json.dumps(policy_to_dict(policy))))
    restored = policy_from_dict(stored)
    assert restored == policy
    assert content_hash(restored) == content_hash(policy)


@settings(max_examples=100, deadline=None)
@given(policies())
def test_the_content_hash_is_stable_through_storage(policy: Policy) -> None:
    digest = content_hash(policy)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert content_hash(policy_from_dict(json.loads(json.dumps(policy_to_dict(policy))))) == digest


@settings(max_examples=100, deadline=None)
@given(policies(), st.none() | st.just("2031-01-01"), words)
def test_the_effective_date_and_summary_do_not_change_the_hash(
    policy: Policy, effective: str | None, summary: str
) -> None:
    republished = dataclasses.replace(policy, effective_date=effective, summary=summary)
    assert content_hash(republished) == content_hash(policy)


@settings(max_examples=100, deadline=None)
@given(policies(), st.text(min_size=1, max_size=20))
def test_any_change_to_a_clause_text_changes_the_hash(policy: Policy, extra: str) -> None:
    clause_id = next(iter(policy.clauses))
    clauses = dict(policy.clauses)
    clauses[clause_id] = dataclasses.replace(
        clauses[clause_id], text=clauses[clause_id].text + extra
    )
    assert content_hash(dataclasses.replace(policy, clauses=clauses)) != content_hash(policy)


@pytest.mark.parametrize("country", ["GB", "US", "IE"])
def test_the_demo_policies_round_trip(country: str) -> None:
    policy = demo_policy(country)
    assert policy_from_dict(json.loads(json.dumps(policy_to_dict(policy)))) == policy


def test_stored_clauses_come_back_in_publication_order() -> None:
    stored = reversed_keys(policy_to_dict(load_policy(MINIMAL)))
    assert tuple(policy_from_dict(stored).clauses) == CLAUSE_ORDER


def test_the_hash_of_a_fixed_policy_never_changes() -> None:
    # Stored versions are compared by this hash ("nothing changed"): its canonical form is frozen.
    policy = Policy(
        practice=PracticeDetails(
            name="P",
            therapist_name="T",
            country="GB",
            timezone="Europe/London",
            phone="+441614960123",
            email="t@p.example",
            website="https://p.example",
            professional_body=EthicsBody("Body", "B", "Address", "https://b.example"),
        ),
        clauses={
            ClauseId.REVIEWS: Clause(
                ClauseId.REVIEWS, True, Severity.BLOCK, "Reviews", "Text é", {"x": ("a", "b")}
            )
        },
        crisis={"GB": CrisisResources("GB", "999", (CrisisLine("S", "116 123", "Any time"),))},
        replies=ReplyTemplates("c", "rs", "rc", "sc"),
        secure_channel_name="the portal",
        feed_url="https://p.example/feed",
    )
    assert content_hash(policy) == (
        "266c700b765ec887d621784a373d8d582b78ade374e7a5d9dff0c650222e1be9"
    )


def test_a_stored_policy_from_a_newer_format_is_refused() -> None:
    stored = policy_to_dict(demo_policy())
    stored["format"] = 99
    with pytest.raises(ValueError, match="newer"):
        policy_from_dict(stored)


# ---------------------------------------------------------------------------- differences


def renamed(text: str, old: str, new: str) -> Policy:
    return load_policy(text.replace(old, new, 1))


def test_identical_policies_have_no_differences() -> None:
    diff = diff_policies(demo_policy(), demo_policy())
    assert not diff
    assert render_diff_text(diff) == "No changes."
    assert "No changes." in render_diff_html(diff)


def test_renaming_the_practice_shows_in_its_name_and_in_every_clause_that_uses_it() -> None:
    source = render_template(
        "GB",
        practice_name="Riverside Talking Therapy",
        therapist_name="Sam Rivera",
        phone="+442079460123",
        email="a@riverside.example",
        website="https://riverside.example",
    )
    diff = diff_policies(
        load_policy(source), renamed(source, "Riverside Talking Therapy", "Riverside Therapy")
    )
    fields = {change.field for change in diff.changes}
    assert "name" in fields
    assert "reviews.text" in fields
    assert all(change.kind is ChangeKind.CHANGED for change in diff.changes)
    assert diff.clauses == (ClauseId.REVIEWS,)
    name_change = next(change for change in diff.changes if change.field == "name")
    assert (name_change.old, name_change.new) == ("Riverside Talking Therapy", "Riverside Therapy")
    assert [(s.op, s.text) for s in name_change.words()] == [
        ("equal", "Riverside "),
        ("delete", "Talking "),
        ("equal", "Therapy"),
    ]


def test_switching_a_clause_off_shows_it_disabled_and_its_parameters_removed() -> None:
    old = load_policy(MINIMAL)
    new = load_policy(
        MINIMAL.replace(
            "[clauses.location]\nenabled = true", "[clauses.location]\nenabled = false"
        ).replace("[clauses.location.params]\ndiscreet_reminders = true\n", "")
    )
    diff = diff_policies(old, new)
    location = diff.for_clause(ClauseId.LOCATION)
    kinds = {(change.field, change.kind) for change in location}
    assert ("location.enabled", ChangeKind.CHANGED) in kinds
    assert ("location.params.discreet_reminders", ChangeKind.REMOVED) in kinds
    assert diff.clauses == (ClauseId.LOCATION,)


def test_a_new_countrys_crisis_lines_show_as_added() -> None:
    old = load_policy(MINIMAL)
    new = load_policy(
        MINIMAL.replace(
            "[crisis.GB]",
            '[crisis.IE]\nemergency = "112 or 999"\n'
            'lines = [{ name = "Samaritans", contact = "116 123", description = "Any time." }]\n\n'
            "[crisis.GB]",
        )
    )
    diff = diff_policies(old, new)
    assert {(c.field, c.kind) for c in diff.changes} == {
        ("IE.emergency", ChangeKind.ADDED),
        ("IE.lines", ChangeKind.ADDED),
    }
    reverse = diff_policies(new, old)
    assert {c.kind for c in reverse.changes} == {ChangeKind.REMOVED}


def test_the_text_diff_marks_removed_and_added_words() -> None:
    old = load_policy(MINIMAL)
    new = renamed(MINIMAL, "I do not search for clients online.", "I never search for clients.")
    text = render_diff_text(diff_policies(old, new))
    assert text.startswith("1 change.")
    assert "Searching (no-searching): text (changed)" in text
    assert "I [-do not-]{+never+} search for clients[- online-]." in text


def test_the_html_diff_uses_ins_and_del_and_escapes_everything() -> None:
    old = load_policy(MINIMAL)
    new = renamed(MINIMAL, "I do not search for clients online.", "I <b>never</b> search & more.")
    html_text = render_diff_html(diff_policies(old, new))
    assert "<ins>" in html_text
    assert "<del>" in html_text
    assert "<b>" not in html_text
    assert "&lt;b&gt;never&lt;/b&gt;" in html_text
    assert "&amp;" in html_text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.text(max_size=120))
def test_a_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert all(a.op != b.op for a, b in itertools.pairwise(segments))


@settings(max_examples=50, deadline=None)
@given(policies(), policies())
def test_any_two_policies_can_be_compared_and_rendered(old: Policy, new: Policy) -> None:
    diff = diff_policies(old, new)
    if content_hash(old) == content_hash(new):
        assert not diff  # the summary and effective date are not changes to the policy
    if diff:
        assert content_hash(old) != content_hash(new)
    assert render_diff_text(diff)
    assert render_diff_html(diff).startswith('<div class="policy-diff">')
    assert not diff_policies(new, new)

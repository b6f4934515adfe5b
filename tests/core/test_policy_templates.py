"""Country templates: a complete, valid policy in a practice's first minute, filled in safely."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core import policy as policy_package
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import CLAUSE_ORDER, Policy
from boundaries.core.policy.templates import (
    available_templates,
    demo_policy,
    render_template,
    template_source,
    toml_string,
)
from boundaries.core.types import ClauseId

DETAILS = {
    "GB": {"phone": "020 7946 0555", "timezone": "Europe/London"},
    "US": {"phone": "+1 202 555 0143", "timezone": "America/New_York"},
}


def render(country: str, **overrides: str) -> str:
    values = {
        "practice_name": "Harbour Light Therapy",
        "therapist_name": "Morgan Vale",
        "phone": DETAILS[country]["phone"],
        "email": "hello@harbour.example",
        "website": "https://harbour.example",
        **overrides,
    }
    return render_template(country, **values)


def test_it_offers_a_template_for_the_uk_and_the_us() -> None:
    assert available_templates() == ["GB", "US"]


@pytest.mark.parametrize("country", ["GB", "US"])
def test_each_template_renders_to_a_valid_policy_with_all_nine_clauses_enabled(
    country: str,
) -> None:
    policy = load_policy(render(country))
    assert policy.practice.country == country
    assert policy.practice.timezone == DETAILS[country]["timezone"]
    assert tuple(policy.clauses) == CLAUSE_ORDER
    assert all(policy.enabled(clause_id) for clause_id in CLAUSE_ORDER)
    for clause in policy.clauses.values():
        assert clause.title.strip()
        assert len(clause.text) > 100, clause.id


@pytest.mark.parametrize("country", ["GB", "US"])
def test_each_template_has_crisis_resources_for_clients_abroad(country: str) -> None:
    policy = load_policy(render(country))
    assert next(iter(policy.crisis)) == country
    assert {"GB", "US", "IE", "CA", "AU"} <= set(policy.crisis)
    assert policy.crisis_for("AU").emergency == "000"
    assert policy.crisis_for("IE").lines[0].contact == "116 123"


def test_the_uk_template_names_ukcp_and_the_uk_crisis_lines() -> None:
    policy = load_policy(render("GB"))
    assert policy.practice.professional_body.short_name == "UKCP"
    assert policy.practice.professional_body.url == "https://www.psychotherapy.org.uk"
    uk = policy.crisis["GB"]
    assert uk.emergency == "999"
    contacts = {line.name: line.contact for line in uk.lines}
    assert contacts["Samaritans"] == "116 123"
    assert contacts["NHS"] == "111"
    assert "85258" in contacts["Shout"]
    assert "SHOUT" in contacts["Shout"]


def test_the_us_template_names_988_911_the_crisis_text_line_and_hipaa() -> None:
    policy = load_policy(render("US"))
    us = policy.crisis["US"]
    assert us.emergency == "911"
    contacts = " ".join(line.contact for line in us.lines)
    assert "988" in contacts
    assert "HOME to 741741" in contacts
    assert "HIPAA" in policy.clause(ClauseId.SESSION_CONTENT_EMAIL).text
    assert "licens" in policy.practice.professional_body.name.lower()


def test_the_phone_number_is_written_in_e164() -> None:
    text = render("GB")
    assert 'phone = "+442079460555"' in text
    assert load_policy(text).practice.phone == "+442079460555"


def test_a_phone_number_that_cannot_be_read_is_left_for_the_loader_to_report() -> None:
    text = render("GB", phone="12")
    with pytest.raises(PolicyError) as caught:
        load_policy(text)
    assert caught.value.key == "practice.phone"
    assert caught.value.line == text.splitlines().index('phone = "12"') + 1


def test_the_practice_name_first_appears_as_its_own_value() -> None:
    # Tests and tools rename a practice by replacing the first occurrence of its name.
    text = render("GB")
    first = text[: text.index("Harbour Light Therapy")].rsplit("\n", 1)[-1]
    assert first == 'name = "'


@pytest.mark.parametrize(
    "hostile",
    [
        'Quote " and backslash \\ practice',
        'Three quotes """ and a ] bracket',
        "[practice]\\nname = 'x'",
        "Braces {phone} {{ and }} stay as written",
        "Tab\there and a bell \x07",
    ],
)
def test_whatever_a_therapist_types_cannot_change_the_structure_of_the_file(
    hostile: str,
) -> None:
    policy = load_policy(render("GB", practice_name=hostile, therapist_name=hostile))
    assert policy.practice.name == hostile
    assert policy.practice.therapist_name == hostile


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip() and "\n" not in s.strip()))
def test_any_one_line_practice_name_round_trips_through_the_template(name: str) -> None:
    policy = load_policy(render("GB", practice_name=name))
    assert policy.practice.name == name.strip()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_toml_string_reads_back_as_the_same_text(value: str) -> None:
    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value


def test_a_name_on_two_lines_is_refused_with_its_line() -> None:
    text = render("GB", practice_name="Harbour\nLight")
    with pytest.raises(PolicyError) as caught:
        load_policy(text)
    assert caught.value.key == "practice.name"
    assert caught.value.line is not None


def test_the_timezone_can_be_chosen() -> None:
    policy = load_policy(render("GB", timezone="Europe/Belfast"))
    assert policy.practice.timezone == "Europe/Belfast"


def test_an_unknown_country_has_no_template() -> None:
    with pytest.raises(ValueError, match="no policy template for 'FR'"):
        template_source("FR")


@pytest.mark.parametrize("country", ["GB", "US"])
def test_the_shipped_template_uses_only_known_markers(country: str) -> None:
    markers = set(re.findall(r"@@(\w+)@@", template_source(country)))
    assert markers == {
        "practice_name",
        "therapist_name",
        "phone",
        "email",
        "website",
        "timezone",
        "feed_url",
    }


# ---------------------------------------------------------------------------- replies

CLINICAL_WORDS = re.compile(r"\b(therap\w*|counsel\w*|session\w*|diagnos\w*|treatment)\b", re.I)


@pytest.mark.parametrize("country", ["GB", "US"])
def test_automated_replies_are_brief_and_never_mention_therapy(country: str) -> None:
    replies = load_policy(render(country)).replies
    for name in ("crisis", "redirect_social", "redirect_channel", "secure_channel"):
        text = getattr(replies, name)
        assert len(text) <= 240, name
        assert not CLINICAL_WORDS.search(text.replace("{therapist}", "")), name
        assert "{message}" not in text


def test_the_redirect_reply_gives_the_appointments_phone() -> None:
    replies = load_policy(render("GB")).replies
    assert "{phone}" in replies.redirect_social
    assert "{phone}" in replies.redirect_channel
    assert "{secure_channel}" in replies.secure_channel


# ---------------------------------------------------------------------------- demo


def test_the_demo_policy_is_riverside_therapy_in_the_uk() -> None:
    policy = demo_policy()
    assert isinstance(policy, Policy)
    assert policy.practice.name == "Riverside Therapy"
    assert policy.practice.phone == "+442079460123"
    assert policy.practice.email == "inbox@riverside-therapy.example"
    assert policy.practice.country == "GB"
    assert all(policy.enabled(clause_id) for clause_id in CLAUSE_ORDER)


def test_the_demo_policy_exists_for_the_us() -> None:
    policy = demo_policy("US")
    assert policy.practice.country == "US"
    assert policy.crisis_for(None).emergency == "911"


@pytest.mark.parametrize(("country", "emergency"), [("IE", "112 or 999"), ("CA", "911")])
def test_the_demo_policy_for_a_country_without_a_template_keeps_its_crisis_lines(
    country: str, emergency: str
) -> None:
    policy = demo_policy(country)
    assert policy.practice.country == country
    assert policy.crisis_for(None).emergency == emergency
    assert next(iter(policy.crisis)) == country


def test_the_demo_policy_falls_back_to_the_uk_for_any_other_country() -> None:
    policy = demo_policy("FR")
    assert policy.practice.country == "GB"
    assert policy.crisis_for("FR").emergency == "999"


def test_the_demo_policy_is_built_once() -> None:
    assert demo_policy("GB") is demo_policy("GB")


def test_the_package_exports_demo_policy() -> None:
    assert policy_package.demo_policy is demo_policy

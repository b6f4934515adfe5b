"""Placeholders left in a policy: what counts as one, and every template value walked."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import KeyPath, load_policy
from boundaries.core.policy.model import EthicsBody
from boundaries.core.policy.placeholders import (
    find_placeholders,
    placeholder_reason,
    placeholders_in,
    require_no_placeholders,
)
from boundaries.core.policy.templates import (
    available_templates,
    demo_policy,
    demo_source,
    render_template,
)

#: A practice that filled in everything: drama-range phone, reserved .example domain.
FILLED = {
    "practice_name": "Harbour Light Therapy",
    "therapist_name": "Morgan Vale",
    "phone": "+44 20 7946 0555",
    "email": "hello@harbour.example",
    "website": "https://harbour.example",
}
A_BOARD = EthicsBody(
    name="Board of Behavioral Sciences",
    short_name="BBS",
    address="1625 North Market Blvd, Suite S-200, Sacramento, CA 95834",
    url="https://www.bbs.ca.gov",
)
US_BOARD_KEYS = [
    "practice.professional_body.name",
    "practice.professional_body.short_name",
    "practice.professional_body.address",
    "practice.professional_body.url",
]


@pytest.mark.parametrize(
    "value",
    [
        "https://www.example.org/replace-with-your-licensing-board",
        "https://example.com",
        "hello@example.net",
        "https://practice.example.org/contact",
        "REPLACE with the board's mailing address",
        "State Licensing Board (replace with the board that licenses you)",
        "Replace-with-your-address",
        "TODO",
        "+1 202 555 0143",
        "+12025550143",
        "(212) 555-0100",
        "[your licensing board]",
        "<your address>",
        "Your name here",
        "https://yourpractice.com",
        "your.name@gmail.com",
        "Lorem ipsum dolor sit amet",
    ],
)
def test_it_calls_a_stand_in_value_a_placeholder(value: str) -> None:
    assert placeholder_reason(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        "https://www.psychotherapy.org.uk",
        "America House, 2 America Square, London EC3N 2LU",
        "https://harbour.example",  # reserved TLD: plainly fictional, used by the demo
        "+442079460123",  # Ofcom drama range, used by the demo
        "+44 20 7555 1234",
        "call or text 988",
        "1300 22 4636",
        "text HOME to 741741",
        "If we replace our phone system, we will tell you.",
        "https://www.counterexample.org",
        "I may change this policy; every version is kept.",
    ],
)
def test_it_leaves_real_details_and_ordinary_words_alone(value: str) -> None:
    assert placeholder_reason(value) is None


def _strings(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _strings(item, (*path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _strings(item, (*path, index))]
    return []


def _set(document: dict[str, Any], path: KeyPath, value: str) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


TEMPLATE_VALUES = [
    (country, path)
    for country in available_templates()
    for path in _strings(tomllib.loads(render_template(country, **FILLED)))
]


def test_the_templates_have_many_values_to_walk() -> None:
    assert len(TEMPLATE_VALUES) > 100
    assert any(path[0] == "crisis" for _, path in TEMPLATE_VALUES)
    assert any(path[0] == "replies" for _, path in TEMPLATE_VALUES)


@pytest.mark.parametrize(("country", "path"), TEMPLATE_VALUES, ids=str)
def test_every_template_value_is_walked_for_placeholders(country: str, path: KeyPath) -> None:
    document = tomllib.loads(render_template(country, **FILLED, professional_body=A_BOARD))
    assert placeholders_in(document) == ()
    planted = _set(document, path, "REPLACE with your own")
    (found,) = placeholders_in(planted)
    assert found.path == path


def test_the_uk_template_filled_in_has_no_placeholder() -> None:
    assert find_placeholders(render_template("GB", **FILLED)) == ()


def test_the_us_template_leaves_exactly_the_licensing_board_to_fill_in() -> None:
    found = find_placeholders(render_template("US", **FILLED))
    assert [placeholder.key for placeholder in found] == US_BOARD_KEYS
    assert find_placeholders(render_template("US", **FILLED, professional_body=A_BOARD)) == ()


def test_the_check_names_the_key_and_line_of_the_first_placeholder_and_lists_the_rest() -> None:
    text = render_template("US", **FILLED)
    with pytest.raises(PolicyError) as caught:
        require_no_placeholders(text, filename="policy.toml")
    error = caught.value
    assert error.key == "practice.professional_body.name"
    assert (
        error.line
        == text.splitlines().index('name = "REPLACE with the name of the board that licenses you"')
        + 1
    )
    message = str(error)
    assert message.startswith(f"policy.toml:{error.line}: practice.professional_body.name: ")
    assert "practice.professional_body.url (line" in message
    assert "\n" not in message


def test_a_555_number_is_named_by_its_key() -> None:
    text = render_template("GB", **{**FILLED, "phone": "+1 202 555 0143"})
    with pytest.raises(PolicyError) as caught:
        require_no_placeholders(text)
    assert caught.value.key == "practice.phone"
    assert "555" in str(caught.value)


def test_a_placeholder_in_a_crisis_line_is_named_with_its_index() -> None:
    text = render_template("GB", **FILLED).replace('contact = "111"', 'contact = "TODO"', 1)
    (found,) = find_placeholders(text)
    assert found.key == "crisis.GB.lines[1].contact"


@pytest.mark.parametrize("country", ["GB", "US", "CA", "IE", "FR"])
def test_the_demo_policy_has_no_placeholder_and_still_loads(country: str) -> None:
    assert find_placeholders(demo_source(country)) == ()
    assert demo_policy(country).practice.name == "Riverside Therapy"


def test_a_filled_in_template_still_loads() -> None:
    policy = load_policy(render_template("US", **FILLED, professional_body=A_BOARD))
    assert policy.practice.professional_body.short_name == "BBS"
    assert policy.practice.country == "US"

"""The published policy says everything the practice promises, in the GB and US templates."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest

from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import EthicsBody, Policy
from boundaries.core.policy.render import render_html, render_markdown, render_text
from boundaries.core.policy.templates import render_template

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


def policy_for(country: str) -> Policy:
    body = A_BOARD if country == "US" else None
    return load_policy(render_template(country, **FILLED, professional_body=body))


def sections(policy: Policy) -> dict[str, str]:
    """The published Markdown, one entry per section anchor, whitespace folded."""
    found: dict[str, str] = {}
    for block in render_markdown(policy).split("\n## ")[1:]:
        heading, _, body = block.partition("\n")
        anchor = re.search(r"\{#([\w-]+)\}", heading)
        assert anchor is not None, heading
        found[anchor.group(1)] = " ".join(body.split())
    return found


#: Each commitment: the section that states it and what it must say, in our words.
COMMITMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "the policy covers every kind of social media, blogs and forums included": (
        "scope",
        ("every kind of social media", "blogs", "forums"),
    ),
    "clients are welcome to comment on or review the practice anywhere": (
        "reviews",
        (
            "You are welcome to write about me or my work wherever you choose",
            "review site",
            "comment on anything I publish",
        ),
    ),
    "feelings expressed on such sites may never be seen": (
        "reviews",
        ("whatever you feel as you write it, may never reach me",),
    ),
    "why the therapist does not view clients' content: it blurs what is part of treatment": (
        "no-following",
        ("blur the line between what is part of your therapy and what is not",),
    ),
    "the therapist never asks for a review or a testimonial": (
        "reviews",
        ("I will never ask you for a review or a testimonial",),
    ),
}
#: The professional code behind the endorsement rule, per template.
ENDORSEMENT_CODE = {
    "GB": ("code of ethics of my professional body", "UKCP", "never to exploit a client"),
    "US": ("Ethics Code", "standard 5.05", "do not solicit testimonials"),
}


@pytest.mark.parametrize("country", ["GB", "US"])
@pytest.mark.parametrize("commitment", list(COMMITMENTS))
def test_the_published_policy_states_the_commitment(country: str, commitment: str) -> None:
    anchor, phrases = COMMITMENTS[commitment]
    text = sections(policy_for(country))[anchor]
    for phrase in phrases:
        assert phrase in text, f"{country} #{anchor}: {phrase!r}"


@pytest.mark.parametrize("country", ["GB", "US"])
def test_the_endorsement_rule_names_the_professional_code_behind_it(country: str) -> None:
    text = sections(policy_for(country))["no-endorsements"]
    for phrase in ENDORSEMENT_CODE[country]:
        assert phrase in text, f"{country}: {phrase!r}"


@pytest.mark.parametrize("country", ["GB", "US"])
@pytest.mark.parametrize("render", [render_html, render_markdown, render_text])
def test_every_format_carries_the_commitments(
    country: str, render: Callable[[Policy], str]
) -> None:
    published = " ".join(html.unescape(render(policy_for(country))).split())
    for _, phrases in COMMITMENTS.values():
        for phrase in phrases:
            assert phrase in published, phrase


def test_the_scope_names_the_practices_own_platforms() -> None:
    policy = policy_for("GB")
    assert "Facebook, Instagram, LinkedIn, X and TikTok" in sections(policy)["scope"]

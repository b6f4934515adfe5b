"""The published policy in HTML, Markdown and text: one section per enabled clause, all escaped."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core.policy.model import CLAUSE_ORDER, Policy
from boundaries.core.policy.render import render_html, render_markdown, render_text
from boundaries.core.policy.templates import demo_policy
from boundaries.core.types import ClauseId

RENDERERS = [render_html, render_markdown, render_text]


def with_clause(policy: Policy, clause_id: ClauseId, **changes: object) -> Policy:
    clauses = dict(policy.clauses)
    clauses[clause_id] = dataclasses.replace(clauses[clause_id], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(policy, clauses=clauses)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)


def parse(html_text: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html_text)
    collector.close()
    return collector


OUR_TAGS = {"section", "h2", "h3", "p", "ul", "li", "strong", "a"}


# ---------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("clause_id", CLAUSE_ORDER)
def test_each_enabled_clause_is_a_section_anchored_by_its_id(clause_id: ClauseId) -> None:
    policy = demo_policy()
    html_text = render_html(policy)
    assert f'<section id="{clause_id}"' in html_text
    assert f">{policy.clause(clause_id).title}</h2>" in html_text


@pytest.mark.parametrize("clause_id", CLAUSE_ORDER)
def test_a_disabled_clause_is_not_published(clause_id: ClauseId) -> None:
    policy = with_clause(demo_policy(), clause_id, enabled=False)
    html_text = render_html(policy)
    assert f'id="{clause_id}"' not in html_text
    assert policy.clause(clause_id).title not in html_text
    assert f"{{#{clause_id}}}" not in render_markdown(policy)
    assert f"[{clause_id}]" not in render_text(policy)


def test_clauses_are_published_in_the_policys_order() -> None:
    ids = parse(render_html(demo_policy())).ids
    sections = [i for i in ids if i in {c.value for c in CLAUSE_ORDER}]
    assert sections == [c.value for c in CLAUSE_ORDER]


def test_anchors_are_unique() -> None:
    ids = parse(render_html(demo_policy())).ids
    assert len(ids) == len(set(ids))


def test_the_safety_section_comes_first_with_the_practices_own_country_first() -> None:
    html_text = render_html(demo_policy())
    assert html_text.startswith('<section id="safety"')
    safety = html_text.split("</section>", 1)[0]
    assert safety.index("the United Kingdom") < safety.index("the United States")
    for number in ("999", "116 123", "111", "85258", "988", "911", "741741"):
        assert number in safety


def test_the_contact_section_names_the_appointments_phone_and_the_ethics_body() -> None:
    policy = demo_policy()
    html_text = render_html(policy)
    contact = html_text[html_text.index('<section id="contact-details"') :]
    assert 'href="tel:+442079460123"' in contact
    assert "+44 20 7946 0123" in contact
    assert "UKCP" in contact
    assert "UK Council for Psychotherapy" in contact
    assert '<a href="https://www.psychotherapy.org.uk">' in contact


def test_paragraphs_and_lists_in_clause_text_become_html_blocks() -> None:
    text = "First paragraph\ncontinues here.\n\n- one\n- two\n\nLast."
    html_text = render_html(with_clause(demo_policy(), ClauseId.REVIEWS, text=text))
    section = html_text[html_text.index('<section id="reviews"') :].split("</section>", 1)[0]
    assert "<p>First paragraph continues here.</p>" in section
    assert "<li>one</li>" in section
    assert "<li>two</li>" in section
    assert "<p>Last.</p>" in section


def test_web_addresses_in_clause_text_become_escaped_links() -> None:
    text = "See https://example.org/a?b=1&c=2. Thanks."
    html_text = render_html(with_clause(demo_policy(), ClauseId.REVIEWS, text=text))
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in html_text
    assert "</a>. Thanks." in html_text


def test_markup_in_the_policy_file_is_shown_as_text_not_run() -> None:
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes"'
    policy = with_clause(demo_policy(), ClauseId.REVIEWS, title=hostile, text=hostile)
    practice = dataclasses.replace(demo_policy().practice, therapist_name=hostile)
    html_text = render_html(dataclasses.replace(policy, practice=practice))
    assert "<script" not in html_text
    assert "<img" not in html_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    assert set(parse(html_text).tags) <= OUR_TAGS


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=200), st.text(min_size=1, max_size=60))
def test_no_text_from_the_file_can_add_html(text: str, title: str) -> None:
    html_text = render_html(
        with_clause(demo_policy(), ClauseId.NO_FOLLOWING, text=text, title=title)
    )
    collector = parse(html_text)
    assert set(collector.tags) <= OUR_TAGS
    assert all(href.startswith(("https://", "http://", "tel:", "sms:")) for href in collector.hrefs)


# ---------------------------------------------------------------------------- Markdown and text


def test_markdown_headings_carry_the_clause_ids() -> None:
    markdown = render_markdown(demo_policy())
    for clause_id in CLAUSE_ORDER:
        assert re.search(rf"^## .+ \{{#{clause_id}\}}$", markdown, re.MULTILINE), clause_id
    assert "{#safety}" in markdown
    assert markdown.startswith("# Social media and communications policy: Riverside Therapy")


def test_markdown_shows_the_files_text_literally() -> None:
    text = "*not bold* and [not a link](https://x.example) and <b>no html</b>\n\n# not a heading"
    markdown = render_markdown(with_clause(demo_policy(), ClauseId.REVIEWS, text=text))
    assert r"\*not bold\*" in markdown
    assert r"\[not a link\](https://x.example)" in markdown
    assert r"\<b\>no html\</b\>" in markdown
    assert "\n\\# not a heading\n" in markdown


def test_text_names_each_clause_id_and_wraps_at_78_columns() -> None:
    text = render_text(demo_policy())
    for clause_id in CLAUSE_ORDER:
        assert f"[{clause_id}]" in text
    assert all(len(line) <= 78 for line in text.splitlines()), max(text.splitlines(), key=len)
    assert "Samaritans: 116 123" in text


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_rendering_is_deterministic(render: object) -> None:
    assert callable(render)
    assert render(demo_policy()) == render(demo_policy("GB"))
    assert render(demo_policy("US")) != render(demo_policy("GB"))


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
def test_every_format_ends_with_one_newline(render: object) -> None:
    assert callable(render)
    output = render(demo_policy())
    assert output.endswith("\n")
    assert not output.endswith("\n\n")


def test_every_crisis_number_on_the_published_page_is_one_tap_away() -> None:
    """On a phone, the emergency number and each line's number are ``tel:`` links (a line
    that asks for a text is an ``sms:`` link with its keyword); the words stay as written."""
    html_text = render_html(demo_policy())
    hrefs = parse(html_text).hrefs
    assert {"tel:999", "tel:116123", "tel:111", "sms:85258?body=SHOUT"} <= set(hrefs)
    assert {"tel:911", "tel:988"} <= set(hrefs)  # the other countries the policy lists
    assert '<strong>Samaritans</strong>: <a href="tel:116123">116 123</a>.' in html_text
    assert 'text SHOUT to <a href="sms:85258?body=SHOUT">85258</a>' in html_text
    assert 'thinking of ending your life, call <a href="tel:999">999</a> now' in html_text

"""The policy in the browser: edit the TOML, see errors by line and key, preview with the
public renderer, compare with the published version, publish, and follow acknowledgements."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient

from boundaries.audit.models import AuditEntry
from boundaries.core.policy.templates import render_template
from boundaries.portal.actions import do_acknowledge, do_publish_policy
from boundaries.practices import actions
from boundaries.practices.models import PolicyDraft, PolicyVersion
from tests.channels.conftest import run_worker
from tests.web.signin import sign_in

pytestmark = pytest.mark.django_db


def alder_source() -> str:
    return render_template(
        "GB",
        practice_name="Alder Tree Counselling",
        therapist_name="Alice Owner",
        phone="+442079460123",
        email="hello@alder.example",
        website="https://alder.example",
    )


@pytest.fixture
def published(practice: Any, alice: Any) -> PolicyVersion:
    return do_publish_policy(practice, source=alder_source(), summary="First")


@pytest.fixture
def owner(alice: Any) -> HttpClient:
    http = HttpClient()
    sign_in(http, alice.user)
    return http


def test_a_mistake_is_named_by_line_and_key(owner: HttpClient, published: Any) -> None:
    broken = alder_source().replace("enabled = true", 'enabled = "yes"', 1)
    line = broken.splitlines().index('enabled = "yes"') + 1
    response = owner.post("/dashboard/policy/edit/", {"source": broken, "action": "preview"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Line {line}" in page
    assert "clauses.no-connections.enabled" in page
    # The same check answers as the therapist types.
    fragment = owner.post("/dashboard/policy/check/", {"source": broken}).content.decode()
    assert f"Line {line}" in fragment and "clauses.no-connections.enabled" in fragment
    ok = owner.post("/dashboard/policy/check/", {"source": alder_source()}).content.decode()
    assert "The policy is valid." in ok


def test_the_preview_renders_the_public_page_and_the_changes(
    owner: HttpClient, published: Any
) -> None:
    changed = alder_source().replace("Alder Tree Counselling", "Alder Counselling", 1)
    response = owner.post("/dashboard/policy/edit/", {"source": changed, "action": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<section id="safety"' in page or 'id="safety"' in page  # the real renderer
    assert "<del>Tree </del>" in page or "<del>Tree" in page
    assert PolicyVersion.objects.count() == 1  # a preview publishes nothing


def test_publishing_makes_a_version_with_its_summary_and_audit_row(
    owner: HttpClient, published: Any, alice: Any
) -> None:
    changed = alder_source().replace("Alder Tree Counselling", "Alder Counselling", 1)
    refused = owner.post("/dashboard/policy/edit/", {"source": changed, "action": "publish"})
    assert refused.status_code == 400
    assert "change summary" in refused.content.decode()
    response = owner.post(
        "/dashboard/policy/edit/",
        {"source": changed, "action": "publish", "summary": "A shorter name"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?published=2")
    version = PolicyVersion.objects.get(number=2)
    assert version.summary == "A shorter name" and version.published_by_label == "alice"
    entry = AuditEntry.objects.get(action="policy.publish", details__number=2)
    assert entry.actor == alice.user
    diff = owner.get("/dashboard/policy/versions/2/diff/").content.decode()
    assert "<ins>" in diff or "<del>" in diff


def test_a_draft_is_kept_between_visits_until_published_or_discarded(
    owner: HttpClient, published: Any, practice: Any
) -> None:
    changed = alder_source().replace("Alder Tree Counselling", "Alder Counselling", 1)
    # Half-finished work with a mistake in it is kept too: that is what a draft is for.
    broken = changed + "\n[oops\n"
    saved = owner.post(
        "/dashboard/policy/edit/", {"source": broken, "action": "save", "summary": "Name"}
    )
    assert saved.status_code == 200
    assert PolicyVersion.objects.count() == 1  # nothing published
    page = owner.get("/dashboard/policy/edit/").content.decode()
    assert "This is your draft" in page and "[oops" in page and 'value="Name"' in page
    entry = AuditEntry.objects.get(action="policy.draft_saved")
    assert entry.details == {"characters": len(broken)}  # the length, never the words
    # Discarding starts again from the published version.
    assert (
        owner.post("/dashboard/policy/edit/", {"source": broken, "action": "discard"}).status_code
        == 302
    )
    page = owner.get("/dashboard/policy/edit/").content.decode()
    assert "This is your draft" not in page and "[oops" not in page
    assert AuditEntry.objects.filter(action="policy.draft_discarded").count() == 1
    # A preview keeps the draft; publishing it removes it.
    owner.post("/dashboard/policy/edit/", {"source": changed, "action": "preview"})
    assert PolicyDraft.objects.filter(practice=practice).exists()
    response = owner.post(
        "/dashboard/policy/edit/", {"source": changed, "action": "publish", "summary": "Name"}
    )
    assert response.status_code == 302
    assert not PolicyDraft.objects.filter(practice=practice).exists()
    assert "This is your draft" not in owner.get("/dashboard/policy/edit/").content.decode()


def test_only_the_practices_owners_edit_and_another_practice_sees_nothing(
    published: Any, bob: Any, charlie: Any
) -> None:
    member = HttpClient()
    sign_in(member, bob.user)
    assert member.get("/dashboard/policy/").status_code == 200
    assert member.get("/dashboard/policy/edit/").status_code == 404
    assert member.post("/dashboard/policy/remind/").status_code == 404
    assert member.get("/dashboard/policy/acknowledgements/").status_code == 404
    outsider = HttpClient()
    sign_in(outsider, charlie.user)
    assert outsider.get("/dashboard/policy/versions/1/diff/").status_code == 404
    page = outsider.get("/dashboard/policy/").content.decode()
    assert "Alder" not in page


def test_acknowledgements_are_followed_and_the_others_reminded_without_content(
    owner: HttpClient, practice: Any, alice: Any, published: Any
) -> None:
    done = actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice, emails=["r@example.org"]
    )
    waiting = actions.do_add_client(
        practice, first_name="Kit", last_name="Moss", therapist=alice, emails=["k@example.org"]
    )
    for client in (done, waiting):
        actions.do_set_agreement(client, channels=["email", "portal"])
    do_acknowledge(done, published)
    page = owner.get("/dashboard/policy/acknowledgements/").content.decode()
    assert "1 present client has not acknowledged it" in page
    assert AuditEntry.objects.filter(action="policy.acknowledgements_viewed").exists()
    response = owner.post("/dashboard/policy/remind/")
    assert response.status_code == 302 and response["Location"].endswith("?reminded=1")
    entry = AuditEntry.objects.get(action="policy.reminders_requested")
    assert entry.details == {"version": 1, "clients": 1} and entry.actor == alice.user
    mail.outbox.clear()
    run_worker()
    (notice,) = mail.outbox
    assert notice.to == ["k@example.org"]
    assert "acknowledge" in notice.body
    assert "no-connections" not in notice.body and "LinkedIn" not in notice.body
    # A second press the same day sends nothing more.
    again = owner.post("/dashboard/policy/remind/")
    assert again["Location"].endswith("?problem=recent")
    assert AuditEntry.objects.filter(action="policy.reminders_requested").count() == 1
    assert "less than a day ago" in owner.get(again["Location"]).content.decode()

"""Operators sign practices up from the command line, with an owner, domains and limits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from typer.testing import CliRunner

from boundaries.cli.app import app
from boundaries.data_rights import erasure
from boundaries.practices import actions
from boundaries.practices.models import Practice, Therapist
from boundaries.setup.models import SetupProgress
from boundaries.setup.views import setup_unfinished
from tests.tenancy.conftest import CRISIS_TEXT, email_arrival

pytestmark = pytest.mark.django_db
runner = CliRunner()


def invoke(*args: str, input_text: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input_text)


def test_it_creates_a_practice_with_domains_limits_and_an_owner_with_a_password_shown_once(
    db: Any,
) -> None:
    result = invoke(
        "practice", "create", "Hazel Therapy", "--country", "GB", "--slug", "hazel",
        "--domain", "policy.hazel.example", "--domain", "hazel.example",
        "--owner-username", "hazel", "--owner-email", "hazel@hazel.example",
        "--owner-name", "Hazel Grey",
        "--max-clients", "40", "--max-storage", "2GB", "--max-messages-per-day", "500",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    practice = Practice.objects.get(slug="hazel")
    assert (practice.max_clients, practice.max_vault_bytes, practice.max_messages_per_day) == (
        40,
        2_000_000_000,
        500,
    )
    assert sorted(practice.domains.values_list("hostname", flat=True)) == [
        "hazel.example",
        "policy.hazel.example",
    ]
    owner = Therapist.objects.get(practice=practice)
    assert owner.role == Therapist.Role.OWNER
    assert owner.user.email == "hazel@hazel.example"
    line = next(x for x in result.output.splitlines() if x.startswith("First password"))
    password = line.rsplit(" ", 1)[-1]
    assert len(password) >= 20
    assert authenticate(username="hazel", password=password) == owner.user
    assert password not in owner.user.password  # stored only as a hash
    # The owner finishes the setup in the browser, from the policy step.
    assert "finishes the setup in the browser" in result.output
    progress = SetupProgress.objects.get(practice=practice)
    assert (progress.reached, progress.is_finished) == ("policy", False)
    assert setup_unfinished(owner.user)


def test_with_no_setup_the_owner_is_never_sent_to_the_wizard(db: Any) -> None:
    result = invoke(
        "practice", "create", "Larch Therapy", "--country", "GB", "--slug", "larch",
        "--owner-username", "larch", "--no-setup",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "finishes the setup" not in result.output
    assert not SetupProgress.objects.filter(practice__slug="larch").exists()
    assert not setup_unfinished(Therapist.objects.get(practice__slug="larch").user)


def test_it_reads_the_owners_password_from_standard_input(db: Any) -> None:
    result = invoke(
        "practice", "create", "Rowan Practice", "--country", "US",
        "--owner-username", "rowan", "--password-stdin",
        input_text="a long enough passphrase for rowan\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "First password" not in result.output
    assert authenticate(username="rowan", password="a long enough passphrase for rowan")


def test_it_refuses_a_weak_owner_password_and_creates_nothing(db: Any) -> None:
    result = invoke(
        "practice", "create", "Weak Practice", "--country", "GB",
        "--owner-username", "weak", "--password-stdin", input_text="short\n",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "password" in result.output
    assert not Practice.objects.filter(slug="weak-practice").exists()


def test_it_creates_neither_practice_nor_owner_when_one_of_them_fails(alice: Any) -> None:
    result = invoke(
        "practice", "create", "Taken Name", "--country", "GB", "--owner-username", "alice",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the username 'alice' is taken" in result.output
    assert not Practice.objects.filter(slug="taken-name").exists()


def test_it_refuses_a_domain_another_practice_has_and_creates_nothing(practice: Any) -> None:
    actions.do_add_domain(practice, "alder.example")
    result = invoke("practice", "create", "Copy", "--country", "GB", "--domain", "alder.example")
    assert result.exit_code == 2
    assert "already the domain of another practice" in result.output
    assert not Practice.objects.filter(slug="copy").exists()


def test_it_changes_limits_and_lists_them(practice: Any) -> None:
    assert invoke("practice", "limits", "alder", "--max-storage", "500MiB").exit_code == 0
    practice.refresh_from_db()
    assert practice.max_vault_bytes == 500 * 2**20
    assert practice.max_clients == 0
    listing = invoke("practice", "list")
    assert "524,288,000" in listing.output
    assert invoke("practice", "limits", "alder", "--max-storage", "lots").exit_code == 2
    assert invoke("practice", "limits", "alder", "--max-clients", "-1").exit_code == 2


def test_it_refuses_a_client_beyond_the_practices_limit_with_a_clear_message(
    practice: Any,
) -> None:
    actions.do_set_practice_limits(practice, max_clients=2)
    actions.do_add_client(practice, first_name="A", last_name="One")
    second = actions.do_add_client(practice, first_name="B", last_name="Two")
    with pytest.raises(actions.ActionError, match="reached its limit of 2 clients"):
        actions.do_add_client(practice, first_name="C", last_name="Three")
    assert practice.clients.count() == 2
    # An erased client no longer takes a place in the register.
    erasure.do_erase_client(second, actor_label="test", reason="client asked")
    actions.do_add_client(practice, first_name="C", last_name="Three")


def test_it_counts_no_limit_when_the_limit_is_zero(practice: Any) -> None:
    for number in range(5):
        actions.do_add_client(practice, first_name="Client", last_name=str(number))
    assert practice.clients.count() == 5


def test_it_refuses_a_vault_upload_beyond_the_storage_limit_and_leaves_no_file(
    practice: Any,
) -> None:
    from boundaries.vault.files import store_file, vault_storage
    from boundaries.vault.models import VaultObject
    from boundaries.vault.sanitize import UploadRejectedError

    client = actions.do_add_client(practice, first_name="A", last_name="One")
    actions.do_set_practice_limits(practice, max_vault_bytes=100)
    store_file(client=client, data=b"x" * 60 + b"\n", filename="a.txt", direction="from_client")
    folder = Path(vault_storage().path(str(practice.pk)))
    before = sorted(folder.rglob("*.bvlt"))
    with pytest.raises(UploadRejectedError, match=r"file storage is full \(limit 100 bytes\)"):
        store_file(client=client, data=b"y" * 60 + b"\n", filename="b.txt", direction="from_client")
    assert VaultObject.objects.filter(practice=practice).count() == 1
    assert sorted(folder.rglob("*.bvlt")) == before


def test_it_shows_the_storage_limit_to_a_client_uploading_in_the_portal(practice: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client as HttpClient

    from boundaries.portal.actions import do_issue_magic_link

    client = actions.do_add_client(practice, first_name="A", last_name="One")
    actions.do_set_practice_limits(practice, max_vault_bytes=10)
    http = HttpClient()
    http.post(f"/portal/signin/{do_issue_magic_link(client)}/")
    response = http.post(
        "/portal/files/", {"file": SimpleUploadedFile("notes.txt", b"some notes of mine\n")}
    )
    assert response.status_code == 200
    assert "file storage is full" in response.content.decode()


def test_it_keeps_triages_and_flags_messages_over_the_daily_limit_and_tells_the_operator(
    practice: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.inbox.actions import do_ingest
    from boundaries.inbox.models import Alert, Message

    actions.do_set_practice_limits(practice, max_messages_per_day=2)
    for number in range(2):
        do_ingest(practice, email_arrival("someone@example.org", f"hello {number}", number))
    with caplog.at_level(logging.WARNING, logger="boundaries.practices.actions"):
        crisis = do_ingest(practice, email_arrival("someone@example.org", CRISIS_TEXT, 9))
    assert crisis.created
    message = crisis.message
    assert message.over_daily_limit
    assert message.crisis  # still triaged: a crisis is never dropped
    assert Alert.objects.filter(message=message).exists()
    assert message.action_runs.exists()
    assert not Message.objects.filter(over_daily_limit=True).exclude(pk=message.pk).exists()
    entry = AuditEntry.objects.get(action="message.triaged", object_id=str(message.pk))
    assert entry.details["over_daily_limit"] is True
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert f"practice {practice.pk} is over its daily message limit" in warning
    assert CRISIS_TEXT not in warning  # ids and counts only


def test_it_lists_only_active_practices_unless_asked(practice: Any) -> None:
    erasure.do_delete_practice(practice, confirm="alder")
    assert "deleted-" not in invoke("practice", "list").output
    assert "deleted-" in invoke("practice", "list", "--deleted").output

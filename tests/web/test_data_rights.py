"""Clients' data rights: a readable copy of their own data, and erasure of what may be erased."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from typer.testing import CliRunner

from boundaries.audit.models import AuditEntry
from boundaries.cli.app import app
from boundaries.data_rights import erasure
from boundaries.practices import actions
from tests.tenancy.conftest import (
    CRISIS_TEXT,
    FILE_BYTES,
    PORTAL_TEXT,
    SESSION_TEXT,
    Filled,
    email_arrival,
    fill,
)
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def filled(practice: Any, alice: Any) -> Filled:
    return fill(practice, alice, "alder")


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def export_url(filled: Filled) -> str:
    return f"/dashboard/clients/{filled.client.pk}/export.zip"


# ---------------------------------------------------------------------------- access


def test_it_gives_the_therapist_the_clients_own_data_after_reauthentication(
    filled: Filled,
) -> None:
    http = HttpClient()
    sign_in(http, filled.owner.user)
    page = http.get(f"/dashboard/clients/{filled.client.pk}/").content.decode()
    assert export_url(filled) in page
    response = http.get(export_url(filled))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/confirm/")
    reauthenticate(http, filled.owner.user)
    response = http.get(export_url(filled))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"client-{filled.client.pk}-data-" in response["Content-Disposition"]
    files = unzip(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    manifest = json.loads(files["manifest.json"])
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
    register = json.loads(files["register_entry.json"])
    assert register["first_name"] == "Alderfirst"
    assert {"kind": "email", "platform": "", "value": filled.email} in register["contacts"]
    assert [a["version"] for a in json.loads(files["agreements.json"])] == [1, 2]
    assert "bring the diary" in files["agenda_items.json"].decode()
    texts = {m.get("text") for m in json.loads(files["messages.json"])}
    assert {CRISIS_TEXT, SESSION_TEXT} <= texts
    assert PORTAL_TEXT in files["portal_messages.json"].decode()
    assert files[f"files/{filled.vault_object.object_id}/week.txt"] == FILE_BYTES
    assert len(json.loads(files["policy_acknowledgements.json"])) == 1
    check = json.loads(files["welfare_checks.json"])[0]
    assert check["welfare_check"] == filled.check.pk
    assert files[f"welfare-check-{filled.check.pk}.pdf"].startswith(b"%PDF")
    assert b"client.viewed" in files["access_log.jsonl"]
    entry = AuditEntry.objects.get(action="client.exported")
    assert entry.actor == filled.owner.user
    assert entry.details["manifest_sha256"] == manifest_digest(files)


def manifest_digest(files: dict[str, bytes]) -> str:
    return hashlib.sha256(files["manifest.json"]).hexdigest()


def test_it_includes_nothing_of_the_practices_other_clients(filled: Filled) -> None:
    from boundaries.data_rights.export import do_export_client

    handle, _ = do_export_client(filled.client, actor_label="test")
    with handle:
        everything = b"".join(unzip(handle.read()).values())
    assert b"see you thursday" not in everything
    assert f"2{filled.email}".encode() not in everything


def test_it_answers_404_to_a_therapist_of_another_practice(filled: Filled, charlie: Any) -> None:
    http = HttpClient()
    sign_in(http, charlie.user)
    reauthenticate(http, charlie.user)
    assert http.get(export_url(filled)).status_code == 404
    assert not AuditEntry.objects.filter(action="client.exported").exists()


def test_it_answers_404_to_a_therapist_who_does_not_see_the_client(
    filled: Filled, bob: Any
) -> None:
    http = HttpClient()
    sign_in(http, bob.user)
    reauthenticate(http, bob.user)
    assert http.get(export_url(filled)).status_code == 404


def test_it_exports_a_client_from_the_command_line(filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "client.zip"
    args = ["client", "export", "--practice", "alder", str(filled.client.pk), str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    files = unzip(out.read_bytes())
    assert json.loads(files["register_entry.json"])["client"] == filled.client.pk
    assert out.stat().st_mode & 0o777 == 0o600
    assert AuditEntry.objects.get(action="client.exported").details["via"] == "cli"
    other = runner.invoke(app, ["client", "export", "--practice", "alder", "999999", str(out)])
    assert other.exit_code == 2


# ---------------------------------------------------------------------------- erasure


def test_it_erases_content_and_contacts_but_keeps_welfare_checks_and_the_audit_log(
    filled: Filled,
) -> None:
    from boundaries.audit.store import verify
    from boundaries.inbox.models import Message
    from boundaries.portal.models import MagicLink, PortalAccount, SecureMessage
    from boundaries.vault.files import vault_storage
    from boundaries.vault.models import VaultObject
    from boundaries.welfare.actions import export_dict
    from boundaries.welfare.models import WelfareEntry

    client = filled.client
    audit_before = AuditEntry.objects.count()
    removal = erasure.do_erase_client(
        client, actor=filled.owner.user, reason="client asked for erasure"
    )
    client.refresh_from_db()
    assert client.is_erased
    assert (client.first_name, client.last_name, client.nicknames) == ("Erased", "client", [])
    for queryset in (
        client.contacts.all(),
        client.agreements.all(),
        client.appointments.all(),
        client.agenda_items.all(),
        client.acknowledgements.all(),
        Message.objects.filter(client=client),
        SecureMessage.objects.filter(client=client),
        VaultObject.objects.filter(client=client),
        MagicLink.objects.filter(client=client),
        PortalAccount.objects.filter(client=client),
    ):
        assert not queryset.exists(), queryset.model
    assert not vault_storage().exists(filled.vault_object.storage_name)
    assert removal.files_removed == 1
    # Kept: the welfare check, every entry still opening, and the audit log, still verifying.
    assert client.welfare_checks.get() == filled.check
    assert WelfareEntry.objects.filter(check_record=filled.check).count() == 5
    assert len(export_dict(filled.check)["entries"]) == 5
    assert AuditEntry.objects.count() == audit_before + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.reason) == ("client.erased", "client asked for erasure")
    assert verify([]).ok
    # The other client is untouched.
    assert filled.other_client.contacts.exists()
    assert Message.objects.filter(client=filled.other_client).exists()


def test_it_no_longer_recognises_an_erased_client_as_a_sender(filled: Filled) -> None:
    from boundaries.inbox.actions import do_ingest

    erasure.do_erase_client(filled.client, actor_label="test", reason="asked")
    ingested = do_ingest(filled.practice, email_arrival(filled.email, "hello again", 99))
    assert ingested.message.client is None


def test_it_ends_the_erased_clients_portal_access(filled: Filled) -> None:
    from django.contrib.auth import get_user_model

    from boundaries.portal.actions import portal_user

    user = portal_user(filled.client)
    erasure.do_erase_client(filled.client, actor_label="test", reason="asked")
    remaining = get_user_model().objects.filter(pk=user.pk).first()
    assert remaining is None or (not remaining.is_active and not remaining.has_usable_password())


def test_it_needs_a_reason_and_erases_once(filled: Filled) -> None:
    with pytest.raises(actions.ActionError, match="say why"):
        erasure.do_erase_client(filled.client, actor_label="test", reason=" ")
    erasure.do_erase_client(filled.client, actor_label="test", reason="asked")
    with pytest.raises(actions.ActionError, match="already erased"):
        erasure.do_erase_client(filled.client, actor_label="test", reason="asked")


def test_it_erases_from_the_command_line_only_with_the_id_confirmed(filled: Filled) -> None:
    pk = str(filled.client.pk)
    base = ["client", "erase", "--practice", "alder", pk, "--reason", "client asked"]
    refused = runner.invoke(app, [*base, "--confirm", str(filled.other_client.pk)])
    assert refused.exit_code == 2
    assert filled.client.contacts.exists()
    result = runner.invoke(app, [*base, "--confirm", pk])
    assert result.exit_code == 0, result.output
    assert "kept 1 welfare checks" in result.output
    assert not filled.client.contacts.exists()


def test_it_still_exports_what_is_kept_for_an_erased_client(filled: Filled) -> None:
    from boundaries.data_rights.export import do_export_client

    erasure.do_erase_client(filled.client, actor_label="test", reason="asked")
    handle, _ = do_export_client(filled.client, actor_label="test")
    with handle:
        files = unzip(handle.read())
    assert json.loads(files["messages.json"]) == []
    assert len(json.loads(files["welfare_checks.json"])) == 1
    assert json.loads(files["register_entry.json"])["erased"] is not None

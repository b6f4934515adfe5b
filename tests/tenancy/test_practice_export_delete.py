"""Operators export a practice's records and delete a practice that has left, leaving the
audit log whole and every other practice untouched."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.db import models
from django.test import Client as HttpClient
from typer.testing import CliRunner

from boundaries.audit.models import AuditEntry
from boundaries.cli.app import app
from boundaries.data_rights import erasure
from boundaries.practices import actions
from boundaries.practices.models import Client, Practice
from boundaries.practices.scope import practice_scoped_models
from tests.tenancy.conftest import FILE_BYTES, SESSION_TEXT, Filled

pytestmark = pytest.mark.django_db
runner = CliRunner()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows_of(practice: Any) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.filter(
            **({path: practice} if path else {"pk": practice.pk})
        ).count()
        for model, path in practice_scoped_models()
    }


# ---------------------------------------------------------------------------- export


def test_it_exports_every_table_with_a_manifest_whose_hashes_check_and_audits_it(
    filled: Filled, other_filled: Filled, tmp_path: Path
) -> None:
    from boundaries.data_rights.export import do_export_practice

    out = tmp_path / "alder.zip"
    result = do_export_practice(filled.practice, out, actor_label="test")
    files = members(out)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "boundaries-practice-export/1"
    assert manifest["decrypted"] is False
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"], entry
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == set(files) - {"manifest.json"}
    for label, count in rows_of(filled.practice).items():
        records = json.loads(files[f"records/{label}.json"])
        assert len(records) == count, label
    assert manifest["rows"]["practices.client"] == 2
    assert manifest["rows"]["welfare.welfareentry"] == 5
    assert manifest["rows"]["audit.auditentry"] > 0
    entry = AuditEntry.objects.get(action="practice.exported")
    assert entry.details["manifest_sha256"] == result.manifest_sha256
    assert result.manifest_sha256 == hashlib.sha256(files["manifest.json"]).hexdigest()
    assert out.stat().st_mode & 0o777 == 0o600


def test_it_keeps_content_encrypted_unless_asked_to_decrypt(filled: Filled, tmp_path: Path) -> None:
    from boundaries.data_rights.export import do_export_practice
    from boundaries.vault.files import vault_storage

    out = tmp_path / "sealed.zip"
    do_export_practice(filled.practice, out)
    files = members(out)
    everything = b"".join(files.values())
    assert SESSION_TEXT.encode() not in everything
    assert FILE_BYTES not in everything
    assert b"three, counting today" not in everything
    obj = filled.vault_object
    with vault_storage().open(obj.storage_name, "rb") as stored:
        assert files[f"vault/{obj.object_id}.bvlt"] == stored.read()
    assert not any(name.startswith(("decrypted/", "files/")) for name in files)


def test_it_adds_the_plaintext_when_asked_to_decrypt(filled: Filled, tmp_path: Path) -> None:
    from boundaries.data_rights.export import do_export_practice

    out = tmp_path / "plain.zip"
    do_export_practice(filled.practice, out, decrypt=True)
    files = members(out)
    messages = [json.loads(line) for line in files["decrypted/messages.jsonl"].splitlines()]
    assert SESSION_TEXT in {m.get("text") for m in messages}
    assert files[f"files/{filled.vault_object.object_id}/week.txt"] == FILE_BYTES
    assert "three, counting today" in files["decrypted/welfare_checks.json"].decode()
    assert b"Could we look at my sleep diary" in files["decrypted/secure_messages.jsonl"]
    assert json.loads(files["manifest.json"])["decrypted"] is True


def test_it_exports_nothing_of_another_practice(
    filled: Filled, other_filled: Filled, tmp_path: Path
) -> None:
    from boundaries.data_rights.export import do_export_practice

    out = tmp_path / "alder.zip"
    do_export_practice(filled.practice, out, decrypt=True)
    everything = b"".join(members(out).values())
    assert b"Elsewherefirst" not in everything
    assert b"elsewhere.client@example.org" not in everything
    assert b"Alderfirst" in everything


def test_it_exports_from_the_command_line_and_will_not_overwrite(
    filled: Filled, tmp_path: Path
) -> None:
    out = tmp_path / "alder.zip"
    result = runner.invoke(app, ["practice", "export", "alder", str(out)])
    assert result.exit_code == 0, result.output
    assert "manifest sha256" in result.output
    again = runner.invoke(app, ["practice", "export", "alder", str(out)])
    assert again.exit_code == 2
    assert "exists" in again.output
    assert (
        runner.invoke(app, ["practice", "export", "nope", str(tmp_path / "x.zip")]).exit_code == 2
    )


# ---------------------------------------------------------------------------- deletion


def test_it_deletes_every_row_of_the_practice_in_every_table_and_leaves_the_other_untouched(
    filled: Filled, other_filled: Filled
) -> None:
    from boundaries.audit.store import verify

    alder, other = filled.practice, other_filled.practice
    client_ids = list(Client.objects.filter(practice=alder).values_list("pk", flat=True))
    other_rows = rows_of(other)
    audit_before = AuditEntry.objects.count()

    removal = erasure.do_delete_practice(alder, confirm="alder", actor_label="test")

    leftovers = []
    for model in apps.get_models():
        if model is AuditEntry:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            if field.related_model is Practice and model is not Practice:
                lookup: dict[str, Any] = {field.attname: alder.pk}
            elif field.related_model is Client:
                lookup = {f"{field.attname}__in": client_ids}
            else:
                continue
            if model._base_manager.filter(**lookup).exists():
                leftovers.append(f"{model._meta.label}.{field.name}")
    assert leftovers == []
    assert rows_of(alder) == {label: int(label == "practices.practice") for label in rows_of(alder)}
    assert rows_of(other) == other_rows
    assert removal.rows["welfare.welfareentry"] == 5
    assert removal.files_removed == 1
    # The audit log is whole, still verifies, and ends with the deletion.
    assert AuditEntry.objects.count() == audit_before + 1
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    assert (last.action, last.practice_id) == ("practice.deleted", alder.pk)
    assert verify([]).ok


def test_it_keeps_a_tombstone_with_nothing_personal_and_frees_the_address(filled: Filled) -> None:
    erasure.do_delete_practice(filled.practice, confirm="alder")
    tombstone = Practice.objects.get(pk=filled.practice.pk)
    assert tombstone.status == Practice.Status.DELETED
    assert tombstone.deleted_at is not None
    assert tombstone.name == "Deleted practice"
    assert tombstone.slug == f"deleted-{tombstone.pk}"
    assert tombstone.professional_body == ""
    again = actions.do_create_practice(name="Alder Again", country="GB", slug="alder")
    assert again.pk != tombstone.pk


def test_it_refuses_sign_in_to_a_deleted_practice(filled: Filled) -> None:
    user = filled.owner.user
    erasure.do_delete_practice(filled.practice, confirm="alder")
    assert authenticate(username="alice", password="correct horse battery staple") is None
    retired = get_user_model().objects.get(pk=user.pk)  # the audit log names it: kept, blank
    assert not retired.is_active
    assert not retired.has_usable_password()
    assert retired.email == ""
    assert retired.username == f"deleted-user-{user.pk}"
    response = HttpClient().post(
        "/account/login/", {"username": "alice", "password": "correct horse battery staple"}
    )
    assert response.status_code != 302


def test_it_ends_a_signed_in_therapists_access_when_the_practice_is_deleted(
    filled: Filled,
) -> None:
    from tests.web.signin import sign_in

    http = HttpClient()
    sign_in(http, filled.owner.user)
    assert http.get("/dashboard/").status_code == 200
    erasure.do_delete_practice(filled.practice, confirm="alder")
    assert http.get("/dashboard/").status_code in {302, 404}
    assert http.get(f"/dashboard/clients/{filled.client.pk}/").status_code in {302, 404}


def test_it_deletes_the_practices_vault_files_from_storage_only(
    filled: Filled, other_filled: Filled
) -> None:
    from boundaries.vault.files import open_decrypted, vault_storage

    name = filled.vault_object.storage_name
    assert vault_storage().exists(name)
    erasure.do_delete_practice(filled.practice, confirm="alder")
    assert not vault_storage().exists(name)
    with open_decrypted(other_filled.vault_object) as plain:
        assert plain.read() == FILE_BYTES


def test_it_stops_serving_the_deleted_practices_public_site(filled: Filled) -> None:
    assert HttpClient().get("/", HTTP_HOST="alder.example").status_code == 200
    erasure.do_delete_practice(filled.practice, confirm="alder")
    assert HttpClient().get("/", HTTP_HOST="alder.example").status_code == 400
    assert HttpClient().get("/p/alder/").status_code == 404


def test_it_deletes_only_with_the_practices_address_name_as_confirmation(
    filled: Filled,
) -> None:
    result = runner.invoke(app, ["practice", "delete", "alder", "--confirm", "alde"])
    assert result.exit_code == 2
    assert "confirm with the practice's address name 'alder'" in result.output
    assert Client.objects.filter(practice=filled.practice).count() == 2
    result = runner.invoke(app, ["practice", "delete", "alder", "--confirm", "alder"])
    assert result.exit_code == 0, result.output
    assert "The audit log is kept" in result.output
    assert Client.objects.filter(practice=filled.practice).count() == 0
    gone = runner.invoke(app, ["practice", "delete", "alder", "--confirm", "alder"])
    assert gone.exit_code == 2


def test_it_deletes_a_practice_that_has_only_just_signed_up(practice: Any) -> None:
    erasure.do_delete_practice(practice, confirm="alder")
    assert Practice.objects.get(pk=practice.pk).status == Practice.Status.DELETED

"""A client's emergency contact: sealed at rest, changed only by actions, in the client's export."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from boundaries.audit.models import AuditEntry
from boundaries.data_rights import erasure
from boundaries.practices import actions
from boundaries.practices.emergency import EmergencyContact, emergency_contact_of
from boundaries.practices.models import Client

SAM = EmergencyContact(name="Sam Brookfield", phone="0161 496 0456", relationship="partner")


def add_client(practice: Any, **kwargs: Any) -> Client:
    return actions.do_add_client(practice, first_name="Rowan", last_name="Ashby", **kwargs)


def test_it_records_an_emergency_contact_with_the_phone_in_e164(practice: Any) -> None:
    client = add_client(practice, emergency=SAM)
    contact = emergency_contact_of(Client.objects.get(pk=client.pk))
    assert contact == EmergencyContact("Sam Brookfield", "+441614960456", "partner")
    entry = AuditEntry.objects.get(action="client.add")
    assert entry.details["emergency_contact"] is True


def test_it_keeps_the_emergency_contact_sealed_in_the_database(practice: Any) -> None:
    add_client(practice, emergency=SAM)
    stored = bytes(Client.objects.values_list("sealed_emergency_contact", flat=True).get())
    assert stored
    for clear in (b"Sam", b"Brookfield", b"1614960456", b"496 0456", b"partner"):
        assert clear not in stored


def test_it_will_not_open_one_clients_sealed_contact_on_another_client(practice: Any) -> None:
    from boundaries.vault.crypto import VaultIntegrityError

    client = add_client(practice, emergency=SAM)
    other = add_client(practice)
    other.sealed_emergency_contact = client.sealed_emergency_contact
    with pytest.raises(VaultIntegrityError):
        emergency_contact_of(other)


def test_it_refuses_an_emergency_contact_without_a_valid_phone_and_adds_no_client(
    practice: Any,
) -> None:
    with pytest.raises(actions.ActionError, match="not a valid phone number"):
        add_client(practice, emergency=EmergencyContact("Sam", "12345"))
    with pytest.raises(actions.ActionError, match="needs a name and a phone"):
        add_client(practice, emergency=EmergencyContact(" ", "0161 496 0456"))
    assert not Client.objects.exists()


def test_it_replaces_and_removes_an_emergency_contact_with_an_audit_entry_and_no_content(
    practice: Any, alice: Any
) -> None:
    client = add_client(practice)
    assert emergency_contact_of(client) is None
    actions.do_set_emergency_contact(client, SAM, actor=alice.user)
    actions.do_set_emergency_contact(
        client, EmergencyContact("Jo Ashby", "+1 202 555 0143", "sister"), actor=alice.user
    )
    assert emergency_contact_of(Client.objects.get(pk=client.pk)) == EmergencyContact(
        "Jo Ashby", "+12025550143", "sister"
    )
    actions.do_set_emergency_contact(client, None, actor=alice.user)
    assert emergency_contact_of(Client.objects.get(pk=client.pk)) is None
    entries = AuditEntry.objects.filter(action="client.emergency_contact").order_by("seq")
    assert [e.details["recorded"] for e in entries] == [True, True, False]
    assert {e.actor_label for e in entries} == {"alice"}
    logged = json.dumps([e.details for e in entries])
    assert "Sam" not in logged and "Jo" not in logged and "555" not in logged


def test_it_exports_the_emergency_contact_with_the_clients_own_data(practice: Any) -> None:
    from boundaries.data_rights.export import do_export_client

    client = add_client(practice, emergency=SAM)
    handle, result = do_export_client(client, actor_label="test")
    with handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        register = json.loads(archive.read("register_entry.json"))
    assert register["emergency_contact"] == {
        "name": "Sam Brookfield",
        "phone": "+441614960456",
        "relationship": "partner",
    }
    assert result.unreadable == []
    without = add_client(practice)
    handle, _ = do_export_client(without, actor_label="test")
    with handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert json.loads(archive.read("register_entry.json"))["emergency_contact"] is None


def test_it_erases_the_emergency_contact_with_the_client(practice: Any) -> None:
    client = add_client(practice, emergency=SAM)
    erasure.do_erase_client(client, actor_label="test", reason="client asked")
    client.refresh_from_db()
    assert bytes(client.sealed_emergency_contact) == b""
    assert emergency_contact_of(client) is None
    with pytest.raises(actions.ActionError, match="erased"):
        actions.do_set_emergency_contact(client, SAM, actor_label="test")


def test_a_key_rotation_rewraps_the_emergency_contact(
    practice: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boundaries.vault.keys import ENV_OLD_KEYS, generate_master_key, keyring_from_settings
    from boundaries.vault.rotation import rotate

    old, new = generate_master_key(), generate_master_key()
    settings.MASTER_KEY = old
    client = add_client(practice, emergency=SAM)
    settings.MASTER_KEY = new
    monkeypatch.setenv(ENV_OLD_KEYS, old)
    report = rotate(keyring_from_settings())
    assert report.rewrapped_rows >= 1
    monkeypatch.delenv(ENV_OLD_KEYS)  # the old key is gone: the contact still opens
    assert emergency_contact_of(Client.objects.get(pk=client.pk)) == EmergencyContact(
        "Sam Brookfield", "+441614960456", "partner"
    )

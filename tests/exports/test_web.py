"""The export audit in the practice: the audited action, pages, downloads, who may see them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings
from pypdf import PdfReader

from boundaries.audit.models import AuditEntry
from boundaries.errors import ActionError
from boundaries.platform_audit.actions import do_import_export
from boundaries.platform_audit.models import ExportAudit, ImmutableAuditError
from boundaries.practices import actions as practice_actions
from boundaries.practices.models import Client
from tests.exports.support import zip_folder, zip_members
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(practice: Any, alice: Any, bob: Any) -> dict[str, Any]:
    add = practice_actions.do_add_client
    return {
        "jose": add(
            practice,
            first_name="José",
            last_name="García",
            therapist=alice,
            nicknames=["Pepe"],
            handles={"instagram": "pepe.garcia"},
        ),
        "siobhan": add(
            practice,
            first_name="Siobhán",
            last_name="O'Connell",
            status=Client.Status.PAST,
            therapist=alice,
            handles={"instagram": "siobhan_oc"},
        ),
        "marek": add(
            practice,
            first_name="Marek",
            last_name="Nowak",
            status=Client.Status.PROSPECTIVE,
            therapist=alice,
            handles={"instagram": "marek.nowak"},
        ),
        "hannah": add(practice, first_name="Hannah", last_name="Fairweather", therapist=bob),
    }


def upload(http: HttpClient, blob: bytes, name: str = "instagram-2025.zip") -> Any:
    file = io.BytesIO(blob)
    file.name = name
    return http.post("/dashboard/exports/", {"archive": file})


# -- the action ------------------------------------------------------------------------------


def test_it_audits_a_download_against_present_and_past_clients(
    register: dict[str, Any], alice: Any
) -> None:
    audit = do_import_export(alice, zip_folder("instagram_current"))
    assert audit.complete
    assert audit.platforms == ["instagram"]
    found = {(f.client_id, f.section.value) for f in audit.report.findings}
    assert found == {
        (register["jose"].pk, "followers"),
        (register["siobhan"].pk, "followers"),
    }
    # a prospective client is not a client yet: Marek's request is not reported
    assert audit.clients_found == 2


def test_it_writes_the_audit_entry_in_the_same_transaction(register: Any, alice: Any) -> None:
    audit = do_import_export(alice, zip_folder("instagram_current"))
    entry = AuditEntry.objects.get(action="exports.audited")
    assert entry.object_id == str(audit.pk)
    assert entry.details["clients_found"] == 2
    assert entry.details["complete"] is True
    assert "García" not in str(entry.details)


def test_it_keeps_the_report_sealed_and_only_about_clients(register: Any, alice: Any) -> None:
    audit = do_import_export(alice, zip_folder("instagram_current"))
    stored = ExportAudit.objects.get(pk=audit.pk)
    assert b"pepe.garcia" not in bytes(stored.sealed)
    report = stored.report  # unsealed afresh
    assert report == audit.report
    assert "river.walks" not in str(report.to_dict())  # not a client: not kept


def test_it_checks_a_therapist_only_against_the_clients_they_see(
    register: dict[str, Any], bob: Any
) -> None:
    audit = do_import_export(bob, zip_folder("facebook_current"))
    assert {f.client_id for f in audit.report.findings} == {register["hannah"].pk}


def test_it_refuses_a_file_that_is_not_a_zip(register: Any, alice: Any) -> None:
    with pytest.raises(ActionError, match="not a zip archive"):
        do_import_export(alice, b"<html>your download link expired</html>")
    assert ExportAudit.objects.count() == 0


def test_it_records_a_truncated_download_as_incomplete(register: Any, alice: Any) -> None:
    blob = zip_folder("facebook_current")
    audit = do_import_export(alice, blob[: len(blob) - 100])
    assert not audit.complete
    assert audit.problems == 1
    assert "cut short" in audit.report.problems()[0]


def test_an_audit_is_never_edited(register: Any, alice: Any) -> None:
    audit = do_import_export(alice, zip_folder("linkedin_previous"))
    with pytest.raises(ImmutableAuditError):
        audit.save()


# -- the pages -------------------------------------------------------------------------------


def test_it_lists_audits_and_runs_one_from_an_upload(register: Any, alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    page = http.get("/dashboard/exports/")
    assert page.status_code == 200
    assert b"No audits yet" in page.content
    response = upload(http, zip_folder("facebook_current"))
    assert response.status_code == 302
    audit = ExportAudit.objects.get()
    assert response["Location"] == f"/dashboard/exports/{audit.pk}/"
    listing = http.get("/dashboard/exports/").content.decode()
    assert "Facebook" in listing
    assert "Clients found" in listing
    report = http.get(response["Location"]).content.decode()
    assert "Connections with clients to remove" in report
    assert "José García" in report
    assert "Requests from clients to decline, without responding" in report
    assert "Siobhán O&#x27;Connell" in report
    assert "Possible, 80%" in report
    assert "A name alone may belong to someone else" in report
    assert "Incomplete" not in report
    assert AuditEntry.objects.filter(action="exports.viewed").count() == 1


def test_it_shows_an_incomplete_audit_prominently(register: Any, alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    blob = zip_members(
        {
            "followers_1.json": b'[{"string_list_data": [{"value": "pepe.garcia"}]}]',
            "following.json": b'{"relationships_following": [{"string_list_data": [',
        }
    )
    response = upload(http, blob)
    page = http.get(response["Location"]).content.decode()
    assert 'role="alert"' in page
    assert "Incomplete: parts of this download could not be read" in page
    assert "following.json: malformed JSON" in page
    assert "All clear" not in page
    assert "Incomplete" in http.get("/dashboard/exports/").content.decode()


def test_it_rejects_an_upload_that_is_not_a_zip(register: Any, alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    response = upload(http, b"%PDF-1.7", name="friends.zip")
    assert response.status_code == 400
    assert b"not a zip archive" in response.content
    response = upload(http, zip_folder("linkedin_current"), name="friends.json")
    assert response.status_code == 400
    assert ExportAudit.objects.count() == 0


@override_settings(EXPORTS_MAX_UPLOAD_BYTES=1024)
def test_it_rejects_an_upload_over_the_size_limit(register: Any, alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    response = upload(http, zip_folder("facebook_current"))
    assert response.status_code == 400
    assert b"larger than" in response.content
    assert ExportAudit.objects.count() == 0


def test_it_downloads_the_report_as_html_and_pdf_after_reauthentication(
    register: Any, alice: Any
) -> None:
    audit = do_import_export(alice, zip_folder("facebook_current"))
    http = HttpClient()
    sign_in(http, alice.user)
    assert http.get(f"/dashboard/exports/{audit.pk}/report.pdf").status_code == 302  # re-auth
    reauthenticate(http, alice.user)
    html = http.get(f"/dashboard/exports/{audit.pk}/report.html")
    assert html["Content-Disposition"].startswith('attachment; filename="boundary-audit-')
    assert "José García" in html.content.decode()
    assert audit.content_hash in html.content.decode()
    pdf = http.get(f"/dashboard/exports/{audit.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Connections with clients to remove" in text
    assert "José García" in text
    assert AuditEntry.objects.filter(action="exports.downloaded").count() == 2


def test_another_practices_therapist_gets_a_404_for_a_report(
    register: Any, alice: Any, charlie: Any
) -> None:
    audit = do_import_export(alice, zip_folder("facebook_current"))
    http = HttpClient()
    sign_in(http, charlie.user)
    assert http.get(f"/dashboard/exports/{audit.pk}/").status_code == 404
    reauthenticate(http, charlie.user)
    assert http.get(f"/dashboard/exports/{audit.pk}/report.pdf").status_code == 404
    assert str(audit.created_at.year) not in http.get("/dashboard/exports/").content.decode()


def test_a_colleague_sees_only_their_own_audits_and_the_owner_sees_all(
    register: Any, alice: Any, bob: Any
) -> None:
    alices = do_import_export(alice, zip_folder("facebook_current"))
    bobs = do_import_export(bob, zip_folder("facebook_current"))
    http = HttpClient()
    sign_in(http, bob.user)
    assert http.get(f"/dashboard/exports/{alices.pk}/").status_code == 404
    assert http.get(f"/dashboard/exports/{bobs.pk}/").status_code == 200
    owner = HttpClient()
    sign_in(owner, alice.user)
    assert owner.get(f"/dashboard/exports/{bobs.pk}/").status_code == 200


def test_the_navigation_links_to_the_audits(register: Any, alice: Any) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    page = http.get("/dashboard/exports/").content.decode()
    assert 'href="/dashboard/exports/" aria-current="page"' in page

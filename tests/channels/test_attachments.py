"""A client's email attachments: kept whole in the sealed original, downloadable by their
therapist after re-authentication, audited, and never shown inline."""

from __future__ import annotations

from typing import Any

from boundaries.audit.models import AuditEntry
from boundaries.inbox.models import Message
from tests.channels.conftest import signed_in_alice
from tests.channels.smtp_helpers import email, receiver, send

PDF = b"%PDF-1.4\n% worksheet from our last session\n%%EOF\n"
HTML = b"<script>alert('from an attachment')</script>"


def deliver_with_attachments() -> Message:
    msg = email("Here is the worksheet you gave me, filled in.", message_id="<att-1@example.org>")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="worksheet.pdf")
    msg.add_attachment(HTML, maintype="text", subtype="html", filename="page.html")
    with receiver() as port:
        code, _ = send(port, msg, sender="rowan@example.org", to="inbox@alder.example")
    assert code == 250
    return Message.objects.get()


def test_its_therapist_downloads_an_attachment_exactly_as_sent(mail_practice: Any) -> None:
    message = deliver_with_attachments()
    http = signed_in_alice(confirmed=True)
    page = http.get(f"/dashboard/messages/{message.pk}/content/").content.decode()
    assert "worksheet.pdf" in page and "page.html" in page
    response = http.get(f"/dashboard/messages/{message.pk}/attachments/1/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="worksheet.pdf"'
    entry = AuditEntry.objects.filter(action="message.attachment_read").get()
    assert entry.details == {"attachment": 1}


def test_an_html_attachment_is_a_download_never_a_page(mail_practice: Any) -> None:
    message = deliver_with_attachments()
    response = signed_in_alice(confirmed=True).get(
        f"/dashboard/messages/{message.pk}/attachments/2/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == HTML


def test_it_asks_for_password_and_code_again_and_knows_no_other_numbers(
    mail_practice: Any,
) -> None:
    message = deliver_with_attachments()
    url = f"/dashboard/messages/{message.pk}/attachments/"
    unconfirmed = signed_in_alice(confirmed=False)
    assert unconfirmed.get(url + "1/").status_code == 302
    confirmed = signed_in_alice(confirmed=True)
    assert confirmed.get(url + "0/").status_code == 404
    assert confirmed.get(url + "3/").status_code == 404
    assert not AuditEntry.objects.filter(action="message.attachment_read").exists()

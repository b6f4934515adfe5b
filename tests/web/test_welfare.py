"""Welfare checks (clause no-searching): required fields, append-only, on the agenda, exports."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import get_resolver
from pypdf import PdfReader

from boundaries.errors import ActionError
from boundaries.practices import actions as practice_actions
from boundaries.practices.models import AgendaItem
from boundaries.welfare import actions
from boundaries.welfare.models import AppendOnlyError, WelfareCheck, WelfareEntry
from boundaries.welfare.pdf import render_pdf
from tests.web.signin import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
ATTEMPT = actions.ContactAttempt("phone", NOW - dt.timedelta(hours=2), "no answer; voicemail full")


@pytest.fixture
def client_of_alice(practice: Any, alice: Any) -> Any:
    client = practice_actions.do_add_client(
        practice, first_name="Rowan", last_name="Ashby", therapist=alice
    )
    practice_actions.do_add_appointment(
        client, starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2), uid="next"
    )
    return client


def open_check(client: Any, alice: Any) -> WelfareCheck:
    return actions.do_open_welfare_check(
        client, alice, reason="Said goodbye in an odd way and missed today", attempts=[ATTEMPT]
    )


def test_it_cannot_be_opened_without_a_reason(client_of_alice: Any, alice: Any) -> None:
    with pytest.raises(ActionError, match="why you fear"):
        actions.do_open_welfare_check(client_of_alice, alice, reason="  ", attempts=[ATTEMPT])
    assert WelfareCheck.objects.count() == 0


def test_it_cannot_be_opened_without_a_failed_contact_attempt(
    client_of_alice: Any, alice: Any
) -> None:
    with pytest.raises(ActionError, match="at least one usual contact"):
        actions.do_open_welfare_check(client_of_alice, alice, reason="worried", attempts=[])
    assert WelfareCheck.objects.count() == 0


def test_it_puts_the_welfare_check_on_the_next_session_agenda(
    client_of_alice: Any, alice: Any
) -> None:
    open_check(client_of_alice, alice)
    item = client_of_alice.agenda_items.get(kind=AgendaItem.Kind.WELFARE_CHECK)
    assert item.appointment == client_of_alice.next_appointment()
    assert item.discussed_at is None


def test_it_records_searches_actions_and_corrections_without_changing_earlier_entries(
    client_of_alice: Any, alice: Any
) -> None:
    check = open_check(client_of_alice, alice)
    search = actions.do_log_search(
        check,
        alice,
        where="public news site",
        purpose="reports of an incident",
        found="nothing",
        at=NOW,
    )
    actions.do_log_action(check, alice, action="called emergency contact", detail="sister", at=NOW)
    actions.do_correct(check, alice, entry=search, correction="it was the local news site")
    actions.do_close(check, alice, outcome="Client safe; phoned back at 14:10")
    kinds = list(check.entries.values_list("kind", flat=True))
    assert kinds == ["reason", "contact_attempt", "search", "action", "correction", "outcome"]
    assert actions.entry_fields(search)["where"] == "public news site"  # the original stays
    correction = check.entries.get(kind="correction")
    assert correction.corrects == search
    with pytest.raises(ActionError, match="closed"):
        actions.do_log_search(check, alice, where="x", purpose="y", found="z", at=NOW)


def test_it_refuses_to_edit_or_delete_entries_and_checks(client_of_alice: Any, alice: Any) -> None:
    check = open_check(client_of_alice, alice)
    entry = check.entries.first()
    assert entry is not None
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        check.delete()
    with pytest.raises(AppendOnlyError):
        check.save()


def test_it_stores_entry_text_encrypted(client_of_alice: Any, alice: Any) -> None:
    check = open_check(client_of_alice, alice)
    entry = check.entries.get(kind="reason")
    assert b"goodbye" not in bytes(entry.sealed)
    assert "goodbye" in actions.entry_fields(entry)["reason"]


def test_it_offers_no_view_that_edits_or_deletes(client_of_alice: Any, alice: Any) -> None:
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    welfare_routes = [str(p.pattern) for p in get_resolver("boundaries.welfare.urls").url_patterns]
    assert not any(
        word in route for route in welfare_routes for word in ("edit", "delete", "update")
    )
    assert "admin/" not in patterns
    check = open_check(client_of_alice, alice)
    http = HttpClient()
    sign_in(http, alice.user)
    for kind in ("edit", "delete", "update"):
        response = http.post(f"/dashboard/welfare/{check.pk}/add/{kind}/", {})
        assert response.status_code == 404
    assert check.entries.count() == 2


def test_it_opens_a_check_through_the_form_only_with_an_attempt(
    client_of_alice: Any, alice: Any
) -> None:
    http = HttpClient()
    sign_in(http, alice.user)
    form = {"client": client_of_alice.pk, "reason": "missed session, unreachable"}
    response = http.post("/dashboard/welfare/open/", form)
    assert response.status_code == 200
    assert WelfareCheck.objects.count() == 0
    form |= {"channel_1": "phone", "at_1": "2026-11-25T08:00", "result_1": "no answer"}
    response = http.post("/dashboard/welfare/open/", form)
    assert response.status_code == 302
    assert WelfareCheck.objects.get().entries.count() == 2


def test_it_exports_json_and_pdf_for_a_supervisor_after_reauthentication(
    client_of_alice: Any, alice: Any, tmp_path: Any
) -> None:
    check = open_check(client_of_alice, alice)
    actions.do_close(check, alice, outcome="Safe")
    http = HttpClient()
    sign_in(http, alice.user)
    assert http.get(f"/dashboard/welfare/{check.pk}/export.json").status_code == 302
    reauthenticate(http, alice.user)
    data = json.loads(http.get(f"/dashboard/welfare/{check.pk}/export.json").content)
    assert [e["kind"] for e in data["entries"]] == ["reason", "contact_attempt", "outcome"]
    assert all(len(e["sha256"]) == 64 for e in data["entries"])
    pdf = http.get(f"/dashboard/welfare/{check.pk}/export.pdf")
    path = tmp_path / "check.pdf"
    path.write_bytes(pdf.content)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "odd way" in text and "Safe" in text


def test_its_pdf_names_the_client_as_they_spell_their_name(
    practice: Any, alice: Any, tmp_path: Any
) -> None:
    client = practice_actions.do_add_client(
        practice, first_name="Zoë", last_name="Wróbel-Nguyễn", therapist=alice
    )
    check = actions.do_open_welfare_check(
        client, alice, reason="Не отвечает три дня – missed “today”", attempts=[ATTEMPT]
    )
    data = actions.export_dict(check)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(data))).pages)
    assert data["client"] in text
    assert "Wróbel-Nguyễn" in text
    assert "Не отвечает три дня – missed “today”" in text


def test_it_keeps_other_therapists_out(
    client_of_alice: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    check = open_check(client_of_alice, alice)
    for persona in (bob, charlie):
        http = HttpClient()
        sign_in(http, persona.user)
        assert http.get(f"/dashboard/welfare/{check.pk}/").status_code == 404
    assert WelfareEntry.objects.count() == 2


def test_its_page_names_every_field_and_shows_times_in_the_practices_zone(
    practice: Any, alice: Any, client_of_alice: Any
) -> None:
    """No raw keys (``occurred_at``) and no ISO timestamps: labels a person reads, and the
    practice's wall clock (here New York, five hours behind UTC in November)."""
    practice.timezone = "America/New_York"
    practice.save(update_fields=["timezone"])
    check = open_check(client_of_alice, alice)
    http = HttpClient()
    sign_in(http, alice.user)
    page = http.get(f"/dashboard/welfare/{check.pk}/").content.decode()
    assert "occurred_at" not in page
    assert "T07:00:00" not in page and "+00:00" not in page
    assert "<dt>How</dt>" in page and "Phone call" in page
    assert "<dt>What happened</dt>" in page and "no answer; voicemail full" in page
    assert "Wednesday 25 November 2026, 02:00" in page  # 07:00 UTC, attempt two hours before NOW
    assert "America/New_York" in page

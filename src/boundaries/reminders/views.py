"""The page an email reminder links to: the time, Confirm and Cancel, and nothing else.

No sign-in: the signed token is the key, and it opens one reminder's answer once.
The page shows the appointment's day and time only (no name, no practice, no
crisis footer: whoever opens the mail sees no more than the reminder said).
Opening it changes nothing; the buttons POST, so a mail scanner that follows
links cannot confirm or cancel.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from boundaries.audit.log import record
from boundaries.core.reminders import ReminderAnswer
from boundaries.reminders.answers import answer_text, do_answer, reminder_for_token, when_of
from boundaries.reminders.models import Reminder

__all__ = ["answer_page"]

_ANSWERS = {"confirm": ReminderAnswer.CONFIRM, "cancel": ReminderAnswer.CANCEL}


@never_cache
@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    reminder = reminder_for_token(token)
    if reminder is None or reminder.channel != "email":
        return render(
            request,
            "reminders/answer.html",
            {"message": "This link is no longer valid. Please telephone to change an appointment."},
            status=404,
        )
    when = when_of(reminder)
    if request.method == "POST":
        answer = _ANSWERS.get(request.POST.get("answer", ""))
        if answer is None:
            return render(
                request,
                "reminders/answer.html",
                {"when": when, "message": "Choose Confirm or Cancel."},
                status=400,
            )
        answered = do_answer(reminder, answer, via="email link", actor_label="email link")
        return render(request, "reminders/answer.html", {"message": answer_text(answered)})
    with transaction.atomic():  # the page shows an appointment's time: its reading is audited
        record(
            action="reminder.link_opened",
            obj=reminder,
            practice=reminder.practice,
            actor_label="email link",
            details={"appointment": reminder.appointment_id},
        )
    if reminder.answered_at is not None:
        done = "confirmed" if reminder.answer == Reminder.Answer.CONFIRMED else "cancelled"
        return render(
            request,
            "reminders/answer.html",
            {"message": f"This link has been used: {when} was {done}."},
        )
    return render(request, "reminders/answer.html", {"when": when, "ask": True})

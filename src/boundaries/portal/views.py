"""The client portal: calm, short pages that work on a phone and without JavaScript."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries import clock
from boundaries.accounts.security import start_session
from boundaries.audit.log import record
from boundaries.core.reminders import ReminderAnswer
from boundaries.core.types import AgreedChannel, RiskLevel
from boundaries.errors import ActionError
from boundaries.portal import actions
from boundaries.portal.crisis import crisis_panel
from boundaries.practices.models import AgendaItem, Client, Practice
from boundaries.reminders.answers import answer_text, do_answer, when_of
from boundaries.reminders.models import Reminder
from boundaries.vault.files import NotCleanError, filename, open_decrypted, store_file
from boundaries.vault.sanitize import UploadRejectedError

View = Callable[..., HttpResponseBase]


def current_client(request: HttpRequest) -> Client:
    """The signed-in client, or 404: a client only ever sees their own records."""
    account = getattr(request.user, "portal_account", None)
    if account is None:
        raise Http404
    return account.client  # type: ignore[no-any-return]  # the related descriptor is untyped in django-stubs


#: Set by ``send`` when triage put the message at concern or urgent; the next page shows
#: the crisis numbers at its top, once (the portal's reply to a message is the page).
SHOW_CRISIS = "portal_show_crisis"
_AT_RISK = frozenset({RiskLevel.CONCERN.value, RiskLevel.URGENT.value})


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """Render a portal page with its crisis footer: the signed-in client's country from the
    practice's published policy; on a practice's own domain, before sign-in, the practice's;
    elsewhere only the advice to call the local emergency number (no practice is known)."""
    context = dict(context or {})
    account = getattr(request.user, "portal_account", None)
    client: Client | None = account.client if account is not None else None
    practice: Practice | None = (
        client.practice if client else getattr(request, "host_practice", None)
    )
    if client is not None:
        context.setdefault("client", client)
    if practice is not None:
        context["crisis"] = crisis_panel(practice, client.country if client else None)
        context["crisis_practice"] = practice
    return render(request, template, context, status=status)


def client_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated or not hasattr(user, "portal_account"):
            return _page(request, "portal/signed_out.html", status=403)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():
            return redirect("/account/login/code/?next=/portal/")
        return view(request, *args, **kwargs)

    return wrapper


def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """Follow a sign-in link. GET shows a button, so link previewers cannot spend the link."""
    if request.method != "POST":
        return _page(request, "portal/confirm_signin.html", {"token": token})
    try:
        client = actions.do_redeem_magic_link(token)
    except ActionError as error:
        return _page(request, "portal/signed_out.html", {"problem": str(error)}, status=400)
    user = actions.portal_user(client)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    start_session(request)
    return redirect("portal:home")


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=actions.MAX_MESSAGE_CHARS,
    )


class PreferencesForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="How may the practice contact you?",
        choices=[
            (c.value, c.value.upper() if c == AgreedChannel.SMS else c.value.capitalize())
            for c in AgreedChannel
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    discreet = forms.BooleanField(
        label="Keep reminders discreet (they will not mention therapy)", required=False
    )


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to bring?",
        choices=[
            (AgendaItem.Kind.ONLINE_LIFE.value, "Something from my online life"),
            (AgendaItem.Kind.POLICY_QUESTION.value, "A question about the communications policy"),
        ],
    )
    note = forms.CharField(label="A few words (optional)", required=False, max_length=500)


@client_required
def home(request: HttpRequest) -> HttpResponse:
    client = current_client(request)
    thread = list(client.secure_messages.all())
    actions.do_mark_read(m for m in thread if m.direction == m.Direction.TO_CLIENT)
    version = client.practice.current_policy()
    acknowledged = version is None or client.acknowledgements.filter(version=version).exists()
    return _page(
        request,
        "portal/home.html",
        {
            "client": client,
            "thread": [(m, actions.message_text(m)) for m in thread],
            "form": MessageForm(),
            "agenda_form": AgendaForm(),
            "version": version,
            "acknowledged": acknowledged,
            "sent_at_risk": request.session.pop(SHOW_CRISIS, False),
            "reminders": [(r, when_of(r)) for r in _open_reminders(client)],
        },
    )


def _open_reminders(client: Client) -> list[Reminder]:
    """Portal reminders of appointments to come that the client has not answered."""
    return list(
        Reminder.objects.select_related("appointment", "practice").filter(
            client=client,
            channel="portal",
            status=Reminder.Status.SENT,
            answered_at__isnull=True,
            appointment__cancelled=False,
            appointment__starts_at__gt=clock.now(),
        )
    )


@require_POST
@client_required
def answer_reminder(request: HttpRequest, reminder_id: int) -> HttpResponse:
    """The portal's Confirm and Cancel buttons (reminders.answers does the rest)."""
    client = current_client(request)
    reminder = next((r for r in _open_reminders(client) if r.pk == reminder_id), None)
    answer = {"confirm": ReminderAnswer.CONFIRM, "cancel": ReminderAnswer.CANCEL}.get(
        request.POST.get("answer", "")
    )
    if reminder is None or answer is None:
        raise Http404
    answered = do_answer(reminder, answer, via="portal", actor_label="portal")
    return _page(request, "portal/done.html", {"done": answer_text(answered)})


@require_POST
@client_required
def send(request: HttpRequest) -> HttpResponse:
    client = current_client(request)
    form = MessageForm(request.POST)
    if form.is_valid():
        sent = actions.do_send_from_client(client, form.cleaned_data["text"])
        triaged = sent.inbox_message
        if triaged is not None and triaged.risk in _AT_RISK:
            request.session[SHOW_CRISIS] = True
        return redirect("portal:home")
    return _page(
        request, "portal/problem.html", {"problem": "Please write a message first."}, status=400
    )


@client_required
def preferences(request: HttpRequest) -> HttpResponse:
    client = current_client(request)
    agreement = client.current_agreement()
    initial = {
        "channels": agreement.channels if agreement else [],
        "discreet": agreement is None or agreement.reminder_detail == "discreet",
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_preferences(
                client,
                channels=form.cleaned_data["channels"],
                discreet=form.cleaned_data["discreet"],
            )
            saved = True
        except ActionError as error:
            form.add_error(None, str(error))
    return _page(
        request,
        "portal/preferences.html",
        {"form": form, "saved": saved, "agreement": client.current_agreement()},
    )


@require_POST
@client_required
def agenda(request: HttpRequest) -> HttpResponse:
    form = AgendaForm(request.POST)
    if not form.is_valid():
        return _page(
            request,
            "portal/problem.html",
            {"problem": "Please choose what you would like to bring."},
            status=400,
        )
    actions.do_request_agenda(
        current_client(request), kind=form.cleaned_data["kind"], note=form.cleaned_data["note"]
    )
    return _page(request, "portal/done.html", {"done": "Added to your next session."})


@require_POST
@client_required
def acknowledge(request: HttpRequest) -> HttpResponse:
    client = current_client(request)
    version = client.practice.current_policy()
    if version is None or str(version.number) != request.POST.get("version"):
        raise Http404
    actions.do_acknowledge(client, version)
    return redirect("portal:home")


class UploadForm(forms.Form):
    file = forms.FileField(label="Choose a file to share securely")


def file_response(obj: Any, actor: Any, practice: Any) -> HttpResponseBase:
    """The decrypted, cleaned file as a download; flagged files are refused."""
    from django.db import transaction
    from django.http import FileResponse

    try:
        handle = open_decrypted(obj)
    except NotCleanError:
        return HttpResponse(
            "This file could not be cleaned of hidden details (such as location), "
            "so it is not sent on.",
            status=409,
            content_type="text/plain",
        )
    with transaction.atomic():
        record(action="vault.downloaded", obj=obj, practice=practice, actor=actor)
    return FileResponse(
        handle, as_attachment=True, filename=filename(obj), content_type=obj.content_type
    )


@client_required
def files(request: HttpRequest) -> HttpResponse:
    client = current_client(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.VAULT_MAX_UPLOAD_BYTES:
            problem = "That file is too large to share here."
        else:
            try:
                store_file(
                    client=client,
                    data=upload.read(),
                    filename=upload.name or "file",
                    direction="from_client",
                    actor_label=f"client {client.pk}",
                )
                return redirect("portal:files")
            except UploadRejectedError as error:
                problem = f"That file cannot be shared: {error}."
    shared = [(obj, filename(obj)) for obj in client.vault_objects.all()]
    return _page(
        request,
        "portal/files.html",
        {"client": client, "form": form, "shared": shared, "problem": problem},
    )


@client_required
def download(request: HttpRequest, object_id: str) -> HttpResponseBase:
    client = current_client(request)
    obj = client.vault_objects.filter(object_id=object_id).first()
    if obj is None:
        raise Http404
    return file_response(obj, request.user, client.practice)

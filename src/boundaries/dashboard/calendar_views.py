"""Calendar: the therapist's own calendar read into Boundaries, and their sessions sent out.

In: a subscription to the calendar they already book in (its private iCalendar
address, refreshed by the worker) or a .ics file; events match clients by an
attendee's email, and those that match no one wait here to be matched by hand.
Out: a secret feed of their sessions for their phone (initials only).
Boundaries books nothing itself.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boundaries import clock
from boundaries.accounts.security import therapist_required
from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.links import site_link
from boundaries.practices.access import clients_for, get_client_for, therapist_for
from boundaries.practices.calendar import (
    ImportReport,
    do_create_feed,
    do_revoke_feed,
    event_summary,
    feed_for_token,
    import_ics,
    render_feed,
)
from boundaries.practices.calendar_subscriptions import (
    do_ignore_event,
    do_match_event,
    do_remove_subscription,
    do_subscribe_calendar,
    refresh_subscription,
)
from boundaries.practices.models import (
    CalendarFeed,
    CalendarSubscription,
    Therapist,
    UnmatchedEvent,
)

__all__ = [
    "calendar_feed",
    "calendar_import",
    "calendar_settings",
    "calendar_subscribe",
    "event_ignore",
    "event_match",
    "subscription_refresh",
    "subscription_remove",
]

MAX_UPLOAD = 5 * 1024 * 1024


class SubscribeForm(forms.Form):
    url = forms.CharField(
        label="Your calendar's private address (iCalendar, .ics)",
        max_length=2000,
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="A calendar file (.ics)")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret per-therapist feed; a revoked or unknown token is a plain 404."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(
        render_feed(feed, clock.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _subscription_for(request: HttpRequest, subscription_id: int) -> CalendarSubscription:
    """The signed-in therapist's own subscription; any other is a 404."""
    therapist = therapist_for(request.user)
    found = CalendarSubscription.objects.filter(therapist=therapist, pk=subscription_id).first()
    if found is None:
        raise Http404
    return found


def _events_for(therapist: Therapist) -> QuerySet[UnmatchedEvent]:
    """Unmatched upcoming events this therapist may match: their own calendar's, and (for an
    owner) those imported with no therapist named."""
    events = UnmatchedEvent.objects.filter(
        practice_id=therapist.practice_id, ignored_at__isnull=True, ends_at__gte=clock.now()
    )
    if therapist.sees_all_clients:
        return events.filter(therapist__isnull=True) | events.filter(therapist=therapist)
    return events.filter(therapist=therapist)


def _event_for(request: HttpRequest, event_id: int) -> UnmatchedEvent:
    """An event the signed-in therapist may match (``_events_for``); any other is a 404."""
    found = _events_for(therapist_for(request.user)).filter(pk=event_id).first()
    if found is None:
        raise Http404
    return found


def _back_to(section: str) -> HttpResponse:
    """The calendar page, at one of its sections, after a form there did its work."""
    return redirect(reverse("dashboard:calendar") + f"#{section}")


def _page(
    request: HttpRequest,
    *,
    new_url: str = "",
    subscribe_form: SubscribeForm | None = None,
    import_form: ImportForm | None = None,
    report: ImportReport | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    therapist = therapist_for(request.user)
    events = list(_events_for(therapist).order_by("starts_at")[:100])
    if events:
        # Event titles come from the therapist's calendar and may name a client.
        with transaction.atomic():
            record(
                action="calendar.unmatched_listed",
                practice=therapist.practice,
                actor=request.user,
                object_type="practices.therapist",
                object_id=str(therapist.pk),
                details={"events": len(events)},
            )
    clients = list(clients_for(request.user).exclude(status="past").order_by("last_name"))
    return render(
        request,
        "dashboard/calendar.html",
        {
            "nav": "calendar",
            "feeds": therapist.feeds.order_by("-created_at"),
            "new_url": new_url,
            "subscriptions": therapist.calendar_subscriptions.order_by("created_at"),
            "subscribe_form": subscribe_form or SubscribeForm(),
            "import_form": import_form or ImportForm(),
            "report": report,
            "problem": problem,
            "events": [(event, event_summary(event)) for event in events],
            "clients": clients,
            "zone": therapist.practice.timezone,
        },
        status=status,
    )


@therapist_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The calendar page; its own form creates or revokes a feed of the therapist's sessions."""
    therapist = therapist_for(request.user)
    new_url = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            feed = CalendarFeed.objects.filter(
                therapist=therapist, pk=request.POST["revoke"]
            ).first()
            if feed is None:
                raise Http404
            do_revoke_feed(feed)
        else:
            titles = request.POST.get("titles", CalendarFeed.Titles.INITIALS)
            if titles not in CalendarFeed.Titles.values:
                titles = CalendarFeed.Titles.INITIALS
            token = do_create_feed(therapist, titles=titles)
            new_url = site_link(reverse("calendar_feed", args=[token]))
    return _page(request, new_url=new_url)


@require_POST
@therapist_required
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    """Keep the address and read it at once, so the therapist sees what it found."""
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _page(request, subscribe_form=form, status=400)
    try:
        subscription = do_subscribe_calendar(
            therapist_for(request.user), form.cleaned_data["url"], actor=request.user
        )
    except ActionError as error:
        form.add_error("url", str(error))
        return _page(request, subscribe_form=form, status=400)
    refresh_subscription(subscription)
    return _back_to("subscriptions")


@require_POST
@therapist_required
def subscription_refresh(request: HttpRequest, subscription_id: int) -> HttpResponse:
    refresh_subscription(_subscription_for(request, subscription_id))
    return _back_to("subscriptions")


@require_POST
@therapist_required
def subscription_remove(request: HttpRequest, subscription_id: int) -> HttpResponse:
    do_remove_subscription(_subscription_for(request, subscription_id), actor=request.user)
    return _back_to("subscriptions")


@require_POST
@therapist_required
def calendar_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        form.add_error("file", f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB.")
        return _page(request, import_form=form, status=400)
    therapist = therapist_for(request.user)
    report = import_ics(
        therapist.practice,
        upload.read(),
        therapist=therapist,
        actor=request.user,
        actor_label="",
    )
    status = 400 if report.problems and not report.seen else 200
    return _page(request, report=report, status=status)


@require_POST
@therapist_required
def event_match(request: HttpRequest, event_id: int) -> HttpResponse:
    """Say whose session an event is; the client must be one this therapist may see."""
    event = _event_for(request, event_id)
    try:
        client_id = int(request.POST.get("client", ""))
    except ValueError:
        return _page(request, problem="Choose the client this session is with.", status=400)
    client = get_client_for(request.user, client_id)
    do_match_event(event, client, actor=request.user)
    return _back_to("unmatched")


@require_POST
@therapist_required
def event_ignore(request: HttpRequest, event_id: int) -> HttpResponse:
    do_ignore_event(_event_for(request, event_id), actor=request.user)
    return _back_to("unmatched")

"""The settings page: practice details, addresses, alerts, second factor, sessions, team.

Every therapist manages their own alert contacts, recovery codes and sessions.
Only the practice's owners change the practice's details, its addresses and the
team. Everything is read through the signed-in therapist's own practice, so
another practice's rows are never reachable (a 404, as everywhere else).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from boundaries.accounts.devices import (
    confirmed_totp,
    do_issue_recovery_codes,
    do_replace_totp,
    pending_totp,
    qr_data_uri,
    recovery_codes_left,
    totp_secret,
)
from boundaries.accounts.security import (
    WRONG_NEW_CODE,
    recent_reauth_required,
    therapist_required,
)
from boundaries.accounts.sessions import do_sign_out_other_sessions, sessions_of
from boundaries.channels.alert_check import do_send_test_alert
from boundaries.errors import ActionError
from boundaries.inbox.routes import do_add_route, do_remove_route, routes_of
from boundaries.practices.access import owner_for, therapist_for
from boundaries.practices.actions.details import (
    do_set_practice_details,
    do_set_therapist_role,
)
from boundaries.practices.actions.practices import do_add_therapist
from boundaries.practices.models import Therapist
from boundaries.setup.forms import (
    AlertForm,
    CodeForm,
    PracticeDetailsForm,
    RoleForm,
    RouteForm,
    TherapistForm,
)

__all__ = [
    "add_route",
    "add_therapist",
    "alert_contacts",
    "authenticator",
    "practice_details",
    "recovery_codes",
    "remove_route",
    "set_role",
    "settings_page",
    "sign_out_others",
    "test_alert",
]


def _back(section: str) -> HttpResponse:
    return redirect(reverse("dashboard:settings") + f"#{section}")


@therapist_required
def settings_page(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    practice = therapist.practice
    user: Any = request.user
    is_owner = therapist.role == Therapist.Role.OWNER
    team = (
        list(
            Therapist.objects.filter(practice=practice)
            .select_related("user")
            .order_by("display_name")
        )
        if is_owner
        else []
    )
    return render(
        request,
        "setup/settings.html",
        {
            "nav": "settings",
            "therapist": therapist,
            "practice": practice,
            "is_owner": is_owner,
            "details_form": PracticeDetailsForm(
                initial={
                    "name": practice.name,
                    "timezone": practice.timezone,
                    "professional_body": practice.professional_body,
                }
            ),
            "routes": routes_of(practice) if is_owner else [],
            "route_form": RouteForm(),
            "alert_form": AlertForm(
                initial={
                    "alert_email": therapist.alert_email or user.email,
                    "alert_phone": therapist.alert_phone,
                    "digest_time": therapist.digest_time,
                }
            ),
            "tries": request.session.pop("settings_alert_tries", None),
            "totp": confirmed_totp(user),
            "codes_left": recovery_codes_left(user),
            "fresh_codes": request.session.pop("settings_recovery_codes", None),
            "sessions": sessions_of(user, request.session.session_key),
            "team": [(member, RoleForm(initial={"role": member.role})) for member in team],
            "therapist_form": TherapistForm(),
            "new_password": request.session.pop("settings_new_password", None),
        },
    )


def _submit(
    request: HttpRequest, form: forms.Form, section: str, act: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """A settings form's post: when valid, ``act`` on its data and say what it did (its
    message; none when empty), or what the action refused; else the form's errors. Then
    back to the page's ``section``."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ActionError as error:
            messages.error(request, str(error))
        else:
            if done:
                messages.success(request, done)
    else:
        _errors(request, form)
    return _back(section)


def _errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@require_POST
@therapist_required
def practice_details(request: HttpRequest) -> HttpResponse:
    therapist = owner_for(request.user)

    def save(data: dict[str, Any]) -> str:
        do_set_practice_details(
            therapist.practice,
            name=data["name"],
            timezone_name=data["timezone"],
            professional_body=data["professional_body"],
            actor=request.user,
        )
        return "The practice's details are saved."

    return _submit(request, PracticeDetailsForm(request.POST), "practice", save)


@require_POST
@therapist_required
def add_route(request: HttpRequest) -> HttpResponse:
    therapist = owner_for(request.user)

    def add(data: dict[str, Any]) -> str:
        route = do_add_route(
            therapist.practice, kind=data["kind"], address=data["address"], actor=request.user
        )
        return f"Messages to {route.address} now arrive here."

    return _submit(request, RouteForm(request.POST), "addresses", add)


@require_POST
@therapist_required
def remove_route(request: HttpRequest, route_id: int) -> HttpResponse:
    therapist = owner_for(request.user)
    try:
        address = do_remove_route(therapist.practice, route_id=route_id, actor=request.user)
    except ActionError:
        raise Http404 from None
    messages.success(request, f"Messages to {address} no longer arrive here.")
    return _back("addresses")


@require_POST
@therapist_required
def alert_contacts(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    form = AlertForm(request.POST)

    def save(_data: dict[str, Any]) -> str:
        form.save(therapist, actor=request.user)
        return "Your alert contacts are saved."

    return _submit(request, form, "alerts", save)


@require_POST
@therapist_required
def test_alert(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    tries = do_send_test_alert(therapist, actor=request.user)
    request.session["settings_alert_tries"] = [
        {"way": t.way, "to": t.to, "sent": t.sent, "problem": t.problem} for t in tries
    ]
    return _back("alerts")


@require_POST
@therapist_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = do_issue_recovery_codes(request.user)
    request.session["settings_recovery_codes"] = codes  # server-side session: shown once
    return _back("sign-in")


@require_POST
@therapist_required
def sign_out_others(request: HttpRequest) -> HttpResponse:
    ended = do_sign_out_other_sessions(request.user, request.session.session_key)
    messages.success(
        request,
        "No other session was open." if not ended else f"Signed out {ended} other sessions.",
    )
    return _back("sessions")


@require_POST
@therapist_required
def add_therapist(request: HttpRequest) -> HttpResponse:
    owner = owner_for(request.user)

    def add(data: dict[str, Any]) -> str:
        password = secrets.token_urlsafe(18)
        added = do_add_therapist(
            owner.practice,
            username=data["username"],
            password=password,
            display_name=data["display_name"],
            email=data["email"],
            role=data["role"],
            actor=request.user,
        )
        request.session["settings_new_password"] = {
            "username": added.user.get_username(),
            "password": password,
        }
        return ""  # the page shows the first password instead

    return _submit(request, TherapistForm(request.POST), "team", add)


@require_POST
@therapist_required
def set_role(request: HttpRequest, therapist_id: int) -> HttpResponse:
    owner = owner_for(request.user)
    member = Therapist.objects.filter(practice_id=owner.practice_id, pk=therapist_id).first()
    if member is None:
        raise Http404

    def change(data: dict[str, Any]) -> str:
        do_set_therapist_role(member, role=data["role"], actor=request.user)
        return f"{member.display_name} is now {member.get_role_display()}."

    return _submit(request, RoleForm(request.POST), "team", change)


@recent_reauth_required
def authenticator(request: HttpRequest) -> HttpResponse:
    """A new phone: scan a new code; once it answers, the old authenticator stops working."""
    user: Any = request.user
    device = pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if do_replace_totp(user, device, form.cleaned_data["code"]):
            otp_login(request, device)  # this session now stands on the new device
            messages.success(
                request, "Your new authenticator app is set up; the old one no longer works."
            )
            return _back("sign-in")
        form.add_error("code", WRONG_NEW_CODE)
    return render(
        request,
        "setup/authenticator.html",
        {"nav": "settings", "form": form, "qr": qr_data_uri(device), "secret": totp_secret(device)},
    )

"""Sign-in policy in one place: throttling, session limits, verified therapists, re-auth."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries import clock
from boundaries.accounts.client_address import client_address, trusted_networks
from boundaries.accounts.devices import do_confirm_totp
from boundaries.accounts.models import LoginAttempt

View = Callable[..., HttpResponseBase]


def _account_key(username: str) -> str:
    """What a failure for ``username`` counts against, hashed.

    The account, when one has exactly this name (as sign-in matches it); otherwise
    the name as typed, in a space of its own. So failures for names that belong to
    no account never count against one that exists, however the name is spelt.
    """
    user_model = get_user_model()
    account = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )
    key = f"account:{account}" if account is not None else f"unknown:{username}"
    return hashlib.sha256(key.encode()).hexdigest()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, through the trusted reverse proxies (``client_address``)."""
    trusted = trusted_networks(tuple(settings.BOUNDARIES_TRUSTED_PROXIES))
    address = client_address(
        request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted
    )
    return str(address) if address is not None else None


def login_throttled(request: HttpRequest, username: str) -> bool:
    """Too many recent failures for this account, or from this client's address.

    Two limits, each on its own key: failures for an account, from anywhere, stop
    sign-ins to that account; failures from an address, for any name, stop sign-ins
    from that address. Neither touches the other's key, and a name that is no
    account's counts against itself and its sender's address only.
    """
    since = clock.now() - dt.timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    if failures.filter(username_hash=_account_key(username)).count() >= (
        settings.LOGIN_FAILURES_PER_USERNAME
    ):
        return True
    ip = client_ip(request)
    return bool(ip) and failures.filter(ip=ip).count() >= settings.LOGIN_FAILURES_PER_IP


def note_attempt(request: HttpRequest, username: str, *, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username_hash=_account_key(username),
        ip=client_ip(request),
        succeeded=succeeded,
        at=clock.now(),
    )
    # Keep only what throttling needs.
    horizon = clock.now() - dt.timedelta(days=1)
    LoginAttempt.objects.filter(at__lt=horizon).delete()


def code_field(label: str) -> forms.CharField:
    """Where a code from an authenticator app (or a recovery code) is typed."""
    return forms.CharField(
        label=label,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


#: What a code form says when the authenticator being set up shows another code.
WRONG_NEW_CODE = "That code is not right. Check the time on your phone and try again."


def confirm_new_authenticator(
    request: HttpRequest, device: TOTPDevice, form: forms.Form
) -> list[str] | None:
    """On a posted ``form`` (a ``code`` field): confirm the authenticator being set up.

    With the right code, the user is signed in with both factors under a new session id
    (an id learnt before the code is worth nothing after it) and the new recovery codes
    are returned; with a wrong one, the form says so. None until then.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    codes = do_confirm_totp(request.user, device, form.cleaned_data["code"])
    if codes is None:
        form.add_error("code", WRONG_NEW_CODE)
        return None
    otp_login(request, device)
    request.session.cycle_key()
    return codes


def start_session(request: HttpRequest) -> None:
    stamp = clock.now().isoformat()
    request.session["auth_started"] = stamp
    request.session["last_seen"] = stamp


#: How far "last seen" may lag behind before the session is written again.
LAST_SEEN_STEP = dt.timedelta(seconds=30)


class SessionLimitsMiddleware:
    """End a signed-in session after 15 minutes idle or 12 hours in all (settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and "auth_started" in request.session:
            now = clock.now()
            started = dt.datetime.fromisoformat(request.session["auth_started"])
            seen = dt.datetime.fromisoformat(request.session["last_seen"])
            idle = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS)
            absolute = dt.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
            if now - seen > idle or now - started > absolute:
                logout(request)
                target = reverse("accounts:login") + "?" + urlencode({"expired": "1"})
                return redirect(target)
            # Stored when it moved by LAST_SEEN_STEP: a session is not rewritten (an UPDATE
            # and a commit) for every page, and it ends at most that much early, never late.
            if now - seen >= LAST_SEEN_STEP:
                request.session["last_seen"] = now.isoformat()
        return self.get_response(request)


def therapist_required(view: View) -> View:
    """Signed in with password AND a second factor, and a therapist of some practice."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.path}))
        if not hasattr(user, "therapist"):
            raise Http404  # a client, or an operator without a practice: nothing here for them
        if not user.is_verified():
            return redirect("accounts:second_factor")
        return view(request, *args, **kwargs)

    return wrapper


def recent_reauth_required(view: View) -> View:
    """Exports and revealing vault content need a fresh password and code."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        stamp = request.session.get("reauth_at")
        fresh = dt.timedelta(seconds=settings.REAUTH_SECONDS)
        if stamp is None or clock.now() - dt.datetime.fromisoformat(stamp) > fresh:
            return redirect(reverse("accounts:reauth") + "?" + urlencode({"next": request.path}))
        return view(request, *args, **kwargs)

    return therapist_required(wrapper)

"""Therapist sign-in: password, then a mandatory second factor (TOTP or a recovery code)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries import clock
from boundaries.accounts.devices import (
    confirmed_totp,
    pending_totp,
    qr_data_uri,
    totp_secret,
)
from boundaries.accounts.security import (
    code_field,
    confirm_new_authenticator,
    login_throttled,
    note_attempt,
    start_session,
    therapist_required,
)
from boundaries.audit.log import record


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = code_field("Code from your authenticator app, or a recovery code")


class ReauthForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = CodeForm.base_fields["code"]


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("dashboard:home")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if login_throttled(request, username):
            form.add_error(None, "Too many attempts. Wait 15 minutes and try again.")
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            note_attempt(request, username, succeeded=user is not None)
            if user is None:
                form.add_error(None, "That username and password do not match.")
                status = 200
            else:
                login(request, user)
                start_session(request)
                nxt = _next(request)
                return redirect(reverse("accounts:second_factor") + f"?next={nxt}")
    expired = request.GET.get("expired") == "1"
    return render(
        request,
        "accounts/login.html",
        {"form": form, "expired": expired, "next": _next(request)},
        status=status,
    )


def _confirmed_totp(user: Any) -> TOTPDevice | None:
    return confirmed_totp(user)


def second_factor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if _confirmed_totp(user) is None:
        return redirect(reverse("accounts:enroll") + f"?next={_next(request)}")
    if user.is_verified():  # already through the second step
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            # A new session id at each step up in privilege: an id learnt before the code
            # (a fixed or leaked cookie) is worth nothing after it.
            request.session.cycle_key()
            with transaction.atomic():
                record(
                    action="signin",
                    practice=None,
                    actor=user,
                    details={"factor": type(device).__name__},
                )
            return redirect(_next(request))
        form.add_error("code", "That code is not right, or it was already used.")
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)})


def enroll(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: the second factor is required, not optional."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if _confirmed_totp(user) is not None:
        # Enrolled already: sign-in goes through the code page; a second device is not
        # added from here.
        return redirect(_next(request) if user.is_verified() else reverse("accounts:second_factor"))
    device = pending_totp(user)
    form = CodeForm(request.POST or None)
    codes = confirm_new_authenticator(request, device, form)
    if codes is not None:
        request.session["fresh_recovery_codes"] = codes
        return redirect(reverse("accounts:recovery_codes") + f"?next={_next(request)}")
    secret = totp_secret(device)
    return render(
        request,
        "accounts/enroll.html",
        {"form": form, "qr": qr_data_uri(device), "secret": secret, "next": _next(request)},
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop("fresh_recovery_codes", None)
    if not codes:
        return redirect(_next(request))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@therapist_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm it is still you before an export or revealing encrypted content."""
    user: Any = request.user
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if login_throttled(request, user.get_username()):
            form.add_error(None, "Too many attempts. Wait 15 minutes and try again.")
        elif not user.check_password(form.cleaned_data["password"]):
            note_attempt(request, user.get_username(), succeeded=False)
            form.add_error("password", "That password is not right.")
        elif match_token(user, form.cleaned_data["code"].replace(" ", "")) is None:
            form.add_error("code", "That code is not right, or it was already used.")
        else:
            request.session["reauth_at"] = clock.now().isoformat()
            request.session.cycle_key()  # exports and content are open now: a new session id
            return redirect(_next(request))
    return render(request, "accounts/reauth.html", {"form": form, "next": _next(request)})


__all__ = [
    "enroll",
    "login_view",
    "logout_view",
    "reauth",
    "recovery_codes",
    "second_factor",
    "start_session",
]

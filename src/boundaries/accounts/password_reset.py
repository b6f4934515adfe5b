"""Forgotten passwords: a single-use link by email, valid for an hour; the code still applies.

Django's password-reset views do the work (tokens bound to the current password
hash and last sign-in, so a link dies once used). What is ours: the wording,
throttling (a request counts like a failed sign-in for its address and email),
the same answer whether or not the address is known, an audit entry when a
password is changed this way, and a link built from ``SITE_URL``: never from the
request's ``Host``, which another practice's domain could supply (``links``). A
new password never skips the second factor: the next sign-in still asks for the
authenticator code.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse_lazy

from boundaries.accounts.security import login_throttled, note_attempt
from boundaries.audit.log import record
from boundaries.links import site_url
from boundaries.practices.models import Therapist

#: Throttling key for reset requests: kept apart from usernames so one cannot lock the other.
_PREFIX = "password-reset:"


class RequestResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = _PREFIX + form.cleaned_data["email"].strip().lower()
        if login_throttled(self.request, email):
            form.add_error(None, "Too many requests. Wait 15 minutes and try again.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # Counted as a failure: repeated requests throttle this address like wrong passwords.
        note_attempt(self.request, email, succeeded=False)
        # The link's scheme and host come from the configuration, not from the request.
        self.extra_email_context = {"site_url": site_url()}
        return super().form_valid(form)


class RequestSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ChooseNewPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_choose.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    post_reset_login = False  # sign in as usual afterwards: password, then code

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            therapist = Therapist.objects.filter(user=form.user).select_related("practice").first()
            record(
                action="account.password_reset",
                obj=form.user,
                practice=therapist.practice if therapist else None,
                actor=form.user,
            )
        return response


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"

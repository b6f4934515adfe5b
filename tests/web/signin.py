"""Signing a persona in for real: password, then TOTP (enrolling the device the first time)."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORDS = {
    "alice": "correct horse battery staple",
    "bob": "another long passphrase",
    "charlie": "a third long passphrase",
}


def current_code(user: Any) -> str:
    """The code sign-in asks for: the confirmed authenticator's, or (while enrolling) the
    pending one's. A replacement begun on the Settings page is pending beside the confirmed
    one and is not the one sign-in checks."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    assert device is not None, f"{user} has no authenticator"
    device.last_t = -1  # let a test use the current time step more than once
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def sign_in(http: HttpClient, user: Any, password: str | None = None) -> None:
    password = password or PASSWORDS[user.username]
    response = http.post("/account/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        http.get("/account/setup/authenticator/")
        response = http.post("/account/setup/authenticator/", {"code": current_code(user)})
    else:
        response = http.post("/account/login/code/", {"code": current_code(user)})
    assert response.status_code == 302, response.content[:500]


def reauthenticate(http: HttpClient, user: Any) -> None:
    response = http.post(
        "/account/confirm/", {"password": PASSWORDS[user.username], "code": current_code(user)}
    )
    assert response.status_code == 302

"""The forms of the first-run setup and the settings page. Labels are what people read."""

from __future__ import annotations

from typing import Any

from django import forms

from boundaries.accounts.security import code_field
from boundaries.core.policy.templates import available_templates
from boundaries.inbox.models import InboundRoute
from boundaries.practices.actions.details import do_set_alert_contacts
from boundaries.practices.models import Therapist

COUNTRY_NAMES = {"GB": "United Kingdom", "US": "United States"}


def country_choices() -> list[tuple[str, str]]:
    return [(code, COUNTRY_NAMES.get(code, code)) for code in available_templates()]


class FirstAccountForm(forms.Form):
    key = forms.CharField(
        label="Setup key",
        max_length=40,
        help_text="Printed in the server's log when this page was first opened, "
        "or by `boundaries setup --show-key`.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    username = forms.CharField(
        label="Username", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.EmailField(
        label="Your email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password (at least 12 characters)",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class CodeForm(forms.Form):
    code = code_field("Six-digit code")


class PracticeForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=200)
    country = forms.ChoiceField(label="Country", choices=country_choices)
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        initial="Europe/London",
        help_text="For example Europe/London or America/New_York.",
    )
    professional_body = forms.CharField(
        label="Professional body (optional)",
        max_length=200,
        required=False,
        help_text="For example UKCP, BACP or your state board.",
    )
    display_name = forms.CharField(label="Your name as clients know it", max_length=200)


class PracticeDetailsForm(forms.Form):
    """The settings page's version: the country and the address name do not change."""

    name = PracticeForm.base_fields["name"]
    timezone = PracticeForm.base_fields["timezone"]
    professional_body = PracticeForm.base_fields["professional_body"]


class PolicyDetailsForm(forms.Form):
    phone = forms.CharField(
        label="Phone number for changing appointments",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label="Email clients may write to")
    website = forms.URLField(
        label="Your website",
        assume_scheme="https",
        help_text="Where the policy will be published, https://...",
    )
    body_name = forms.CharField(
        label="Licensing or professional body: full name", max_length=200, required=False
    )
    body_short_name = forms.CharField(label="Its short name", max_length=40, required=False)
    body_address = forms.CharField(label="Its postal address", max_length=300, required=False)
    body_url = forms.URLField(
        label="Its website", assume_scheme="https", required=False, max_length=300
    )
    body_phone = forms.CharField(label="Its phone (optional)", max_length=40, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        parts = ("body_name", "body_short_name", "body_address", "body_url")
        given = [name for name in parts if data.get(name)]
        if given and len(given) < len(parts):
            raise forms.ValidationError(
                "The professional body needs its name, short name, address and website."
            )
        return data


class PolicySourceForm(forms.Form):
    source = forms.CharField(
        label="policy.toml",
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "toml"}),
        strip=False,
    )


class RouteForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of address", choices=InboundRoute.Kind.choices)
    address = forms.CharField(
        label="Address",
        max_length=320,
        help_text="appointments@your.domain, @your.domain for a whole domain, "
        "+442079460100, or the digits of a Page or Instagram id.",
    )


class AlertForm(forms.Form):
    alert_email = forms.EmailField(label="Email for urgent alerts", required=False)
    alert_phone = forms.CharField(
        label="Mobile for urgent alerts by text (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    digest_time = forms.TimeField(
        label="Time of the day's digest of messages to read",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def save(self, therapist: Therapist, *, actor: Any) -> None:
        """Store the valid form's contacts; ``ActionError`` when the action refuses them."""
        do_set_alert_contacts(
            therapist,
            alert_email=self.cleaned_data["alert_email"] or "",
            alert_phone=self.cleaned_data["alert_phone"] or "",
            digest_time=self.cleaned_data["digest_time"],
            actor=actor,
        )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label="Summary of this version (published with it)", max_length=500, initial="First version"
    )


class TherapistForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    display_name = forms.CharField(label="Name as clients know them", max_length=200)
    email = forms.EmailField(label="Their email")
    role = forms.ChoiceField(label="Role", choices=Therapist.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Therapist.Role.choices)

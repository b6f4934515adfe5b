"""The first-run setup in the browser: account, practice, policy, addresses, alerts, publish.

Each step reads and changes state only through the owning apps' actions. Who
may be here: on an empty installation, whoever holds the first-run key (to make
the first account); then a signed-in account with a second factor that has no
practice yet (on an installation without practices, or an operator), or the
owner of a practice whose setup is not finished. Anyone else gets a 404.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from boundaries.accounts.devices import (
    confirmed_totp,
    pending_totp,
    qr_data_uri,
    totp_secret,
)
from boundaries.accounts.security import confirm_new_authenticator, start_session
from boundaries.channels.alert_check import do_send_test_alert
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import EthicsBody
from boundaries.core.policy.render import render_html
from boundaries.errors import ActionError
from boundaries.inbox.routes import do_add_route, do_remove_route, routes_of
from boundaries.practices.actions.details import (
    do_join_as_owner,
    do_set_practice_details,
)
from boundaries.practices.actions.practices import do_create_practice
from boundaries.practices.models import Practice, Therapist
from boundaries.setup.actions import (
    checked_policy,
    do_advance,
    do_create_first_account,
    do_finish_setup,
    do_save_policy_draft,
    do_start_setup,
    first_run_key,
    installation_is_empty,
    template_draft,
)
from boundaries.setup.forms import (
    AlertForm,
    CodeForm,
    FirstAccountForm,
    PolicyDetailsForm,
    PolicySourceForm,
    PracticeForm,
    PublishForm,
    RouteForm,
)
from boundaries.setup.models import STEPS, SetupProgress

__all__ = [
    "account",
    "addresses",
    "alerts",
    "policy",
    "policy_check",
    "practice",
    "publish",
    "setup_unfinished",
    "start",
    "unless_setting_up",
]

logger = logging.getLogger(__name__)

STEP_TITLES = {
    "account": "Your account",
    "practice": "Your practice",
    "policy": "Your policy",
    "addresses": "Where messages arrive",
    "alerts": "Urgent alerts",
    "publish": "Publish",
}


class Gate:
    """Where the person stands in the setup."""

    def __init__(self, therapist: Therapist | None, progress: SetupProgress | None) -> None:
        self.therapist = therapist
        self.progress = progress

    @property
    def practice(self) -> Practice:
        if self.therapist is None:
            raise Http404
        return self.therapist.practice


def _therapist(user: Any) -> Therapist | None:
    try:
        therapist: Therapist = user.therapist
    except Therapist.DoesNotExist:
        return None
    return therapist


def _may_start_a_practice(user: Any) -> bool:
    """An account without a practice may create one on an installation that has none,
    or when it is an operator's."""
    return (
        bool(user.is_superuser)
        or not Practice.objects.filter(status=Practice.Status.ACTIVE).exists()
    )


def setup_unfinished(user: Any) -> bool:
    """Should this signed-in person be sent to the setup rather than the dashboard?"""
    if not getattr(user, "is_authenticated", False):
        return False
    therapist = _therapist(user)
    if therapist is None:
        return _may_start_a_practice(user)
    progress = SetupProgress.objects.filter(practice_id=therapist.practice_id).first()
    return (
        progress is not None and not progress.is_finished and therapist.role == Therapist.Role.OWNER
    )


def unless_setting_up(view: Any) -> Any:
    """The dashboard's home, except while the person's setup is unfinished."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated and installation_is_empty():
            return redirect("dashboard:setup")
        if setup_unfinished(user) and user.is_verified():
            return redirect("dashboard:setup")
        response: HttpResponseBase = view(request, *args, **kwargs)
        return response

    wrapper.__name__ = getattr(view, "__name__", "view")
    wrapper.__doc__ = view.__doc__
    return wrapper


def _gate(request: HttpRequest, step: str) -> Gate | HttpResponseBase:
    """The person's standing for STEP, or where to send them instead."""
    user: Any = request.user
    here = reverse(f"dashboard:setup_{step}")
    if not user.is_authenticated:
        if installation_is_empty():
            return redirect("dashboard:setup_account")
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": here}))
    if not user.is_verified():
        if confirmed_totp(user) is None:
            return redirect("dashboard:setup_account")
        return redirect(reverse("accounts:second_factor") + "?" + urlencode({"next": here}))
    therapist = _therapist(user)
    if therapist is None:
        if not _may_start_a_practice(user):
            raise Http404
        if step not in ("account", "practice"):
            return redirect("dashboard:setup_practice")
        return Gate(None, None)
    if therapist.role != Therapist.Role.OWNER or not therapist.practice.is_active:
        raise Http404
    progress = SetupProgress.objects.filter(practice_id=therapist.practice_id).first()
    if progress is None or progress.is_finished:
        return redirect("dashboard:settings")
    if STEPS.index(step) > STEPS.index(progress.reached):
        return redirect(f"dashboard:setup_{progress.reached}")
    return Gate(therapist, progress)


def _page(
    request: HttpRequest, step: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    gate = context.get("gate")
    progress = gate.progress if isinstance(gate, Gate) else None
    reached = progress.reached if progress is not None else step
    steps = [
        {
            "id": name,
            "title": STEP_TITLES[name],
            "url": reverse(f"dashboard:setup_{name}"),
            "current": name == step,
            "open": STEPS.index(name) <= max(STEPS.index(reached), STEPS.index(step)),
        }
        for name in STEPS
    ]
    return render(
        request,
        f"setup/{step}.html",
        {
            "steps": steps,
            "step_title": STEP_TITLES[step],
            "step_number": STEPS.index(step) + 1,
            "step_count": len(STEPS),
            **context,
        },
        status=status,
    )


def start(request: HttpRequest) -> HttpResponseBase:
    """Send the person to the step they are at."""
    user: Any = request.user
    if not user.is_authenticated or not user.is_verified():
        return redirect("dashboard:setup_account")
    gate = _gate(request, "practice")
    if not isinstance(gate, Gate):
        return gate
    if gate.progress is None:
        return redirect("dashboard:setup_practice")
    return redirect(f"dashboard:setup_{gate.progress.reached}")


def account(request: HttpRequest) -> HttpResponseBase:
    """The first account (with the key), then its authenticator and recovery codes."""
    user: Any = request.user
    if not user.is_authenticated:
        if not installation_is_empty():
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.path}))
        form = FirstAccountForm(request.POST or None)
        if request.method == "GET":
            # Whoever runs the installation reads the key here (or asks `boundaries setup`).
            logger.warning(
                "first-run setup: the setup key of this installation is %s", first_run_key()
            )
        if request.method == "POST" and form.is_valid():
            try:
                created = do_create_first_account(
                    key=form.cleaned_data["key"],
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                )
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                login(request, created, backend="django.contrib.auth.backends.ModelBackend")
                start_session(request)
                return redirect("dashboard:setup_account")
        return _page(request, "account", {"first_form": form, "gate": None})
    if _therapist(user) is None and not _may_start_a_practice(user):
        raise Http404  # a client's portal account, or an account with nothing to set up
    fresh = request.session.get("setup_recovery_codes")
    if user.is_verified():
        if fresh and request.method == "POST":
            request.session.pop("setup_recovery_codes", None)
            return redirect("dashboard:setup")
        if not fresh:
            return redirect("dashboard:setup")
        return _page(request, "account", {"done": True, "codes": fresh, "gate": None})
    if confirmed_totp(user) is not None:
        return redirect(reverse("accounts:second_factor") + "?" + urlencode({"next": request.path}))
    device = pending_totp(user)
    code_form = CodeForm(request.POST or None)
    codes = confirm_new_authenticator(request, device, code_form)
    if codes is not None:
        request.session["setup_recovery_codes"] = codes
        return redirect("dashboard:setup_account")
    return _page(
        request,
        "account",
        {
            "code_form": code_form,
            "qr": qr_data_uri(device),
            "secret": totp_secret(device),
            "gate": None,
        },
    )


def practice(request: HttpRequest) -> HttpResponseBase:
    gate = _gate(request, "practice")
    if not isinstance(gate, Gate):
        return gate
    user: Any = request.user
    existing = gate.therapist.practice if gate.therapist is not None else None
    initial = (
        {
            "name": existing.name,
            "country": existing.country,
            "timezone": existing.timezone,
            "professional_body": existing.professional_body,
            "display_name": gate.therapist.display_name if gate.therapist else "",
        }
        if existing is not None
        else {"display_name": user.get_full_name()}
    )
    form = PracticeForm(request.POST or None, initial=initial)
    if existing is not None:
        form.fields["country"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing is None:
                created = do_create_practice(
                    name=data["name"],
                    country=data["country"],
                    timezone_name=data["timezone"],
                    professional_body=data["professional_body"],
                    actor_label=user.get_username(),
                )
                do_join_as_owner(created, user, display_name=data["display_name"])
                progress = do_start_setup(created, actor=user)
            else:
                do_set_practice_details(
                    existing,
                    name=data["name"],
                    timezone_name=data["timezone"],
                    professional_body=data["professional_body"],
                    actor=user,
                )
                progress = gate.progress  # type: ignore[assignment]  # an owner's gate has one
            do_advance(progress, "policy", actor=user)
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("dashboard:setup_policy")
    return _page(request, "practice", {"form": form, "gate": gate})


def _check_fragment(source: str, practice: Practice) -> tuple[bool, SafeString]:
    """The check's verdict and, when the policy loads, its preview (escaped by the renderer)."""
    try:
        loaded = load_policy(source, filename="policy.toml")
    except PolicyError as error:
        return False, format_html('<p class="check-error">{}</p>', str(error))
    preview = mark_safe(render_html(loaded))  # noqa: S308 - render_html escapes every text
    try:
        checked_policy(source, practice)
    except (PolicyError, ActionError) as error:
        verdict = format_html('<p class="check-error">{}</p>', str(error))
        return False, verdict + format_html('<div class="policy-preview">{}</div>', preview)
    enabled = sum(1 for clause in loaded.clauses.values() if clause.enabled)
    verdict = format_html(
        '<p class="ok">Ready to publish: {} of {} clauses on.</p>', enabled, len(loaded.clauses)
    )
    return True, verdict + format_html('<div class="policy-preview">{}</div>', preview)


def _details_of(draft: str) -> dict[str, str]:
    """The template's answers, read back from a saved draft (empty if it does not load)."""
    if not draft:
        return {}
    try:
        details = load_policy(draft, filename="policy.toml").practice
    except PolicyError:
        return {}
    body = details.professional_body
    return {
        "phone": details.phone,
        "email": details.email,
        "website": details.website,
        "body_name": body.name,
        "body_short_name": body.short_name,
        "body_address": body.address,
        "body_url": body.url,
        "body_phone": body.phone or "",
    }


def _body(data: dict[str, Any]) -> EthicsBody | None:
    if not data.get("body_name"):
        return None
    return EthicsBody(
        name=data["body_name"],
        short_name=data["body_short_name"],
        address=data["body_address"],
        url=data["body_url"],
        phone=data.get("body_phone") or None,
    )


def policy(request: HttpRequest) -> HttpResponseBase:
    gate = _gate(request, "policy")
    if not isinstance(gate, Gate):
        return gate
    user: Any = request.user
    progress = gate.progress
    assert progress is not None and gate.therapist is not None  # an owner's gate
    practice = gate.practice
    details = PolicyDetailsForm(
        request.POST if request.POST.get("action") == "fill" else None,
        initial=_details_of(progress.policy_draft) or {"email": user.email},
    )
    source = PolicySourceForm(
        request.POST if request.POST.get("action") == "save" else None,
        initial={"source": progress.policy_draft},
    )
    if request.method == "POST" and details.is_bound and details.is_valid():
        data = details.cleaned_data
        try:
            text = template_draft(
                practice,
                therapist_name=gate.therapist.display_name,
                phone=data["phone"],
                email=data["email"],
                website=data["website"],
                body=_body(data),
            )
            do_save_policy_draft(progress, text, actor=user)
        except ActionError as error:
            details.add_error(None, str(error))
        else:
            return redirect("dashboard:setup_policy")
    if request.method == "POST" and source.is_bound and source.is_valid():
        try:
            do_save_policy_draft(progress, source.cleaned_data["source"], actor=user)
        except ActionError as error:
            source.add_error("source", str(error))
        else:
            return redirect("dashboard:setup_addresses")
    draft = source["source"].value() or ""
    verdict = _check_fragment(draft, practice)[1] if draft else None
    return _page(
        request,
        "policy",
        {
            "gate": gate,
            "details": details,
            "source": source,
            "verdict": verdict,
            "saved": bool(progress.policy_draft) and not source.is_bound,
            "needs_body": practice.country == "US",
        },
    )


@require_POST
def policy_check(request: HttpRequest) -> HttpResponseBase:
    """The live check of the policy.toml being typed: the verdict and the preview."""
    gate = _gate(request, "policy")
    if not isinstance(gate, Gate):
        raise Http404
    text = request.POST.get("source", "")
    if not text.strip():
        return HttpResponse('<p class="muted">Nothing to check yet.</p>')
    return HttpResponse(_check_fragment(text, gate.practice)[1])


def addresses(request: HttpRequest) -> HttpResponseBase:
    gate = _gate(request, "addresses")
    if not isinstance(gate, Gate):
        return gate
    user: Any = request.user
    assert gate.progress is not None
    form = RouteForm(request.POST if request.POST.get("action") == "add" else None)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "add" and form.is_valid():
                do_add_route(
                    gate.practice,
                    kind=form.cleaned_data["kind"],
                    address=form.cleaned_data["address"],
                    actor=user,
                )
                return redirect("dashboard:setup_addresses")
            if action == "remove":
                do_remove_route(gate.practice, route_id=_int(request.POST.get("route")), actor=user)
                return redirect("dashboard:setup_addresses")
            if action == "continue":
                do_advance(gate.progress, "alerts", actor=user)
                return redirect("dashboard:setup_alerts")
        except ActionError as error:
            form.add_error(None, str(error))
    return _page(
        request, "addresses", {"gate": gate, "form": form, "routes": routes_of(gate.practice)}
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise ActionError("that address is not one of this practice's") from None


def alerts(request: HttpRequest) -> HttpResponseBase:
    gate = _gate(request, "alerts")
    if not isinstance(gate, Gate):
        return gate
    user: Any = request.user
    therapist = gate.therapist
    assert therapist is not None and gate.progress is not None
    action = request.POST.get("action")
    form = AlertForm(
        request.POST if action in ("save", "continue") else None,
        initial={
            "alert_email": therapist.alert_email or user.email,
            "alert_phone": therapist.alert_phone,
            "digest_time": therapist.digest_time,
        },
    )
    tries = None
    if request.method == "POST":
        if action == "test":
            tries = do_send_test_alert(therapist, actor=user)
        elif form.is_valid():
            try:
                form.save(therapist, actor=user)
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                if action == "continue":
                    do_advance(gate.progress, "publish", actor=user)
                    return redirect("dashboard:setup_publish")
                return redirect("dashboard:setup_alerts")
    return _page(
        request, "alerts", {"gate": gate, "form": form, "tries": tries, "therapist": therapist}
    )


def publish(request: HttpRequest) -> HttpResponseBase:
    gate = _gate(request, "publish")
    if not isinstance(gate, Gate):
        return gate
    user: Any = request.user
    progress = gate.progress
    assert progress is not None
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = do_finish_setup(progress, summary=form.cleaned_data["summary"], actor=user)
        except (ActionError, PolicyError) as error:
            form.add_error(None, str(error))
        else:
            logger.info(
                "setup finished: practice %s published version %s", gate.practice.pk, version.number
            )
            return redirect(reverse("dashboard:home") + "?welcome=1")
    verdict = (
        _check_fragment(progress.policy_draft, gate.practice)[1] if progress.policy_draft else None
    )
    return _page(
        request,
        "publish",
        {
            "gate": gate,
            "form": form,
            "verdict": verdict,
            "routes": routes_of(gate.practice),
            "therapist": gate.therapist,
        },
    )

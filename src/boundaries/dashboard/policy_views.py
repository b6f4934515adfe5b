"""Policy: edit the TOML, see it as clients will, compare it with the published version,
publish it with a change summary, and follow who has acknowledged which version.

Editing, publishing and reminders are for the practice's owners (a group practice has
one policy); any therapist of the practice may read the versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from boundaries.accounts.security import therapist_required
from boundaries.audit.log import record
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import Policy
from boundaries.core.policy.placeholders import require_no_placeholders
from boundaries.core.policy.render import render_html
from boundaries.core.policy.templates import render_template, template_source
from boundaries.core.policy.versions import diff_policies, policy_from_dict, render_diff_html
from boundaries.errors import ActionError
from boundaries.portal.actions import (
    do_publish_policy,
    do_remind_unacknowledged,
    unacknowledged_clients,
)
from boundaries.practices.access import clients_for, owner_for, therapist_for
from boundaries.practices.actions.policy_drafts import (
    do_discard_policy_draft,
    do_save_policy_draft,
)
from boundaries.practices.models import (
    PolicyAcknowledgement,
    PolicyDraft,
    PolicyVersion,
    Practice,
    Therapist,
)

__all__ = [
    "acknowledgements",
    "policy",
    "policy_check",
    "policy_edit",
    "remind",
    "version_diff",
]

FILENAME = "policy.toml"


class PolicyForm(forms.Form):
    source = forms.CharField(
        label="Your policy (TOML)",
        strip=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "true", "class": "source"}),
    )
    summary = forms.CharField(
        label="What changed, in a sentence (clients see this)",
        required=False,
        max_length=500,
    )
    effective_date = forms.DateField(
        label="In effect from (leave empty for today)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@dataclass(frozen=True, slots=True)
class Checked:
    """What the server found in a draft: the policy, or the problem with line and key."""

    policy: Policy | None
    error: PolicyError | None
    problem: str = ""


def check_source(practice: Practice, source: str) -> Checked:
    try:
        policy = load_policy(source, filename=FILENAME)
        require_no_placeholders(source, filename=FILENAME)
    except PolicyError as error:
        return Checked(None, error)
    if policy.practice.country != practice.country:
        return Checked(
            None,
            None,
            f"The policy is written for {policy.practice.country}, "
            f"but the practice is in {practice.country}.",
        )
    return Checked(policy, None)


def _starting_text(practice: Practice, therapist: Therapist) -> str:
    current = practice.current_policy()
    if current is not None:
        return current.source
    try:
        return render_template(
            practice.country,
            practice_name=practice.name,
            therapist_name=therapist.display_name,
            phone="",
            email="",
            website="",
            timezone=practice.timezone,
        )
    except ValueError:
        return template_source("GB")


@therapist_required
def policy(request: HttpRequest) -> HttpResponse:
    therapist = therapist_for(request.user)
    practice = therapist.practice
    current = practice.current_policy()
    waiting = unacknowledged_clients(current).count() if current is not None else 0
    acknowledged = PolicyAcknowledgement.objects.filter(version=current).count() if current else 0
    return render(
        request,
        "dashboard/policy.html",
        {
            "nav": "policy",
            "practice": practice,
            "current": current,
            "owner": therapist.sees_all_clients,
            "versions": practice.policy_versions.order_by("-number"),
            "waiting": waiting,
            "acknowledged": acknowledged,
            "published": request.GET.get("published", ""),
        },
    )


@therapist_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    """Edit, then Preview (checks, renders, compares) or Publish (does the same first)."""
    therapist = owner_for(request.user)
    practice = therapist.practice
    current = practice.current_policy()
    draft = PolicyDraft.objects.filter(practice=practice).first()
    if request.method != "POST":
        if draft is not None:
            initial = {"source": draft.source, "summary": draft.summary}
        else:
            initial = {"source": _starting_text(practice, therapist)}
        return _editor(request, PolicyForm(initial=initial), current, draft=draft)
    action = request.POST.get("action")
    if action == "discard":
        do_discard_policy_draft(practice, actor=request.user)
        return redirect(reverse("dashboard:policy_edit"))
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _editor(request, form, current, draft=draft, status=400)
    source = form.cleaned_data["source"].replace("\r\n", "\n")
    if action in ("save", "preview"):
        # Pressing a button keeps the work: the editor opens on it next time.
        draft = do_save_policy_draft(
            practice, source=source, summary=form.cleaned_data["summary"] or "", actor=request.user
        )
    checked = check_source(practice, source)
    if action == "publish" and checked.policy is not None:
        try:
            version = do_publish_policy(
                practice,
                source=source,
                filename=FILENAME,
                summary=form.cleaned_data["summary"] or "",
                effective_date=form.cleaned_data["effective_date"],
                actor=request.user,
            )
        except (ActionError, PolicyError) as error:
            form.add_error(None, str(error))
            return _editor(request, form, current, checked, draft=draft, status=400)
        return redirect(reverse("dashboard:policy") + f"?published={version.number}")
    status = 200 if checked.policy is not None or action == "save" else 400
    return _editor(request, form, current, checked, draft=draft, status=status)


def _editor(
    request: HttpRequest,
    form: PolicyForm,
    current: PolicyVersion | None,
    checked: Checked | None = None,
    *,
    draft: PolicyDraft | None = None,
    status: int = 200,
) -> HttpResponse:
    preview = diff = ""
    if checked is not None and checked.policy is not None:
        preview = mark_safe(render_html(checked.policy))  # noqa: S308 - the renderer escapes every text
        if current is not None:
            changes = diff_policies(policy_from_dict(current.data), checked.policy)
            diff = mark_safe(render_diff_html(changes))  # noqa: S308 - the renderer escapes every text
    return render(
        request,
        "dashboard/policy_edit.html",
        {
            "nav": "policy",
            "form": form,
            "current": current,
            "checked": checked,
            "draft": draft,
            "preview": preview,
            "diff": diff,
        },
        status=status,
    )


@require_POST
@therapist_required
def policy_check(request: HttpRequest) -> HttpResponse:
    """The draft's check as the therapist types (htmx): the problem's line and key, or "valid"."""
    therapist = owner_for(request.user)
    source = request.POST.get("source", "").replace("\r\n", "\n")
    checked = check_source(therapist.practice, source)
    return render(request, "dashboard/_policy_check.html", {"checked": checked})


@therapist_required
def version_diff(request: HttpRequest, number: int) -> HttpResponse:
    """What a published version changed from the one before it."""
    practice = therapist_for(request.user).practice
    version = practice.policy_versions.filter(number=number).first()
    if version is None:
        raise Http404
    previous = practice.policy_versions.filter(number=number - 1).first()
    diff = ""
    if previous is not None:
        changes = diff_policies(policy_from_dict(previous.data), policy_from_dict(version.data))
        diff = mark_safe(render_diff_html(changes))  # noqa: S308 - the renderer escapes every text
    return render(
        request,
        "dashboard/policy_diff.html",
        {"nav": "policy", "version": version, "previous": previous, "diff": diff},
    )


@therapist_required
def acknowledgements(request: HttpRequest) -> HttpResponse:
    """Each present client and the newest version they acknowledged, with when."""
    therapist = owner_for(request.user)
    practice = therapist.practice
    current = practice.current_policy()
    clients = list(clients_for(request.user).filter(status="present").order_by("last_name"))
    newest: dict[int, tuple[int, dt.datetime]] = {}
    for client_id, number, when in (
        PolicyAcknowledgement.objects.filter(client__in=clients)
        .order_by("version__number")
        .values_list("client_id", "version__number", "acknowledged_at")
    ):
        newest[client_id] = (number, when)
    rows = [(client, newest.get(client.pk)) for client in clients]
    by_version = [
        (version, version.acknowledgements.count())
        for version in practice.policy_versions.order_by("-number")[:10]
    ]
    with transaction.atomic():
        record(
            action="policy.acknowledgements_viewed",
            obj=current,
            practice=practice,
            actor=request.user,
            object_type="practices.practice" if current is None else "",
            object_id=str(practice.pk) if current is None else "",
            details={"clients": len(clients)},
        )
    waiting = sum(
        1 for _, seen in rows if current is None or seen is None or seen[0] != current.number
    )
    return render(
        request,
        "dashboard/policy_acknowledgements.html",
        {
            "nav": "policy",
            "current": current,
            "rows": rows,
            "by_version": by_version,
            "waiting": waiting if current is not None else 0,
            "reminded": request.GET.get("reminded", ""),
            "problem": request.GET.get("problem", ""),
        },
    )


@require_POST
@therapist_required
def remind(request: HttpRequest) -> HttpResponse:
    """Queue the reminder for the worker; the notice names no policy content."""
    therapist = owner_for(request.user)
    current = therapist.practice.current_policy()
    target = reverse("dashboard:policy_acknowledgements")
    if current is None:
        return redirect(target + "?problem=nothing-published")
    if not unacknowledged_clients(current).exists():
        return redirect(target + "?problem=everyone")
    try:
        count = do_remind_unacknowledged(current, actor=request.user)
    except ActionError:
        return redirect(target + "?problem=recent")
    return redirect(target + f"?reminded={count}")

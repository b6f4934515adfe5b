"""Boundary audits of platform downloads: upload, list by date, read one, download it.

There is no edit and no delete: audits are kept to compare over time.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from boundaries.accounts.security import recent_reauth_required, therapist_required
from boundaries.audit.log import record_read
from boundaries.errors import ActionError
from boundaries.platform_audit import actions, presenting
from boundaries.platform_audit.models import ExportAudit
from boundaries.platform_audit.pdf import render_pdf
from boundaries.practices.access import therapist_for, visible_to

DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXPORTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def audits_for(user: Any) -> QuerySet[ExportAudit]:
    """Owners see the practice's audits; other therapists their own."""
    return visible_to(user, ExportAudit.objects.all(), therapist_field="therapist")


def get_audit_for(user: Any, audit_id: int) -> ExportAudit:
    found: ExportAudit | None = (
        audits_for(user).select_related("therapist", "practice").filter(pk=audit_id).first()
    )
    if found is None:
        raise Http404
    return found


class UploadForm(forms.Form):
    archive = forms.FileField(
        label="Your download (a .zip file)",
        help_text="Facebook, Instagram or LinkedIn, as the platform sent it, in JSON where asked.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self) -> Any:
        upload = self.cleaned_data["archive"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"That file is larger than {limit // 2**20} MiB. Ask the platform for only your "
                "connections (friends, followers and following), in JSON."
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("Upload the .zip file the platform sent, unopened.")
        head = upload.read(4)
        upload.seek(0)
        if not head.startswith(actions.ZIP_MAGIC):
            raise forms.ValidationError("That file is not a zip archive.")
        return upload


@require_http_methods(["GET", "POST"])
@therapist_required
def index(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = actions.do_import_export(
                therapist_for(request.user), form.cleaned_data["archive"], actor=request.user
            )
        except ActionError as error:
            form.add_error("archive", str(error))
        else:
            return redirect("exports:detail", audit_id=audit.pk)
    audits = audits_for(request.user).select_related("therapist")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "exports/index.html",
        {
            "nav": "exports",
            "audits": audits,
            "form": form,
            "limit_mib": max_upload_bytes() // 2**20,
        },
        status=status,
    )


@therapist_required
def detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = get_audit_for(request.user, audit_id)
    record_read(request, "exports.viewed", audit, audit.practice)
    return render(
        request,
        "exports/detail.html",
        {"nav": "exports", **presenting.context(audit, request.user)},
    )


@recent_reauth_required
def download(request: HttpRequest, audit_id: int, fmt: str) -> HttpResponse:
    audit = get_audit_for(request.user, audit_id)
    if fmt not in {"html", "pdf"}:
        raise Http404
    data = presenting.context(audit, request.user)
    record_read(request, "exports.downloaded", audit, audit.practice, format=fmt)
    if fmt == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(
            render_to_string("exports/report.html", data, request=request),
            content_type="text/html; charset=utf-8",
        )
    name = f"boundary-audit-{audit.pk}-{audit.created_at:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


__all__ = ["detail", "download", "index"]

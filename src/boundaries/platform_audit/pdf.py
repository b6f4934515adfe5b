"""An export audit as a PDF, to keep and compare with later audits."""

from __future__ import annotations

from typing import Any

from boundaries.pdfdoc import FAMILY, new_document, paragraph


def render_pdf(data: dict[str, Any]) -> bytes:
    audit, report = data["audit"], data["report"]
    pdf = new_document(f"Boundary audit {audit.pk}")
    pdf.set_font(FAMILY, "B", 16)
    paragraph(pdf, 9, f"Boundary audit of platform downloads – {audit.pk}")
    pdf.set_font(FAMILY, size=11)
    paragraph(
        pdf,
        6,
        f"Run {audit.created_at:%d %B %Y %H:%M} UTC by {audit.therapist.display_name}. "
        f"Platforms: {audit.platform_labels or 'none recognised'}. "
        f"{report.people_checked:,} people checked; {report.clients_found} clients found.",
    )
    pdf.ln(2)
    if not report.complete:
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_text_color(160, 0, 0)
        paragraph(pdf, 7, "INCOMPLETE: parts of the download could not be read.")
        pdf.set_font(FAMILY, size=10)
        paragraph(pdf, 5, "\n".join(f"- {p}" for p in data["problems"]))
        paragraph(pdf, 5, "This is not an all-clear. Download the data again and re-run.")
        pdf.set_text_color(0, 0, 0)
    elif report.all_clear:
        paragraph(pdf, 6, "All clear: no present or past client was found in these lists.")
    pdf.set_font(FAMILY, size=10)
    paragraph(pdf, 5, "Lists read: " + "; ".join(data["summary"]))
    for group in data["groups"]:
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 12)
        paragraph(pdf, 7, f"{group.title} ({len(group.rows)}) – clause {group.clause}")
        pdf.set_font(FAMILY, size=10)
        if not group.rows:
            paragraph(pdf, 5, "None.")
        for row in group.rows:
            kind = "certain" if row.certain else "possible"
            paragraph(
                pdf,
                5,
                f"- {row.client} ({row.status}) on {row.platform}, shown as {row.shown_as}: "
                f"{kind} match, {row.confidence}%. {row.reason}",
            )
    return bytes(pdf.output())

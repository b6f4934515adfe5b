"""The welfare check as a PDF for a supervisor: plain, complete, with entry hashes."""

from __future__ import annotations

from typing import Any

from boundaries.pdfdoc import FAMILY, new_document, paragraph

LABELS = {
    "reason": "Why I feared for the client's safety",
    "contact_attempt": "Usual contact tried",
    "search": "Search made",
    "action": "Action taken",
    "correction": "Correction",
    "outcome": "Outcome",
}


def render_pdf(data: dict[str, Any]) -> bytes:
    pdf = new_document(f"Welfare check {data['welfare_check']}")
    pdf.set_font(FAMILY, "B", 16)
    paragraph(pdf, 9, f"Welfare check {data['welfare_check']} – {data['practice']}")
    pdf.set_font(FAMILY, size=11)
    status = f"closed {data['closed_at']}" if data["closed_at"] else "still open"
    paragraph(
        pdf,
        6,
        f"Client: {data['client']}\n"
        f"Opened {data['opened_at']} by {data['opened_by']}; {status}.\n"
        "This record is append-only: corrections are separate entries. Each entry's SHA-256 "
        "is also in the practice's tamper-evident audit log.",
    )
    for entry in data["entries"]:
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 12)
        title = f"{entry['number']}. {LABELS.get(entry['kind'], entry['kind'])}"
        if entry["corrects"]:
            title += f" (corrects entry {entry['corrects']})"
        paragraph(pdf, 7, title)
        pdf.set_font(FAMILY, size=10)
        fields = {k: v for k, v in entry["fields"].items() if k != "kind"}
        lines = [f"{key.replace('_', ' ')}: {value}" for key, value in fields.items()]
        lines.append(f"recorded {entry['recorded_at']} by {entry['recorded_by']}")
        lines.append(f"sha256 {entry['sha256']}")
        paragraph(pdf, 5, "\n".join(lines))
    return bytes(pdf.output())

"""``boundaries init`` and ``boundaries policy``: write, check, render, publish and compare.

``init`` and ``check``, ``render`` and a ``diff`` of two files read no database.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from boundaries.cli.inputs import (
    PracticeOpt,
    action_errors,
    bad_input_is_one_line,
    get_practice,
    load_policy_file,
    read_text,
)
from boundaries.cli.output import fail, out
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import EthicsBody, Policy
from boundaries.core.policy.placeholders import find_placeholders, require_no_placeholders
from boundaries.core.policy.render import render_html, render_markdown, render_text
from boundaries.core.policy.templates import available_templates, render_template
from boundaries.core.policy.versions import diff_policies, policy_from_dict, render_diff_text
from boundaries.portal.actions import do_publish_policy

__all__ = ["app", "init"]

app = typer.Typer(help="Check, render, publish and compare the policy.", no_args_is_help=True)


def init(
    country: Annotated[str, typer.Option(help="country template: GB or US")] = "GB",
    practice_name: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]  # typer: ... marks a required option
    therapist_name: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]  # typer: ... marks a required option
    phone: Annotated[
        str, typer.Option(prompt="Phone for changing appointments", help="E.164 or national")
    ] = ...,  # type: ignore[assignment]  # typer: ... marks a required option
    email: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]  # typer: ... marks a required option
    website: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]  # typer: ... marks a required option
    timezone: Annotated[str | None, typer.Option(help="IANA timezone")] = None,
    output: Annotated[Path, typer.Option("--out", help="where to write")] = Path("policy.toml"),
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
    body_name: Annotated[
        str | None, typer.Option(help="professional or licensing body, e.g. a state board")
    ] = None,
    body_short_name: Annotated[str | None, typer.Option(help="its short name")] = None,
    body_address: Annotated[str | None, typer.Option(help="its postal address, one line")] = None,
    body_url: Annotated[str | None, typer.Option(help="its website, https://...")] = None,
    body_phone: Annotated[str | None, typer.Option(help="its telephone (optional)")] = None,
) -> None:
    """Write a policy.toml from a country template, ready to edit and publish.

    The US template leaves the licensing board to fill in: give it with the --body-*
    options, or edit the file; `boundaries policy check` refuses it until then.
    """
    code = country.strip().upper()
    if code.lower() not in {t.lower() for t in available_templates()}:
        fail(f"no template for {country!r}; available: {', '.join(available_templates())}")
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    body_parts = {
        "--body-name": body_name,
        "--body-short-name": body_short_name,
        "--body-address": body_address,
        "--body-url": body_url,
    }
    given = [flag for flag, value in body_parts.items() if value]
    if (given or body_phone) and len(given) < len(body_parts):
        missing = ", ".join(flag for flag in body_parts if flag not in given)
        fail(f"the professional body needs all four of its details; missing {missing}")
    body = (
        EthicsBody(
            name=body_name or "",
            short_name=body_short_name or "",
            address=body_address or "",
            url=body_url or "",
            phone=body_phone or None,
        )
        if given
        else None
    )
    with bad_input_is_one_line():
        text = render_template(
            code,
            practice_name=practice_name,
            therapist_name=therapist_name,
            phone=phone,
            email=email,
            website=website,
            timezone=timezone,
            professional_body=body,
        )
        load_policy(text, filename=str(output))
        output.write_text(text, encoding="utf-8")
    out.print(
        f"Wrote {output}. Read it, adjust the wording, then `boundaries policy check {output}`."
    )
    left = find_placeholders(text)
    if left:
        keys = ", ".join(placeholder.key for placeholder in left)
        out.print(f"Before it can pass the check, replace the placeholders in: {keys}.")


@app.command("check")
def policy_check(file: Path) -> None:
    """Validate a policy.toml; errors name the line and key, placeholders included."""
    policy = load_policy_file(file)
    with bad_input_is_one_line():
        require_no_placeholders(read_text(file), filename=str(file))
    enabled = sum(1 for clause in policy.clauses.values() if clause.enabled)
    out.print(f"{file}: valid — {enabled} of {len(policy.clauses)} clauses enabled.")


@app.command("render")
def policy_render(
    file: Path,
    fmt: Annotated[str, typer.Option("--format", help="html, markdown or text")] = "text",
) -> None:
    """Render the policy as the public page, Markdown or plain text."""
    renderers = {"html": render_html, "markdown": render_markdown, "md": render_markdown}
    renderers["text"] = render_text
    if fmt not in renderers:
        fail(f"--format must be html, markdown or text, not {fmt!r}")
    policy = load_policy_file(file)
    sys.stdout.write(renderers[fmt](policy))
    sys.stdout.write("\n")


@app.command("publish")
def policy_publish(
    file: Path,
    summary: Annotated[str, typer.Option(help="what changed, in a sentence (published)")],
    practice: PracticeOpt = None,
    effective: Annotated[str | None, typer.Option(help="effective date, YYYY-MM-DD")] = None,
) -> None:
    """Publish a new immutable version of the practice's policy (placeholders refused)."""
    text = read_text(file)
    load_policy_file(file)
    with bad_input_is_one_line():
        require_no_placeholders(text, filename=str(file))
    effective_date = None
    if effective:
        try:
            effective_date = dt.date.fromisoformat(effective)
        except ValueError:
            fail(f"--effective must be a date like 2026-12-01, not {effective!r}")
    target = get_practice(practice)
    version = action_errors(
        lambda: do_publish_policy(
            target,
            source=text,
            filename=str(file),
            summary=summary,
            effective_date=effective_date,
            actor_label="cli",
        )
    )
    out.print(
        f"Published version {version.number} of {target.name}'s policy, "
        f"effective {version.effective_date} (sha256 {version.content_hash[:12]})."
    )


@app.command("versions")
def policy_versions(practice: PracticeOpt = None) -> None:
    """List the published versions."""
    target = get_practice(practice)
    table = Table("version", "effective", "published", "by", "sha256", "summary")
    for version in target.policy_versions.order_by("number"):
        table.add_row(
            str(version.number),
            str(version.effective_date),
            f"{version.published_at:%Y-%m-%d %H:%M}",
            version.published_by_label,
            version.content_hash[:12],
            version.summary,
        )
    out.print(table)


@app.command("diff")
def policy_diff(
    old: Annotated[str, typer.Argument(help="a policy.toml, or a version number")],
    new: Annotated[str, typer.Argument(help="a policy.toml, or a version number")],
    practice: PracticeOpt = None,
) -> None:
    """Show what changed between two versions (files or published version numbers)."""
    sys.stdout.write(
        render_diff_text(diff_policies(_policy_ref(old, practice), _policy_ref(new, practice)))
    )
    sys.stdout.write("\n")


def _policy_ref(ref: str, practice: str | None) -> Policy:
    if ref.isdigit() and not Path(ref).exists():
        target = get_practice(practice)
        version = target.policy_versions.filter(number=int(ref)).first()
        if version is None:
            fail(f"{target.slug} has no policy version {ref}")
        return policy_from_dict(version.data)
    return load_policy_file(Path(ref))

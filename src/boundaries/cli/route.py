"""``boundaries route``: the addresses a practice receives on (email, SMS number, Meta ids)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from boundaries.cli.inputs import PracticeOpt, action_errors, get_practice
from boundaries.cli.output import fail, out
from boundaries.inbox.models import InboundRoute
from boundaries.inbox.routes import do_add_route, do_remove_route, normalise_route, routes_of

__all__ = ["app"]

app = typer.Typer(
    help="Where messages arrive: email addresses, SMS numbers, Meta ids.", no_args_is_help=True
)

KINDS = ", ".join(InboundRoute.Kind.values)
KindArg = Annotated[str, typer.Argument(help=f"one of {KINDS}")]


def _kind(value: str) -> str:
    kind = value.strip().lower().replace("-", "_")
    if kind not in InboundRoute.Kind.values:
        fail(f"the kind of address is one of {KINDS}, not {value!r}")
    return kind


@app.command("add")
def route_add(
    kind: KindArg,
    address: Annotated[str, typer.Argument(help="an email, @domain, +E.164 number or Meta id")],
    practice: PracticeOpt = None,
) -> None:
    """Receive messages sent to ADDRESS (one practice per address)."""
    wanted = _kind(kind)
    target = get_practice(practice)
    route = action_errors(
        lambda: do_add_route(target, kind=wanted, address=address, actor_label="cli")
    )
    out.print(f"Messages to {escape(route.address)} ({wanted}) now reach {target.slug}.")


@app.command("remove")
def route_remove(kind: KindArg, address: str, practice: PracticeOpt = None) -> None:
    """Stop receiving messages sent to ADDRESS."""
    wanted = _kind(kind)
    target = get_practice(practice)
    value = action_errors(lambda: normalise_route(wanted, address, target.country))
    route = InboundRoute.objects.filter(practice=target, kind=wanted, address=value).first()
    if route is None:
        fail(f"{value} is not one of {target.slug}'s addresses (see `boundaries route list`)")
    action_errors(lambda: do_remove_route(target, route_id=route.pk, actor_label="cli"))
    out.print(f"Messages to {escape(value)} no longer reach {target.slug}.")


@app.command("list")
def route_list(practice: PracticeOpt = None) -> None:
    """List the practice's addresses."""
    target = get_practice(practice)
    table = Table("kind", "address")
    for route in routes_of(target):
        table.add_row(route.kind, escape(route.address))
    out.print(table)

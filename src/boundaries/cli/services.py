"""The running installation: the database, the web server, the worker, the scheduler, SMTP.

``serve``, ``worker``, ``scheduler`` (without ``--once``), ``smtpd`` and ``demo``
run until stopped; the systemd units and the compose file start them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated, Any

import typer
from django.conf import settings
from django.core.management import call_command, execute_from_command_line, get_commands
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication

from boundaries import clock
from boundaries.channels.email.smtpd import make_controller, raise_open_files_limit
from boundaries.cli.inputs import port_number, process_count, seconds
from boundaries.cli.output import fail, out
from boundaries.core.classifier import load_default_classifier
from boundaries.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from boundaries.records.scheduling import run_due

__all__ = ["app"]

app = typer.Typer()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (e.g. `boundaries manage collectstatic`)."""
    name = ctx.args[0] if ctx.args else ""
    if name and not name.startswith("-") and name not in {*get_commands(), "help", "version"}:
        fail(f"no management command {name!r} (see `boundaries manage help`)")
    execute_from_command_line(["boundaries manage", *ctx.args])


@app.command()
def migrate() -> None:
    """Create or update the database."""
    call_command("migrate", interactive=False, verbosity=0)
    out.print("Database is up to date.")


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(callback=port_number)] = 8000,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    smtp_port: Annotated[
        int, typer.Option(help="demo SMTP receiver port", callback=port_number)
    ] = 2525,
) -> None:
    """Create the database, load a demo practice, and serve it with a worker and SMTP receiver."""
    # Links in alerts and sign-in messages name the address this demo serves, not :8000
    # whatever --port says; the worker started below inherits it. An explicit SITE_URL wins.
    site = os.environ.get("SITE_URL") or demo_site_url(host, port)
    os.environ["SITE_URL"] = site
    settings.SITE_URL = site
    call_command("migrate", interactive=False, verbosity=0)
    practice, created = load_demo()
    out.print(
        f"Demo practice {practice.name!r} {'loaded' if created else 'already present'}: "
        f"{practice.clients.count()} fictional clients."
    )
    out.print(f"Demo login: username [bold]{DEMO_USERNAME}[/] password [bold]{DEMO_PASSWORD}[/]")
    if serve_site:
        children = _start_children(
            [
                ["worker"],
                ["scheduler"],
                ["smtpd", "--host", "127.0.0.1", "--port", str(smtp_port)],
            ]
        )
        out.print(
            f"Background worker started; demo mail to inbox@riverside-therapy.example "
            f"on SMTP 127.0.0.1:{smtp_port}."
        )
        try:
            _serve(host, port)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)


def demo_site_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches ``host:port`` at."""
    # Listening on every interface: this machine reaches it on loopback.
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104 - a lookup of the wildcard, not a bind
    if ":" in shown:
        shown = f"[{shown}]"  # an IPv6 address in a URL
    return f"http://{shown}:{port}"


def _start_children(commands: list[list[str]]) -> list[subprocess.Popen[bytes]]:
    """Start sibling `boundaries` processes (one process tree for the demo)."""
    executable = [sys.executable, "-m", "boundaries"]
    return [subprocess.Popen([*executable, *command]) for command in commands]  # noqa: S603 - our own interpreter and commands, no shell


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(callback=port_number)] = 8000,
    workers: Annotated[int, typer.Option(help="web worker processes", callback=process_count)] = 2,
) -> None:
    """Serve the site with gunicorn (behind a reverse proxy in production)."""
    _serve(host, port, workers)


def _serve(host: str, port: int, workers: int = 2) -> None:
    application = get_wsgi_application()

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", None)
            # Its error log names paths too: the same redaction of tokens as Django's logs.
            self.cfg.set("logger_class", "boundaries.ops.gunicorn_logs.RedactingLogger")

        def load(self) -> Any:
            return application

    out.print(f"Serving on [bold]http://{host}:{port}/[/] — press Ctrl+C to stop.")
    Server().run()


@app.command()
def worker(
    interval: Annotated[
        float, typer.Option(help="seconds between polls when idle", callback=seconds)
    ] = 0.5,
    batch: Annotated[bool, typer.Option(help="run what is queued, then exit")] = False,
) -> None:
    """Run background tasks (triage actions, replies, alerts) from the database queue."""
    options = ["--no-reload", "--queue-name", "*", "--interval", str(interval)]
    if batch:
        options += ["--batch", "--no-startup-delay"]
    call_command("db_worker", *options)


@app.command()
def scheduler(
    interval: Annotated[
        float, typer.Option(help="seconds between checks", callback=seconds)
    ] = 30.0,
    once: Annotated[bool, typer.Option(help="enqueue what is due, then exit")] = False,
) -> None:
    """Enqueue each periodic job once per period (records.scheduling.JOBS).

    Retention and backups daily, audit checkpoints hourly, the same-day digest and
    appointment reminders every 5 minutes, subscribed calendars every 15.
    """
    while True:
        for name in run_due(clock.now()):
            out.print(f"enqueued {name}")
        if once:
            return
        time.sleep(interval)


@app.command()
def smtpd(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option(callback=port_number)] = 2525,
) -> None:
    """Receive the practice's mail over SMTP (250 only after the message is stored)."""
    # Load the classifier before listening, so the first message is triaged at full speed.
    load_default_classifier()
    # Every connection is a file descriptor; systemd's default soft limit is 1,024.
    open_files = raise_open_files_limit()
    controller = make_controller(host, port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    out.print(
        f"SMTP receiver listening on {host}:{port} (at most {controller.doorman.total} "
        f"connections, {controller.doorman.per_address} per address; open files {open_files})"
    )
    try:
        stop.wait()
    finally:
        controller.stop()

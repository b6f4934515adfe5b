"""Screenshots of the main pages at desktop and phone widths, for docs/therapist-guide.md.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME ...]

Builds the demo practice with a day's work in it (tests/browser/scene.py: the same
scene the page-visit test opens) in a fresh database in a temporary folder, serves it
on loopback, and photographs each page in Debian's Chromium (``/usr/bin/chromium``,
installed by ``python3 dev.py test``) at 1280 px and at 390 px. Each PNG is reduced to
a palette of 64 colours (Pillow) so that the whole set stays small; the script prints
the total. Everything shown is fictional (boundaries/demo.py). Nothing is fetched from
elsewhere, and the real installation's data folder is never touched.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}
#: Long pages are cut here: the guide shows the top of a page, the browser the rest.
MAX_HEIGHT = {"desktop": 1500, "phone": 2200}
COLOURS = 64


@dataclass(frozen=True, slots=True)
class Shot:
    name: str
    who: str  # "anyone", "therapist" or "client"
    path: Callable[[Any], str]
    prepare: Callable[[Any], None] | None = None  # e.g. type a draft before the photo


def _draft(tab: Any) -> None:
    tab.get_by_label("To").select_option(label="Amara Okafor")
    tab.get_by_label("Channel").select_option("email")
    tab.get_by_label("Message").press_sequentially(
        "Thanks for today! If you found it useful, would you leave me a review on Google?",
        delay=2,
    )
    tab.locator("#findings li").first.wait_for(timeout=10_000)


SHOTS: tuple[Shot, ...] = (
    Shot("sign-in", "anyone", lambda s: "/account/login/"),
    Shot("public-policy", "anyone", lambda s: f"/p/{s.practice.slug}/"),
    Shot("inbox", "therapist", lambda s: "/dashboard/"),
    Shot("urgent-message", "therapist", lambda s: f"/dashboard/messages/{s.urgent_message}/"),
    Shot("who-to-call", "therapist", lambda s: f"/dashboard/messages/{s.urgent_message}/act/"),
    Shot("concern-message", "therapist", lambda s: f"/dashboard/messages/{s.concern_message}/"),
    Shot("clients", "therapist", lambda s: "/dashboard/clients/"),
    Shot("client", "therapist", lambda s: f"/dashboard/clients/{s.client.pk}/"),
    Shot("write-with-the-guard", "therapist", lambda s: "/dashboard/compose/", _draft),
    Shot("agreement", "therapist", lambda s: f"/dashboard/clients/{s.client.pk}/agreement/"),
    Shot("next-sessions", "therapist", lambda s: "/dashboard/next-sessions/"),
    Shot("calendar", "therapist", lambda s: "/dashboard/calendar/"),
    Shot("policy", "therapist", lambda s: "/dashboard/policy/"),
    Shot("policy-editor", "therapist", lambda s: "/dashboard/policy/edit/"),
    Shot("audit-log", "therapist", lambda s: "/dashboard/audit/"),
    Shot("settings", "therapist", lambda s: "/dashboard/settings/"),
    Shot("at-a-glance", "therapist", lambda s: "/dashboard/insights/"),
    Shot("welfare-check", "therapist", lambda s: f"/dashboard/welfare/{s.welfare_check}/"),
    Shot("portal", "client", lambda s: "/portal/"),
)


def _environment(data_dir: Path) -> None:
    """A private, throw-away installation: its own data folder and SQLite database."""
    os.environ["BOUNDARIES_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'screenshots.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    for name in ("BOUNDARIES_ENV", "BOUNDARIES_ALLOWED_HOSTS", "ALLOWED_HOSTS"):
        os.environ.pop(name, None)


def _serve() -> Any:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server


def _sign_in_therapist(tab: Any, base: str, scene: Any) -> None:
    from django.contrib.auth import get_user_model

    from tests.browser.scene import DEMO_PASSWORD, DEMO_USERNAME
    from tests.web.signin import current_code

    tab.goto(base + "/account/login/")
    tab.get_by_label("Username").fill(DEMO_USERNAME)
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_role("button", name="Continue").click()
    tab.wait_for_load_state()
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    if "/setup/authenticator/" in tab.url:
        tab.get_by_label("Six-digit code").fill(current_code(user))
        tab.get_by_role("button", name="Confirm").click()
        tab.get_by_role("link", name="I have kept them safe").click()
    else:
        tab.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(current_code(user))
        tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/dashboard/**")
    # "Who to call" and content ask for the password and a fresh code: give them once.
    tab.goto(f"{base}/dashboard/messages/{scene.ordinary_message}/content/")
    tab.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.get_by_label(re.compile("code", re.IGNORECASE)).fill(current_code(user))
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_url("**/content/")


def _sign_in_client(tab: Any, base: str, scene: Any) -> None:
    from boundaries.portal.actions import do_issue_magic_link

    tab.goto(f"{base}/portal/signin/{do_issue_magic_link(scene.portal_client)}/")
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/portal/")


def _save(png: bytes, path: Path) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(
        colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    small.save(path, format="PNG", optimize=True)
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: `python3 dev.py test` installs Debian's chromium")
        return 2
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    # The browser's event loop and the ORM share this thread; the ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with tempfile.TemporaryDirectory(prefix="boundaries-screenshots-") as folder:
        _environment(Path(folder))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        from playwright.sync_api import sync_playwright

        from tests.browser.scene import build_scene

        scene = build_scene()
        server = _serve()
        base = f"http://127.0.0.1:{server.port}"
        total = 0
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                for width, (w, h) in WIDTHS.items():
                    for who in ("anyone", "therapist", "client"):
                        context = browser.new_context(
                            viewport={"width": w, "height": h}, is_mobile=width == "phone"
                        )
                        tab = context.new_page()
                        if who == "therapist":
                            _sign_in_therapist(tab, base, scene)
                        elif who == "client":
                            _sign_in_client(tab, base, scene)
                        for shot in (s for s in shots if s.who == who):
                            tab.goto(base + shot.path(scene))
                            if shot.prepare:
                                shot.prepare(tab)
                            height = tab.evaluate("() => document.documentElement.scrollHeight")
                            clip = {
                                "x": 0,
                                "y": 0,
                                "width": w,
                                "height": min(height, MAX_HEIGHT[width]),
                            }
                            png = tab.screenshot(full_page=True, clip=clip)
                            path = args.out / f"{shot.name}-{width}.png"
                            size = _save(png, path)
                            total += size
                            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                            print(f"{shown}  {size // 1024} KiB")
                        context.close()
                browser.close()
        finally:
            server.terminate()
    print(f"{total / 1024 / 1024:.2f} MiB in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

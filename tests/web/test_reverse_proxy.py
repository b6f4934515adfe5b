"""Sign-in limits behind a real reverse proxy: Debian's nginx in front of a live server.

Every visitor reaches Boundaries through nginx on 127.0.0.1, so ``REMOTE_ADDR``
is the proxy's for all of them. Visitors are told apart by the loopback address
they connect from (127.0.0.2, 127.0.0.3, ...), which nginx writes into
``X-Forwarded-For``: the limits must count that, not the proxy. The proxy runs
the lines docs/operators.md gives operators (tests/web/nginx.py).
"""

from __future__ import annotations

import http.client
import re
import secrets
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.web import nginx
from tests.web.signin import PASSWORDS

ADDRESS_LIMIT = 8  # LOGIN_FAILURES_PER_IP, lowered: every sign-in hashes a password

pytestmark = pytest.mark.skipif(
    not nginx.available(),
    reason="Debian's nginx is not installed (python3 dev.py test installs nginx-light)",
)


@pytest.fixture
def proxy(live_server: Any, settings: Any) -> Iterator[nginx.Proxy]:
    settings.LOGIN_FAILURES_PER_IP = ADDRESS_LIMIT  # the live server runs in this process
    with nginx.nginx(urlsplit(live_server.url).port or 80) as running:
        yield running


class Visitor:
    """A browser at one loopback address, going through the proxy, with its own cookies."""

    def __init__(self, proxy: nginx.Proxy, address: str) -> None:
        self.proxy = proxy
        self.address = address
        self.cookies: SimpleCookie = SimpleCookie()

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.proxy.port, timeout=30, source_address=(self.address, 0)
        )
        body = urlencode(form) if form is not None else None
        all_headers = {"Host": "127.0.0.1", **headers}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.read().decode()
        finally:
            connection.close()

    def sign_in(self, username: str, password: str, **headers: str) -> int:
        self.request("GET", "/account/login/")
        csrf = self.cookies["csrftoken"].value
        status, _ = self.request(
            "POST",
            "/account/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf},
            **headers,
        )
        return status


def test_made_up_names_from_one_visitor_lock_out_nobody_else(
    proxy: nginx.Proxy, alice: Any, bob: Any
) -> None:
    attacker = Visitor(proxy, "127.0.0.2")
    statuses = [attacker.sign_in(f"nobody{n}", "a guess") for n in range(ADDRESS_LIMIT + 2)]
    assert statuses == [200] * ADDRESS_LIMIT + [429] * 2  # that visitor is stopped...
    assert Visitor(proxy, "127.0.0.3").sign_in("alice", PASSWORDS["alice"]) == 302  # ...no one else
    assert Visitor(proxy, "127.0.0.4").sign_in("bob", PASSWORDS["bob"]) == 302


def test_a_forged_forwarded_for_does_not_get_a_visitor_past_the_address_limit(
    proxy: nginx.Proxy, alice: Any
) -> None:
    attacker = Visitor(proxy, "127.0.0.2")
    statuses = [
        attacker.sign_in(f"nobody{n}", "a guess", **{"X-Forwarded-For": f"198.51.100.{n}"})
        for n in range(ADDRESS_LIMIT + 1)
    ]
    assert statuses[-1] == 429
    # Claiming to be someone else, even a visitor who is not stopped, changes nothing.
    forged = {"X-Forwarded-For": "127.0.0.3"}
    assert attacker.sign_in("alice", PASSWORDS["alice"], **forged) == 429
    assert Visitor(proxy, "127.0.0.3").sign_in("alice", PASSWORDS["alice"]) == 302


def test_the_proxys_access_log_keeps_no_token(proxy: nginx.Proxy, demo_practice: Any) -> None:
    from boundaries.portal.actions import do_issue_magic_link

    token = do_issue_magic_link(demo_practice.clients.get(first_name="Amara"))
    visitor = Visitor(proxy, "127.0.0.2")
    status, page = visitor.request("GET", f"/portal/signin/{token}/")
    assert status == 200
    assert "Sign in" in page or "sign in" in page
    visitor.request("GET", f"/calendar/{secrets.token_urlsafe(16)}.ics")
    visitor.request("GET", "/hooks/meta?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1")
    log = proxy.read_access_log(lines=3)
    assert re.search(r'^127\.0\.0\.2 .*"GET /portal/signin/\[redacted\]" 200', log, re.MULTILINE)
    assert "/calendar/[redacted]" in log
    assert "/hooks/meta?[redacted]" in log
    assert token not in log
    assert "s3cret" not in log

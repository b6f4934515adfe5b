"""Sign-in limits: per account and per client address, separately, through trusted proxies.

The Django test client stands in for the reverse proxy here (``REMOTE_ADDR``
127.0.0.1, a trusted proxy by default, and the ``X-Forwarded-For`` it writes);
``test_reverse_proxy.py`` does the same through a real nginx.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import override_settings

from boundaries import clock
from boundaries.accounts.client_address import client_address, trusted_networks
from tests.web.signin import PASSWORDS

PROXY = "127.0.0.1"
ADDRESS_LIMIT = 8  # instead of 20: each sign-in hashes a password, and the rules are the same

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("reset_clock"),
    pytest.mark.usefixtures("small_address_limit"),
]


@pytest.fixture
def small_address_limit(settings: Any) -> None:
    settings.LOGIN_FAILURES_PER_IP = ADDRESS_LIMIT


@pytest.fixture
def reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


def sign_in_from(address: str, username: str, password: str, *, via: str = PROXY) -> int:
    """A sign-in by a visitor at ``address``, arriving through the proxy at ``via``."""
    headers = {"REMOTE_ADDR": via}
    if via != address:
        headers["HTTP_X_FORWARDED_FOR"] = address
    response = HttpClient().post(
        "/account/login/", {"username": username, "password": password}, **headers
    )
    return response.status_code


def test_made_up_names_from_one_visitor_behind_the_proxy_lock_out_nobody_else(
    alice: Any, bob: Any
) -> None:
    for n in range(ADDRESS_LIMIT + 5):
        sign_in_from("203.0.113.9", f"nobody{n}", "a guess at a password")
    assert sign_in_from("203.0.113.9", "nobody99", "another guess") == 429  # that visitor
    assert sign_in_from("198.51.100.7", "alice", PASSWORDS["alice"]) == 302  # not anyone else
    assert sign_in_from("198.51.100.8", "bob", PASSWORDS["bob"]) == 302


def test_an_address_over_its_limit_is_stopped_for_every_name_but_only_there(alice: Any) -> None:
    for n in range(ADDRESS_LIMIT):
        sign_in_from("203.0.113.9", f"nobody{n}", "a guess at a password")
    assert sign_in_from("203.0.113.9", "alice", PASSWORDS["alice"]) == 429
    assert sign_in_from("198.51.100.7", "alice", PASSWORDS["alice"]) == 302


def test_failures_for_an_account_stop_sign_ins_to_it_from_every_address(alice: Any) -> None:
    for n in range(5):
        assert sign_in_from(f"203.0.113.{n + 1}", "alice", "wrong guess") == 200
    assert sign_in_from("198.51.100.7", "alice", PASSWORDS["alice"]) == 429
    assert sign_in_from("198.51.100.7", "bob-is-not-here", "x") == 200  # others are not


def test_a_name_that_is_not_the_accounts_never_counts_against_it(alice: Any) -> None:
    # Sign-in matches names exactly: "ALICE" and "alice " are nobody's account.
    for name in ("ALICE", "Alice", "alice2", "ALICE", "Alice", "ALICE", "Alice"):
        sign_in_from("203.0.113.9", name, "wrong guess")
    assert sign_in_from("198.51.100.7", "alice", PASSWORDS["alice"]) == 302


def test_a_made_up_name_is_throttled_like_an_account_so_limits_reveal_no_names(
    alice: Any,
) -> None:
    statuses = [sign_in_from(f"203.0.113.{n}", "nobody", "guess") for n in range(1, 8)]
    assert statuses == [200] * 5 + [429] * 2


def test_a_forged_forwarded_for_from_a_visitor_that_is_no_proxy_is_ignored(alice: Any) -> None:
    for n in range(ADDRESS_LIMIT):  # each request claims another address; none comes from a proxy
        HttpClient().post(
            "/account/login/",
            {"username": f"nobody{n}", "password": "guess"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    assert sign_in_from("203.0.113.9", "alice", PASSWORDS["alice"], via="203.0.113.9") == 429
    assert sign_in_from("198.51.100.3", "alice", PASSWORDS["alice"]) == 302


@override_settings(BOUNDARIES_TRUSTED_PROXIES=[])
def test_with_no_trusted_proxy_the_connection_is_the_client(alice: Any) -> None:
    for n in range(ADDRESS_LIMIT):
        sign_in_from(f"203.0.113.{n}", f"nobody{n}", "guess")  # all from 127.0.0.1
    assert sign_in_from("198.51.100.7", "alice", PASSWORDS["alice"]) == 429


NETS = trusted_networks(("127.0.0.1", "::1", "10.0.0.0/8"))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.9", "", "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: header ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left one is forged
        ("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.1.2.3", "203.0.113.9"),  # two proxies
        ("127.0.0.1", "10.1.2.3, 10.0.0.9", "10.1.2.3"),  # proxies all the way
        ("127.0.0.1", "rubbish, 10.0.0.9", "10.0.0.9"),
        ("127.0.0.1", "203.0.113.9:51000", "203.0.113.9"),
        ("127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("", "203.0.113.9", None),
    ],
)
def test_it_reads_the_client_address_through_trusted_proxies_only(
    remote: str, forwarded: str, client: str | None
) -> None:
    found = client_address(remote, forwarded, NETS)
    assert found == (ipaddress.ip_address(client) if client else None)


def test_it_names_a_trusted_proxy_entry_that_is_not_an_address() -> None:
    with pytest.raises(ValueError, match=r"'proxy\.example' is not an IP address or network"):
        trusted_networks(("127.0.0.1", "proxy.example"))

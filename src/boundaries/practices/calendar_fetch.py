"""Reading a calendar from the address a therapist gave, without letting that address reach
the machine's own network.

The address is checked when it is given and again at every hop of a redirect, and the
check is made on the IP address the connection really uses (resolved once, then
connected to), so a name that resolves to a public address when checked and to
``127.0.0.1`` a moment later (DNS rebinding) is refused too. Loopback is allowed only
when ``settings.CALENDAR_ALLOW_LOOPBACK`` says so (tests, development); private,
link-local, shared, reserved and multicast addresses never are.

Messages name the host at most, never the path: the path is the secret.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from typing import Any

__all__ = ["CalendarFetchError", "checked_address", "fetch_calendar"]

MAX_REDIRECTS = 3
TIMEOUT = 20.0


class CalendarFetchError(Exception):
    """The calendar could not be read; the message is fit to show a therapist."""


def _allowed_ip(address: str, *, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def checked_address(url: str, *, allow_loopback: bool) -> str:
    """The address as it will be fetched (``webcal://`` read as ``https://``), or an error.

    Only ``https`` is accepted, and ``http`` only for a loopback host when loopback is
    allowed. A host given as an IP address is checked here; a name is checked when it
    is resolved, at connection time.
    """
    text = url.strip()
    if text.lower().startswith("webcal://"):
        text = "https://" + text[len("webcal://") :]
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        raise CalendarFetchError("that is not a web address") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"https", "http"} or not host:
        raise CalendarFetchError("the calendar's address must start with https:// (or webcal://)")
    if parts.username or parts.password:
        raise CalendarFetchError("the calendar's address must not hold a user name or password")
    literal = _ip_literal(host)
    if literal is not None and not _allowed_ip(literal, allow_loopback=allow_loopback):
        raise CalendarFetchError(f"{host} is not an address on the public internet")
    if parts.scheme == "http":
        loopback = host == "localhost" or (
            literal is not None and ipaddress.ip_address(literal).is_loopback
        )
        if not (allow_loopback and loopback):
            raise CalendarFetchError(
                "the calendar's address must start with https:// (or webcal://)"
            )
    if port is not None and not 0 < port < 65536:
        raise CalendarFetchError("that is not a web address")
    return urllib.parse.urlunsplit(parts._replace(fragment=""))


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _guarded_connect(allow_loopback: bool) -> Any:
    """A ``socket.create_connection`` that connects only to an allowed address."""

    def connect(
        address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        host, port = address
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            raise CalendarFetchError(f"{host} could not be found") from None
        for _family, _type, _proto, _name, sockaddr in infos:
            if not _allowed_ip(str(sockaddr[0]), allow_loopback=allow_loopback):
                raise CalendarFetchError(f"{host} is not an address on the public internet")
        family, kind, proto, _name, sockaddr = infos[0]
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError:
            sock.close()
            raise
        return sock

    return connect


def fetch_calendar(
    url: str, *, allow_loopback: bool, max_bytes: int, timeout: float = TIMEOUT
) -> bytes:
    """GET the calendar, following up to three redirects, each checked like the first."""
    current = checked_address(url, allow_loopback=allow_loopback)
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(current)
        host = parts.hostname or ""
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        connection._create_connection = _guarded_connect(allow_loopback)  # type: ignore[attr-defined]  # http.client's documented hook for how it opens the socket
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            connection.request(
                "GET",
                target,
                headers={"User-Agent": "Boundaries calendar reader", "Accept": "text/calendar"},
            )
            response = connection.getresponse()
            if 300 <= response.status < 400 and response.getheader("Location"):
                current = checked_address(
                    urllib.parse.urljoin(current, response.getheader("Location", "")),
                    allow_loopback=allow_loopback,
                )
                continue
            if response.status != 200:
                raise CalendarFetchError(f"{host} answered HTTP {response.status}")
            data = response.read(max_bytes + 1)
        except (OSError, http.client.HTTPException):
            raise CalendarFetchError(f"{host} could not be reached") from None
        finally:
            connection.close()
        if len(data) > max_bytes:
            raise CalendarFetchError(f"the calendar is larger than {max_bytes:,} bytes")
        return data
    raise CalendarFetchError("the calendar's address redirects too many times")

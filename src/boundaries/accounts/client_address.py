"""Who is at the other end of a request: the client's address, through trusted proxies.

Behind the reverse proxy every request arrives from the proxy, so
``REMOTE_ADDR`` is the same for everyone; a limit counted on it locks every
visitor out at once. The proxy records the address it saw in
``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for;``), appending it to whatever the request already
carried. Anything a client sends can be forged, so the header is read from the
right and believed only as far as a trusted proxy wrote it: starting from
``REMOTE_ADDR``, while the address is one of ``BOUNDARIES_TRUSTED_PROXIES``
(addresses or networks), step one entry to the left; the first address that is
not a trusted proxy is the client. A request that does not come from a trusted
proxy is its own client, whatever its headers say. This is nginx's
``set_real_ip_from`` with ``real_ip_recursive on``.

Why not django-ipware, the usual library: it picks an entry of the forwarded
headers by position or by a list of proxies *inside* the header, but never
checks that the request came from a proxy at all (``REMOTE_ADDR`` is only its
last fallback), and by default it reads some twenty headers a client can set.
Checking the connection first and walking one header is the part that matters,
and it is these few lines.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["Address", "client_address", "parse_address", "trusted_networks"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str) -> Address | None:
    """An address as proxies write it (``203.0.113.7``, ``[2001:db8::1]:443``...), or None."""
    text = value.strip()
    if text.startswith("["):  # [IPv6] or [IPv6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:192.0.2.1 is 192.0.2.1
    return address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``BOUNDARIES_TRUSTED_PROXIES`` as networks; ValueError names an entry that is not one."""
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"BOUNDARIES_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_address(
    remote_addr: str, forwarded_for: str, trusted: Sequence[Network]
) -> Address | None:
    """The client's address: ``remote_addr`` unless it is a trusted proxy (module docstring)."""
    address = parse_address(remote_addr)
    if address is None or not _trusted(address, trusted):
        return address
    for hop in reversed(forwarded_for.split(",") if forwarded_for.strip() else []):
        written = parse_address(hop)
        if written is None:
            # Not an address: a trusted proxy writes none of these, so the proxies' chain
            # ends here; the last one of them is the best anyone can say.
            return address
        address = written
        if not _trusted(address, trusted):
            return address
    return address  # proxies all the way (a request from the proxy's own machine)

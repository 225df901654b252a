"""Refusing loopback, private, link-local, multicast and reserved addresses unless allowed.

A crawl of URLs that a user lists (``scrapy crawl urls``) may be handed any address: one of the
machine's own services (``http://127.0.0.1:8080/admin``), one of its network's
(``http://10.0.0.5/``), a cloud's metadata service (``http://169.254.169.254/``), or a public name
that resolves to one of them. None is fetched unless the user allows it by address, network or
host name (``-a allow_private=127.0.0.1,10.0.0.0/8,intranet.local``).

:class:`PrivateAddressMiddleware` checks every request of such a spider (the listed pages, their
redirects, robots.txt) before anything is sent: a host written as an address is judged by it, a
name by every address it resolves to (IPv4 and IPv6; one forbidden address is enough). A name that
does not resolve is left to the download, which fails with ``dns_lookup``. The name is resolved
again when the connection is made, so a DNS server that answers differently the second time
(DNS rebinding) is not caught: this is a guard against mistakes and careless lists, not a
sandbox.
"""

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.errors import Refused

REFUSAL_REASON = "private_address"  # the stats' and rejected_urls' name of such a refusal
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*", re.IGNORECASE)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def forbidden_kind(address: IPAddress) -> str | None:
    """What kind of address that a crawl must not reach ``address`` is ("a loopback"), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    kinds = (("a loopback", address.is_loopback), ("a link-local", address.is_link_local),
             ("a multicast", address.is_multicast), ("an unspecified", address.is_unspecified),
             ("a reserved", address.is_reserved), ("a private", address.is_private))
    return next((kind for kind, found in kinds if found), None)


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """The forbidden addresses a user allowed: networks (a single address is a /32 or /128) and host names."""

    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def allowing(cls, listed: str | None) -> "AddressPolicy":
        """The policy of ``-a allow_private=127.0.0.1,10.0.0.0/8,intranet.local``; ValueError for a malformed entry."""
        networks, hosts = [], set()
        for entry in (part.strip() for part in (listed or "").split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                if not HOST_NAME.fullmatch(entry):
                    raise ValueError(f"allow_private must list addresses, networks or host names, not {entry!r}") from None
                hosts.add(entry.lower())
        return cls(tuple(networks), frozenset(hosts))

    def refusal(self, host: str, addresses: list[IPAddress]) -> str | None:
        """Why ``host`` (resolving to ``addresses``) must not be fetched, or None when it may be."""
        if host.lower() in self.hosts:
            return None
        for address in addresses:
            kind = forbidden_kind(address)
            if kind and not any(address in network for network in self.networks):
                shown = host if literal_address(host) == address else f"{host} ({address})"
                return f"{shown} is {kind} address: not fetched unless listed in -a allow_private={address}"
        return None


async def resolve(host: str) -> list[IPAddress]:
    """Every address ``host`` resolves to (itself, when it is an address); none when it does not resolve."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in found))


class PrivateAddressMiddleware:
    """Refuses every request of a spider with an ``address_policy`` to an address the policy does not allow.

    The refused request's errback sees :class:`crawler.errors.Refused` with reason ``private_address``
    and a sentence saying which address and how to allow it. Spiders without an ``address_policy``
    (the outlets' crawls, whose addresses come from their profiles and settings) are not checked.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.resolved: dict[str, list[IPAddress]] = {}  # host -> addresses, for the crawl

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        policy = getattr(self.crawler.spider, "address_policy", None)
        host = urlsplit(request.url).hostname
        if policy is None or not host:
            return None
        if host not in self.resolved:
            self.resolved[host] = await resolve(host)
        refusal = policy.refusal(host, self.resolved[host])
        if refusal:
            raise Refused(REFUSAL_REASON, refusal)
        return None

"""URL identity: canonical URLs, and the mapping between a site and its mirror.

Articles are identified by their *public* URL (``https://www.example.com/...``)
whatever address they were fetched from, so that an archive built from a mirror,
or from the live site through another address, keeps the same keys.
"""

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
    }
)
TRACKING_PREFIXES = ("utm_", "_ga", "_hs", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=4096)  # a page's URL is made canonical three times or more (WARC, spider, dedup)
def canonicalize(url: str) -> str:
    """The URL with host case, default port, fragment and tracking parameters removed.

    Other query parameters keep their order: some sites use them for identity.
    """
    parts = urlsplit(safe_url_string(url.strip()))
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    )
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def origin(url: str) -> tuple[str, str, int | None] | None:
    """``(scheme, host, port)`` of an absolute URL, the scheme's default port filled in; None for a bad port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    return scheme, (parts.hostname or "").lower(), port


class SiteAddress:
    """Maps URLs between an outlet's public address and the address it is fetched from.

    >>> site = SiteAddress("https://www.example.com", fetch_base="http://127.0.0.1:8000")
    >>> site.to_fetch("https://www.example.com/en/world/a-1.html")
    'http://127.0.0.1:8000/en/world/a-1.html'
    >>> site.to_public("http://127.0.0.1:8000/en/world/a-1.html")
    'https://www.example.com/en/world/a-1.html'
    """

    def __init__(self, public_base: str, fetch_base: str | None = None, aliases: tuple[str, ...] = ()):
        self.public_base = public_base.rstrip("/")
        self.fetch_base = (fetch_base or public_base).rstrip("/")
        public_host = urlsplit(self.public_base).hostname or ""
        self._public_hosts = {public_host.lower(), *aliases}
        self._fetch_origin = origin(self.fetch_base)

    @property
    def fetch_domain(self) -> str:
        return urlsplit(self.fetch_base).hostname or ""

    def is_fetch_origin(self, url: str) -> bool:
        """Whether ``url`` has the scheme, host and port the site is fetched from."""
        return origin(url) == self._fetch_origin

    def is_on_site(self, url: str) -> bool:
        """Whether ``url`` is at the fetch address, or on a public host over http(s) at its default port.

        Another port or scheme of the fetch host is another server, not the site.
        """
        found = origin(url)
        if found is None:
            return False
        scheme, host, port = found
        return found == self._fetch_origin or (
            host in self._public_hosts and scheme in DEFAULT_PORTS and port == DEFAULT_PORTS[scheme]
        )

    @lru_cache(maxsize=8192)  # asked five times or more of a page (spider, WARC, pipelines); a site lives as long as its crawl
    def to_public(self, url: str) -> str:
        """Canonical public form of a URL on the site (fetch address or any public host)."""
        canonical = canonicalize(url)
        parts = urlsplit(canonical)
        if self.is_on_site(canonical):
            return canonicalize(self.public_base + urlunsplit(("", "", parts.path, parts.query, "")))
        return canonical

    def to_fetch(self, url: str) -> str:
        """The address to download a public URL from."""
        parts = urlsplit(self.to_public(url))
        return self.fetch_base + urlunsplit(("", "", parts.path, parts.query, ""))

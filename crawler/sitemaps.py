"""Reading sitemaps safely: gzip or plain, bounded in size, with a reason when unreadable."""

import zlib

from scrapy.utils.sitemap import Sitemap

GZIP_MAGIC = b"\x1f\x8b"


class SitemapError(Exception):
    """A sitemap that cannot be read; ``reason`` is a short slug for the crawl stats."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def gunzip_bounded(data: bytes, max_size: int) -> bytes:
    """Decompress a whole gzip stream, refusing one that is truncated, corrupt or too big."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        output = decompressor.decompress(data, max_size + 1)
    except zlib.error as error:
        raise SitemapError("corrupt", f"corrupt gzip data ({error})") from error
    if len(output) > max_size:
        raise SitemapError("oversized", f"decompresses to more than {max_size} bytes")
    if not decompressor.eof:
        raise SitemapError("corrupt", "gzip data is truncated")
    return output


def read_sitemap(body: bytes, max_size: int) -> Sitemap:
    """Parse a sitemap (urlset or sitemapindex) from a response body, gzipped or not."""
    if body.startswith(GZIP_MAGIC):
        body = gunzip_bounded(body, max_size)
    elif len(body) > max_size:
        raise SitemapError("oversized", f"larger than {max_size} bytes")
    try:
        sitemap = Sitemap(body)
    except Exception as error:  # lxml raises several types for garbage; all mean the same here
        raise SitemapError("malformed", f"not a sitemap ({error})") from error
    if sitemap.type not in ("urlset", "sitemapindex"):
        raise SitemapError("malformed", f"root element is {sitemap.type!r}, not urlset or sitemapindex")
    return sitemap

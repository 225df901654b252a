"""Bot-challenge pages (Cloudflare's "Just a moment..."): never the page asked for.

The downloader retries them (:mod:`crawler.middlewares`); extraction rejects one that got through.
"""

CHALLENGE_MARKERS = (
    b"<title>Just a moment...</title>",
    b"cf-browser-verification",
    b"challenge-platform",
    b"cf_chl_opt",
    b"Attention Required! | Cloudflare",
)
CHALLENGE_STATUSES = {403, 429, 503}


def is_challenge(status: int, headers, body: bytes) -> bool:
    if headers.get(b"cf-mitigated", b"").lower() == b"challenge":
        return True
    head = body[:20000]
    return status in CHALLENGE_STATUSES | {200} and any(marker in head for marker in CHALLENGE_MARKERS)

"""The article URLs asked for in a run: a set in the crawl's process, or one set in the frontier's
Redis shared by all its processes, so that an article linked from a feed read by one process and a
listing read by another is fetched once.

Article requests skip the duplicate filter (the spider follows their redirects itself, see
:mod:`crawler.spiders.articles`), so this set is what keeps them single. It is cleared with the
run's other keys when the run ends (:mod:`crawler.frontier.run`).
"""


class RequestedUrls:
    """The article URLs asked for in this process's run."""

    def __init__(self):
        self.urls: set[str] = set()

    @classmethod
    def for_crawler(cls, crawler) -> "RequestedUrls":
        """The set this crawl shares: its frontier's when ``FRONTIER_URL`` is set."""
        settings = crawler.settings
        if not settings.get("FRONTIER_URL"):
            return cls()
        from crawler.frontier.shared_requested import SharedRequestedUrls  # imports redis: only for a frontier

        return SharedRequestedUrls.for_crawler(crawler)

    def claim(self, url: str) -> bool:
        """True the first time ``url`` is claimed in the run: the caller asks for it."""
        if url in self.urls:
            return False
        self.urls.add(url)
        return True

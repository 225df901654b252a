"""Settings of the news archive crawler.

Every setting the project adds carries a prefix (``ARCHIVE_``, ``NEARDUP_``, ``OUTLET_``,
``CHALLENGE_``, ``SITEMAP_``, ``RETRY_AFTER_``, ``FRONTIER_``) and a comment. Any of them can be changed for one run
with ``scrapy crawl urdupoint -s NAME=value``.
"""

from scrapy.settings import default_settings

BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # scrapy search, scrapy export, scrapy archive-writer

# --- Politeness -------------------------------------------------------------
ROBOTSTXT_OBEY = True
USER_AGENT = "news-archive/0.1 (news archiver for research; Scrapy)"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
CONCURRENT_ITEMS = 4  # outputs of one response processed at once; an article page gives one item,
# and Scrapy's default of 100 starts 100 tasks for every response
DOWNLOAD_DELAY = 1.0  # seconds between requests to one site; AutoThrottle never goes below it
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # a news page is < 1 MiB; anything this big is not one
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2  # initial response + 2 retries = 3 requests
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # a request given up is counted and logged by the spider, and a run
# that reached nothing fails its health checks with one ERROR line (crawler/health.py)
RETRY_AFTER_MAX = 120  # seconds: the longest Retry-After of a 429 or 503 that is waited for (the retry and the
# host's other requests wait); a longer one gives the URL up for this run (crawler/retry_after.py)
REDIRECT_MAX_TIMES = 5
DUPEFILTER_CLASS = "crawler.dupefilter.RedirectLoopDupeFilter"  # Scrapy's, naming redirect loops of feeds and listings
STATS_CLASS = "crawler.stats.StatsCollector"  # Scrapy's in-memory one, without a per-call cost (crawler/stats.py)
WARN_ON_GENERATOR_RETURN_VALUE = False  # Scrapy's check, at every response, that its callback is no generator
# returning a value keeps its answer only while the bound method it was asked about lives, and that dies with its
# request: a crawl of 5,000 pages read and parsed the callback's source again 221 times, 1 ms each. Instead,
# tests/test_structure.py checks every spider's generators once.

# --- Archive ------------------------------------------------------------------
ARCHIVE_DB = "archive.db"  # SQLite file the crawl writes to; created on first use
ARCHIVE_TIMEZONE = "Asia/Karachi"  # where the days of a search or export (--since, --until) begin and end
ARCHIVE_COMMIT_INTERVAL = 1.0  # seconds: the crawl commits what it archived this often (a killed crawl
# loses at most that, which its next run fetches again); 0 commits every page on its own
ARCHIVE_WORKER_PROCESSES = None  # processes that extract pages (pipelines/workers.py): None for one per
# CPU core, 0 to extract in the crawl's own process
ARCHIVE_WORKER_NICENESS = 10  # added to the worker processes' niceness: they yield the CPU to the crawl's
# own process, which feeds them (pipelines/workers.py); 0 runs them at the crawl's priority
ARCHIVE_RETRY_REJECTED_AFTER = 6 * 3600  # seconds before a page that failed for a passing reason
# (challenge, empty body, timeout) is fetched again; doubles with each failure, up to a week.
# 404s and pages that are not articles are not fetched again.
ARCHIVE_REVISIT_MAX = 500  # most archived articles re-visited in one run with -a revisit_days=N,
# the least recently fetched first; each is asked for conditionally (If-None-Match / If-Modified-Since)
ARCHIVE_REVISIT_AFTER = 6 * 3600  # seconds: an article fetched more recently than this is not re-visited

# --- Near-duplicates (pipelines/neardup.py) -------------------------------------
NEARDUP_ENABLED = True  # link a page that nearly repeats an archived article to it instead of archiving it again
NEARDUP_THRESHOLD = 0.65  # least Jaccard similarity of two bodies' word 5-shingles that makes a near-duplicate
# (0.65: no false link in the labelled pairs of tests/neardup/; weekly template briefs reach 0.6)

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.dateline.DatelinePipeline": 200,
    "crawler.frontier.stream.StreamPipeline": 250,  # only with FRONTIER_URL: items go to scrapy archive-writer
    "pipelines.dedup.DedupPipeline": 300,  # these two are off with FRONTIER_URL: the archive writer runs them
    "pipelines.storage.StoragePipeline": 400,
}

# --- Outlets ------------------------------------------------------------------
SPIDER_LOADER_CLASS = "crawler.spiderloader.OutletSpiderLoader"  # every outlet profile is a spider of its name
OUTLET_MODULES = ["crawler.outlets"]  # where outlet profiles are found (one module per outlet)
OUTLET_BASE_URL = ""  # where the crawled outlet's pages are fetched from; empty = its public address.
# A mirror's address works too: scrapy crawl urdupoint -s OUTLET_BASE_URL=http://127.0.0.1:8000
OUTLET_SECTIONS = []  # the sections whose listing pages are walked; empty = the outlet profile's
OUTLET_MAX_LISTING_PAGES = 0  # pages walked per section listing; 0 = until archived articles are reached
# When a run's feeds, news sitemaps and listings give no article link: read the sitemaps robots.txt names and the home page
OUTLET_DISCOVERY_FALLBACK = True

# --- Conditional requests for feeds, listings and sitemaps ----------------------
# Scrapy's HTTP cache with the RFC 2616 policy keeps the last copy of each and sends
# its ETag / Last-Modified back: an unchanged page costs a 304. Articles are not cached.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = ""  # empty: beside the archive, <ARCHIVE_DB>.httpcache
HTTPCACHE_IGNORE_HTTP_CODES = [404, 410, 429, 500, 502, 503, 504]

# --- Sitemaps -----------------------------------------------------------------
SITEMAP_MAXSIZE = 50 * 1024 * 1024  # bytes a sitemap may decompress to (gzip-bomb guard)

# --- Cloudflare and other challenge pages --------------------------------------
CHALLENGE_RETRY_TIMES = 2  # a challenge page is retried this many times, then the URL is given up for this run

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's robots.txt and HTTP cache middlewares, saying an unreachable site in one line and never
    # answering a failed download with a stale cached copy (crawler/unreachable.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.unreachable.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "crawler.unreachable.HttpCacheMiddleware": 900,
    # Before RetryMiddleware (550) so that a challenge served with 503 is counted as a challenge.
    "crawler.middlewares.ChallengeMiddleware": 560,
    # Between ChallengeMiddleware and RetryMiddleware (a response meets 560, then 555, then 550): a challenge
    # served with 503 is still a challenge, and a 429 or 503 with Retry-After is retried after that wait
    # here, not at once by RetryMiddleware.
    "crawler.retry_after.RetryAfterMiddleware": 555,
    # Beside the HTTP cache (900): pages are recorded as they came off the wire (before decompression),
    # a discovery page answered 304 as the cached copy it stands for; a replay answers before the cache.
    "crawler.warc.WarcWriterMiddleware": 890,
    "crawler.warc.WarcReplayMiddleware": 880,
    # Scrapy's redirect middlewares, at their places, refusing a redirect away from the outlet's fetch address
    # (scheme, host and port): Scrapy's off-site check ignores ports.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.SameOriginMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.SameOriginRedirectMiddleware": 600,
}

# --- Raw-page archive (crawler/warc.py) ----------------------------------------
WARC_ENABLED = True  # keep every fetched response in gzipped WARC files; its location goes on the article
WARC_DIR = ""  # where the WARC files are; empty = a warc/ folder beside ARCHIVE_DB
WARC_MAX_SIZE = 100 * 1024 * 1024  # bytes: a WARC file this big is closed and the next one started
WARC_REPLAY = False  # answer every request from the WARC files in WARC_DIR instead of the network (offline re-run)

# --- Shared frontier on Redis (FRONTIER_URL) ------------------------------------
# N `scrapy crawl <outlet>` processes, on one machine or many, share one queue, one duplicate filter and
# one discovery (crawler/frontier/), and send their items to the one `scrapy archive-writer` beside the archive,
# which stores them. Off when empty: one process, no Redis, nothing of it imported.
ADDONS = {"crawler.frontier.addon.Frontier": 0}  # switches the crawl to the frontier when FRONTIER_URL is set
FRONTIER_URL = ""  # the frontier's Redis, e.g. redis://127.0.0.1:6379/0; empty = no frontier
FRONTIER_KEY_PREFIX = "news-archive"  # starts every key, then the outlet: news-archive:urdupoint:requests
FRONTIER_REQUEUE_AFTER_SECONDS = 60  # a crawl process not heard from this long is taken for dead: the requests
# it had taken go back on the queue for the others (heartbeats every quarter of it)
FRONTIER_WRITER_BATCH = 200  # stream entries scrapy archive-writer stores in one transaction, then acknowledges

# --- Reporting ----------------------------------------------------------------
STATS_FILE = ""  # write the final crawl stats as JSON to this path; off when empty

# --- Health checks, run at the end of every crawl (0 turns a check off) ------------
HEALTH_NEW_ARTICLES_WINDOW_HOURS = 48  # fail when no new article arrived for this long
HEALTH_MAX_REJECTED_RATE = 0.5  # fail when more than this share of pages gave no article
HEALTH_MAX_EMPTY_BODY_RATE = 0.2  # ... had no body text (a layout change)
HEALTH_MAX_CHALLENGE_RATE = 0.2  # ... stayed behind a bot challenge (the site blocks us)
HEALTH_MIN_FIELD_FILL = 0.5  # fail when fewer new articles than this have a published time, or a dateline
HEALTH_MIN_PAGES = 10  # rates are judged only over at least this many pages

EXTENSIONS = {
    "crawler.garbage.GarbageCollection": 0,  # collects garbage cycles less often (GC_THRESHOLD)
    "pipelines.workers.WorkerPool": 0,  # extraction and MinHash in worker processes, on every core
    "crawler.extensions.RunHistory": 0,  # before StatsFile, so the file holds the health results
    "crawler.extensions.StatsFile": 10,
}

# --- Python's garbage collector (crawler/garbage.py) ----------------------------
GC_THRESHOLD = 20_000  # new container objects between two runs of the cycle collector during a crawl
# (Python's default is 700); 0 leaves the collector as Python sets it

# --- No console that runs code in a crawl -----------------------------------------
# Scrapy's telnet console and its remote-control HTTP server each let whoever reads their password or
# token (the log, a job file in the user's profile) run Python inside an unattended crawl; neither is
# needed by a crawl run from cron. The remote control is left out of Scrapy's own extensions too:
# Scrapy imports every extension it lists, even one turned off, and this one's aiohttp costs each
# start a tenth of a second. Add "scrapy.extensions.remote_control.RemoteControl" to EXTENSIONS
# to have it back.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {
    path: order for path, order in default_settings.EXTENSIONS_BASE.items() if not path.endswith(".RemoteControl")
}

# --- Logging and Scrapy defaults we rely on -----------------------------------
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.ArchiveLogFormatter"  # an item logged by its URL (and a dropped one's
# reason), not printed with its HTML
FEED_EXPORT_ENCODING = "utf-8"

"""The raw-page archive: every response kept in WARC files, and read back by its location.

:class:`WarcWriterMiddleware` writes each response the crawl receives (HTTP status
line, headers and body as they came off the wire, before decompression) as a gzipped
WARC ``response`` record, followed by the ``request`` record that asked for it, into
``WARC_DIR`` (default: ``warc/`` beside ``ARCHIVE_DB``). A file is closed and the next
one started once it reaches ``WARC_MAX_SIZE``. Each record is its own gzip member and
is flushed when written, so a killed crawl loses at most the record it was writing.

The record's location (file name relative to ``WARC_DIR``, offset, length) goes in
``response.meta["warc_record"]``; the spider puts it on the article, the archive keeps it.
:func:`read_record` reads one record back, from a regular file inside ``WARC_DIR`` only and
within ``DOWNLOAD_MAXSIZE``; :func:`scan` lists every response record, past damaged stretches.

``WARC-Target-URI`` is the page's *public* URL (the spider's ``site.to_public``), the
article's identity whatever address it was fetched from; ``WARC-X-Fetch-URI`` keeps
the address actually fetched.

:class:`WarcReplayMiddleware` (``WARC_REPLAY``) answers requests from those records
instead of the network, so that a past crawl can be run again offline.
"""

import errno
import logging
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from isal import isal_zlib
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils._compression import _DecompressionMaxSizeExceeded, _inflate
from scrapy.utils.gz import gunzip
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
# Scrapy hands over the body de-chunked: a recorded Transfer-Encoding would make readers de-chunk it again.
DROPPED_HEADERS = frozenset({b"transfer-encoding"})
FETCH_URI = "WARC-X-Fetch-URI"
GZIP_WBITS = isal_zlib.MAX_WBITS + 16  # a gzip member, header and trailer included
GZIP_MAGIC = b"\x1f\x8b\x08"  # how every gzip member (deflate) starts: where reading resumes after damage
HEAD_BYTES = 64 * 1024  # of a record's start kept while scanning: its WARC headers are far shorter
READ_BYTES = 32 * 1024  # of a WARC file fed to the inflater at a time while scanning: a few records' worth
INFLATE_STEP = 256 * 1024  # most bytes inflated at once while scanning: a gzip bomb costs time, not memory


def warc_dir(settings) -> Path:
    """``WARC_DIR``, or ``warc/`` beside ``ARCHIVE_DB`` when it is empty."""
    configured = settings.get("WARC_DIR")
    return Path(configured) if configured else Path(settings["ARCHIVE_DB"]).resolve().parent / "warc"


@dataclass(frozen=True)
class Location:
    file: str  # relative to WARC_DIR
    offset: int
    length: int


@dataclass
class Record:
    url: str  # WARC-Target-URI: the public URL
    fetch_url: str | None
    status: int
    headers: list[tuple[str, str]]
    body: bytes  # the payload as served, Content-Encoding still applied
    content: bytes  # the payload decoded (gzip/deflate undone): the page

    def response(self, request):
        """A Scrapy response to ``request`` with what was recorded."""
        headers = Headers(self.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=self.content)
        return cls(url=request.url, status=self.status, headers=headers, body=self.body, request=request,
                   flags=["replay"])

    def page(self):
        """The page as the spider saw it (Content-Encoding undone), to read its encoding from."""
        headers = Headers(self.headers)
        cls = responsetypes.from_args(headers=headers, url=self.url, body=self.content)
        return cls(url=self.url, status=self.status, headers=headers, body=self.content)

    def header(self, name: str) -> str | None:
        """The first value of an HTTP header of the response, if it has it."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


class TooLarge(ValueError):
    """A record whose page is bigger than the size allowed, once decoded (``DOWNLOAD_MAXSIZE``)."""


def open_warc(directory: str | Path, name: str):
    """The WARC file ``name`` of ``directory``, opened for reading.

    ValueError unless it resolves to a regular file inside ``directory``: a name from
    the archive may be ``../../etc/passwd``, ``/dev/zero``, or a FIFO that would block.
    """
    root = Path(directory).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or path == root:
        raise ValueError(f"{name!r} is not inside the WARC folder {root}")
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    file = os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
        file.close()
        raise ValueError(f"{name!r} is not a regular file")
    return file


def read_record(directory: str | Path, location: Location, max_size: int = 0) -> Record:
    """The response record at ``location``; OSError or ValueError when it cannot be read.

    With ``max_size`` (``DOWNLOAD_MAXSIZE``), a record whose payload is bigger, as
    recorded or decoded, raises :class:`TooLarge` before more than that is decoded:
    a crawl records a response before the size guard refuses it.
    """
    with open_warc(directory, location.file) as file:
        size = os.fstat(file.fileno()).st_size
        if location.offset < 0 or location.length <= 0 or location.offset + location.length > size:
            raise ValueError(f"{location.file} holds no record at offset {location.offset}, length {location.length}")
        if max_size and location.length > max_size + HEAD_BYTES:  # a page's record: the page, gzipped, and headers
            raise TooLarge(f"the record at {location.file}:{location.offset} is over {max_size} bytes")
        file.seek(location.offset)
        data = file.read(location.length)
    try:
        for record in ArchiveIterator(BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                break  # a damaged location can land on another record, or a response without HTTP
            raw = record.raw_stream.read(max_size + 1) if max_size else record.raw_stream.read()
            if max_size and len(raw) > max_size:
                raise TooLarge(f"the page at {location.file}:{location.offset} is over {max_size} bytes")
            return Record(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                fetch_url=record.rec_headers.get_header(FETCH_URI),
                status=int(record.http_headers.get_statuscode() or 0),
                headers=list(record.http_headers.headers),
                body=raw,
                content=_decoded(record, raw, max_size),
            )
    except (ArchiveLoadFailed, zlib.error, isal_zlib.error, EOFError, OSError) as error:
        # not a record's start, or a corrupt one (its page's gzip too)
        raise ValueError(f"no readable record at {location.file}:{location.offset} ({error})") from None
    except _DecompressionMaxSizeExceeded:
        raise TooLarge(f"the page at {location.file}:{location.offset} decodes to over {max_size} bytes") from None
    raise ValueError(f"no response record at {location.file}:{location.offset}")


def _decoded(record, raw: bytes, max_size: int) -> bytes:
    """The payload with its Content-Encoding undone, by Scrapy's own decoders, stopped past ``max_size``."""
    encoding = (record.http_headers.get_header("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return gunzip(raw, max_size=max_size)
    if encoding == "deflate":
        return _inflate(raw, max_size=max_size)
    return raw


def scan(directory: str | Path, stats=None):
    """``(public URL, Location)`` of every response record in the WARC files of ``directory``, oldest first.

    Every record is a gzip member of its own, so a damaged stretch of a file costs only
    its own records: reading goes on at the next member's header. What is skipped is
    counted in ``stats`` (``warc/skipped/<reason>``: ``not_a_file``, ``damaged``, and
    ``cut_short`` for the end of a file a killed crawl was writing) and logged.
    """
    for path in sorted(Path(directory).glob(f"*{WARC_SUFFIX}")):
        try:
            file = open_warc(directory, path.name)
        except (OSError, ValueError) as error:  # a folder, a FIFO, a link out of the folder
            _skipped(stats, "not_a_file", "Skipped %(path)s: %(error)s", {"path": path, "error": error})
            continue
        with file:
            for offset, length, head, problem in _members(file, os.fstat(file.fileno()).st_size):
                if problem is not None:
                    _skipped(stats, problem, "Skipped %(length)d unreadable bytes at %(path)s:%(offset)d (%(problem)s)",
                             {"length": length, "path": path, "offset": offset, "problem": problem})
                    continue
                headers = _warc_headers(head)
                if headers.get("warc-type") == "response" and "warc-target-uri" in headers:
                    yield headers["warc-target-uri"], Location(path.name, offset, length)


def _skipped(stats, reason: str, message: str, arguments: dict) -> None:
    if stats is not None:
        stats.inc_value(f"warc/skipped/{reason}")
    logger.warning(message, arguments)


def _members(file, size: int) -> Iterator[tuple[int, int, bytes, str | None]]:
    """``(offset, length, head, problem)`` of each gzip member of the first ``size`` bytes of ``file``,
    ``head`` the start of what it holds.

    A stretch that is no whole member comes with its ``problem`` (``damaged``, or
    ``cut_short`` at the end of the file), up to the next gzip header after its start
    (1f 8b 08), where reading goes on.
    """
    offset = 0
    while offset < size:
        head, problem = b"", None
        try:
            length, head = _member(file, offset, size)
        except (isal_zlib.error, EOFError) as error:
            following = _find(file, GZIP_MAGIC, offset + 1, size)
            length = (size if following < 0 else following) - offset
            problem = "cut_short" if isinstance(error, EOFError) and following < 0 else "damaged"
        yield offset, length, head, problem
        offset += length


def _member(file, offset: int, size: int) -> tuple[int, bytes]:
    """The length of the gzip member at ``offset`` and the first :data:`HEAD_BYTES` it inflates to.

    It is inflated a step at a time, the rest of its output dropped: a member that
    inflates to gigabytes costs time, not memory.
    """
    inflater = isal_zlib.decompressobj(wbits=GZIP_WBITS)
    head = b""
    position = offset
    file.seek(offset)
    while not inflater.eof:
        data = file.read(min(READ_BYTES, size - position))
        if not data:
            raise EOFError("the file ends inside a gzip member")
        position += len(data)
        while data and not inflater.eof:
            output = inflater.decompress(data, INFLATE_STEP)
            if len(head) < HEAD_BYTES:
                head += output[: HEAD_BYTES - len(head)]
            data = inflater.unconsumed_tail
    return position - len(inflater.unused_data) - offset, head


def _find(file, needle: bytes, start: int, size: int) -> int:
    """The offset of the first ``needle`` in ``file`` from ``start`` (before ``size``), or -1."""
    position = start
    while position < size:
        file.seek(position)
        chunk = file.read(min(READ_BYTES, size - position))
        found = chunk.find(needle)
        if found >= 0:
            return position + found
        if len(chunk) < len(needle) or position + len(chunk) >= size:
            return -1
        position += len(chunk) - len(needle) + 1  # a needle across two chunks is found in the second
    return -1


def _warc_headers(head: bytes) -> dict[str, str]:
    """A record's WARC headers, names in lower case, from the start of the record; empty if it is none."""
    if not head.startswith(b"WARC/"):
        return {}
    block = head.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    headers = {}
    for line in block.split("\r\n")[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), value.strip())
    return headers


class MemberWriter(WARCWriter):
    """warcio's writer, each record made a gzip member of its own by ISA-L (``isal``): :meth:`member`.

    warcio compresses with zlib at level 9, which would be most of what keeping a page costs
    the crawl's process; ISA-L's default level costs several times less, for files a little
    bigger, in the same gzip format any WARC reader takes.
    """

    def __init__(self, file):
        super().__init__(file, gzip=False)

    def member(self, record) -> bytes:
        """The record as the gzip member it is written as."""
        uncompressed = BytesIO()
        self._write_warc_record(uncompressed, record)
        return isal_zlib.compress(uncompressed.getbuffer(), wbits=GZIP_WBITS)


class RotatingWarcWriter:
    """Gzipped WARC files in one directory, a new file once one reaches ``max_size`` bytes.

    Each write is whole or not at all: when the disk is full (or any write fails) the
    file is cut back to where it was, so that it stays readable to its end, and the
    error is raised for the caller to count.
    """

    def __init__(self, directory: Path, max_size: int, prefix: str):
        self.directory = directory
        self.max_size = max_size
        self.prefix = prefix
        self.file = None
        self.writer = None
        self.name = None
        self.serial = 0

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self.serial += 1
        self.name = f"{self.prefix}-{stamp}-{os.getpid()}-{self.serial:05d}{WARC_SUFFIX}"
        path = self.directory / self.name
        self.file = open(path, "xb", buffering=0)  # unbuffered: what failed to be written is not written later
        self.writer = MemberWriter(self.file)
        info = self.writer.create_warcinfo_record(self.name, {"software": "news-archive (warcio)", "format": "WARC File Format 1.1"})
        try:
            self._append(self.writer.member(info))
        except OSError:
            self.close()
            path.unlink(missing_ok=True)
            raise

    def write(self, response_record, request_record=None) -> Location:
        """Write a response record (and its request record); returns the response record's location."""
        if self.file is None:
            self._open()
        response = self.writer.member(response_record)
        request = self.writer.member(request_record) if request_record is not None else b""
        location = Location(self.name, self._append(response + request), len(response))
        if self.file.tell() >= self.max_size:
            self.close()
        return location

    def _append(self, data: bytes) -> int:
        """Write ``data`` at the end of the file, all of it or nothing; its offset."""
        offset = self.file.tell()
        try:
            rest = memoryview(data)
            while rest:
                rest = rest[self.file.write(rest):]
        except OSError:
            self._cut_back(offset)
            raise
        return offset

    def _cut_back(self, offset: int) -> None:
        """Cut the file back to ``offset``, before a record written in part; else the next record starts a new file."""
        try:
            self.file.truncate(offset)
            self.file.seek(offset)
        except OSError:
            self.close()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = self.writer = None


def records_responses(settings) -> bool:
    """Whether a crawl with these settings writes what it receives to the WARC files (a replay does not)."""
    return settings.getbool("WARC_ENABLED") and not settings.getbool("WARC_REPLAY")


def _public(crawler, url: str) -> str:
    site = getattr(crawler.spider, "site", None)
    return site.to_public(url) if site is not None else url


class WarcWriterMiddleware:
    """Writes every response to the WARC files; the record's location goes in ``meta["warc_record"]``."""

    def __init__(self, crawler, directory: Path, max_size: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.warcs = RotatingWarcWriter(directory, max_size, crawler.spidercls.name)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not records_responses(settings):
            raise NotConfigured
        return cls(crawler, warc_dir(settings), settings.getint("WARC_MAX_SIZE"))

    def spider_closed(self):
        self.warcs.close()

    def process_response(self, request, response):
        if "replay" in response.flags:
            return response
        writer = self.warcs.writer or MemberWriter(BytesIO())
        url = _public(self.crawler, response.url)
        protocol = response.protocol.upper() if (response.protocol or "").upper().startswith("HTTP/") else "HTTP/1.1"
        status_line = f"{response.status} {_reason(response.status)}"
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items()
                   if k.lower() not in DROPPED_HEADERS for v in values]
        http = StatusAndHeaders(status_line, headers, protocol=protocol)
        # With the payload's length given, warcio digests the payload once and the block once; without it,
        # it copies the payload to a temporary file and digests it three times (a page of 250 KB: 1.0 ms, not 0.7)
        record = writer.create_warc_record(url, "response", payload=BytesIO(response.body), length=len(response.body),
                                           http_headers=http, warc_headers_dict={FETCH_URI: response.url})
        request_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, values in request.headers.items() for v in values]
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_record = writer.create_warc_record(
            url, "request", payload=BytesIO(request.body or b""), length=len(request.body or b""),
            http_headers=StatusAndHeaders(f"{request.method} {target} {protocol}", request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"), FETCH_URI: request.url},
        )
        try:
            location = self.warcs.write(record, request_record)
        except OSError as error:
            self.write_failed(response, error)
            return response
        self.stats.inc_value("warc/records")
        request.meta["warc_record"] = location
        return response

    def write_failed(self, response, error: OSError) -> None:
        """Count a response whose record could not be written, by its error (``warc/failed/enospc``).

        The first is logged; the health check (:mod:`crawler.health`) reports them all at the
        end of the run, and the articles among them are fetched again by a later run.
        """
        reason = (errno.errorcode.get(error.errno) or type(error).__name__).lower()
        first = not self.stats.get_value("warc/failed")
        self.stats.inc_value("warc/failed")
        self.stats.inc_value(f"warc/failed/{reason}")
        if first:
            logger.warning("Could not write %(url)s to the WARC files: %(error)s (further failures are only counted)",
                           {"url": response.url, "error": error})


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcReplayMiddleware:
    """With ``WARC_REPLAY``, answers every request from the WARC files in ``WARC_DIR``, never the network.

    A request is matched by its public URL, so a crawl recorded from one address (a
    mirror's port) replays under any other. A URL fetched several times (a retry, a page
    reached by two links) gets its records in the order they were written, then the last
    one again. A request with no record is refused (``IgnoreRequest``), counted as
    ``replay/missing``; one whose page is over ``DOWNLOAD_MAXSIZE`` (as recorded, or
    decoded), as ``replay/too_large``; one whose record cannot be read, ``replay/unreadable``.
    """

    def __init__(self, crawler, directory: Path, max_size: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = directory
        self.max_size = max_size
        self.index: dict[str, list[Location]] = {}
        for url, location in scan(directory, self.stats):
            self.index.setdefault(url, []).append(location)
        self.served: dict[str, int] = {}
        logger.info("Replaying %(count)d recorded responses from %(dir)s", {"count": len(self.index), "dir": directory})

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_REPLAY"):
            raise NotConfigured
        return cls(crawler, warc_dir(crawler.settings), crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_request(self, request):
        url = _public(self.crawler, request.url)
        locations = self.index.get(url)
        if not locations:
            self.stats.inc_value("replay/missing")
            logger.info("Not in the WARC files, not fetched: %(url)s", {"url": request.url})
            raise IgnoreRequest(f"not in the WARC files: {request.url}")
        served = self.served.get(url, 0)
        self.served[url] = served + 1
        location = locations[min(served, len(locations) - 1)]
        try:
            record = read_record(self.directory, location, request.meta.get("download_maxsize", self.max_size))
        except TooLarge as error:
            self.stats.inc_value("replay/too_large")
            logger.warning("Not replayed, over DOWNLOAD_MAXSIZE: %(url)s: %(error)s", {"url": request.url, "error": error})
            # Named so that the request fails as too_large, as it did when it was fetched (crawler.errors)
            raise IgnoreRequest(f"over DOWNLOAD_MAXSIZE in the WARC files: {request.url}") from None
        except (OSError, ValueError) as error:
            self.stats.inc_value("replay/unreadable")
            raise IgnoreRequest(f"unreadable WARC record for {request.url}: {error}") from None
        self.stats.inc_value("replay/replayed")
        request.meta["warc_record"] = location
        return record.response(request)

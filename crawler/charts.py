"""The archive's charts as SVG text: drawn on the server, the same in the reading room and in
``scrapy report``, with no script and nothing fetched (a report is one self-contained file).
They are made to be put inside an HTML page, where an ``<svg>`` needs no namespace.

Every text that comes from the archive (outlet names, categories, places, run reasons) is
escaped. Each mark carries a ``<title>`` (the browser's tooltip, and what a screen reader
reads) and ``data-`` attributes naming what it shows, so that tests and scripts read the chart
as a person does.
"""

from datetime import date
from html import escape
from math import ceil

from crawler.coverage import Coverage, Run

WIDTH = 960
LABEL_WIDTH = 120  # the outlet names, left of the days
PANEL_HEIGHT = 70  # one outlet's bars
PANEL_GAP = 34  # run marks above, day labels below
EMPTY_MARK_HEIGHT = 6
DAY_LABEL_WIDTH = 70  # room for "20 Aug 2024" under the days
COLOURS = {"bar": "#2f6f9f", "empty": "#c0392b", "empty_band": "#fbe3e0", "run": "#7b241c", "axis": "#555"}
STYLE = (
    "font-family: system-ui, sans-serif; font-size: 11px;"
)


def _attributes(**values) -> str:
    return "".join(f' {name.replace("_", "-")}="{escape(str(value))}"' for name, value in values.items())


def coverage_chart(coverage: Coverage) -> str:
    """Articles per day, one row per outlet: a bar for each day with articles, a red mark on each day
    without, and a red triangle above each day a run failed, was stopped or did not finish."""
    days = coverage.days
    outlets = coverage.outlets
    plot_width = WIDTH - LABEL_WIDTH - 10
    step = plot_width / len(days)
    height = 20 + len(outlets) * (PANEL_HEIGHT + PANEL_GAP) + 20
    parts = [f'<svg class="coverage" role="img" viewBox="0 0 {WIDTH} {height}"'
             f' width="{WIDTH}" height="{height}" style="{STYLE}">',
             f"<title>Articles per day per outlet, {coverage.first} to {coverage.last}</title>"]
    if not outlets:
        parts.append(f'<text x="{LABEL_WIDTH}" y="40">No articles and no crawl runs in these days.</text>')
    for row, outlet in enumerate(outlets):
        top = 20 + row * (PANEL_HEIGHT + PANEL_GAP) + PANEL_GAP - 14
        parts.append(_panel(coverage, outlet, top, step))
    parts.append(_legend(height - 8))
    parts.append("</svg>")
    return "\n".join(parts)


def _panel(coverage: Coverage, outlet: str, top: float, step: float) -> str:
    counts = coverage.counts.get(outlet, {})
    highest = max(counts.values(), default=0)
    baseline = top + PANEL_HEIGHT
    parts = [f'<g class="outlet"{_attributes(data_outlet=outlet)}>',
             f'<text x="{LABEL_WIDTH - 8}" y="{baseline - PANEL_HEIGHT / 2:.1f}" text-anchor="end"'
             f' font-weight="bold">{escape(_shortened(outlet, 16))}<title>{escape(outlet)}</title></text>',
             f'<text x="{LABEL_WIDTH - 8}" y="{baseline - PANEL_HEIGHT / 2 + 14:.1f}" text-anchor="end"'
             f' fill="{COLOURS["axis"]}">max {highest:,}/day</text>',
             f'<line x1="{LABEL_WIDTH}" x2="{WIDTH - 10}" y1="{baseline}" y2="{baseline}" stroke="{COLOURS["axis"]}"/>']
    width = max(step - 1, 1)
    labelled_every = ceil(DAY_LABEL_WIDTH / step)  # days between two day labels, so that they do not overlap
    for index, day in enumerate(coverage.days):
        x = LABEL_WIDTH + index * step
        articles = counts.get(day, 0)
        if articles:
            bar = max(PANEL_HEIGHT * articles / highest, 1)
            parts.append(f'<rect class="day"{_attributes(data_day=day, data_articles=articles)} x="{x:.1f}"'
                         f' y="{baseline - bar:.1f}" width="{width:.1f}" height="{bar:.1f}" fill="{COLOURS["bar"]}">'
                         f"<title>{escape(outlet)}, {_long(day)}: {articles:,} articles</title></rect>")
        else:
            parts.append(f'<rect class="empty-band" x="{x:.1f}" y="{top}" width="{width:.1f}" height="{PANEL_HEIGHT}"'
                         f' fill="{COLOURS["empty_band"]}"/>')
            parts.append(f'<rect class="day empty"{_attributes(data_day=day, data_articles=0)} x="{x:.1f}"'
                         f' y="{baseline - EMPTY_MARK_HEIGHT}" width="{width:.1f}" height="{EMPTY_MARK_HEIGHT}"'
                         f' fill="{COLOURS["empty"]}"><title>{escape(outlet)}, {_long(day)}: no articles</title></rect>')
        for run in coverage.runs_of(outlet, day):
            if run.problem:
                parts.append(_run_mark(run, day, x + width / 2, top - 4, outlet))
        if index % labelled_every == 0:
            label = f"{day.day} {day:%b %Y}" if index == 0 or day.day <= labelled_every else str(day.day)
            parts.append(f'<text x="{x:.1f}" y="{baseline + 13}" fill="{COLOURS["axis"]}">{label}</text>')
    parts.append("</g>")
    return "\n".join(parts)


def _run_mark(run: Run, day: date, x: float, y: float, outlet: str) -> str:
    return (f'<path class="run failed"{_attributes(data_run=run.id, data_day=day)}'
            f' d="M{x - 5:.1f},{y - 8:.1f} L{x + 5:.1f},{y - 8:.1f} L{x:.1f},{y:.1f} Z" fill="{COLOURS["run"]}">'
            f"<title>Run {run.id} of {escape(outlet)} ({escape(run.mode or 'crawl')}), started {escape(run.started_at)}:"
            f" {escape(run.problem)}</title></path>")


def _legend(y: float) -> str:
    x = LABEL_WIDTH
    return (f'<g class="legend"><rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS["bar"]}"/>'
            f'<text x="{x + 14}" y="{y}">articles that day</text>'
            f'<rect x="{x + 130}" y="{y - 4}" width="10" height="{EMPTY_MARK_HEIGHT}" fill="{COLOURS["empty"]}"/>'
            f'<text x="{x + 144}" y="{y}">no articles</text>'
            f'<path d="M{x + 230},{y - 9} L{x + 240},{y - 9} L{x + 235},{y} Z" fill="{COLOURS["run"]}"/>'
            f'<text x="{x + 244}" y="{y}">a run failed, was stopped or did not finish</text></g>')


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def ranking_chart(title: str, rows: list[tuple[str, int]], link=None) -> str:
    """Horizontal bars, most first: ``rows`` of (value, articles). ``link(value)`` gives each label's
    URL (already safe to put in an attribute once escaped), or None for plain labels."""
    bar_height, gap, label_width, width = 16, 4, 180, 480
    height = 24 + max(len(rows), 1) * (bar_height + gap)
    highest = max((articles for _, articles in rows), default=0)
    parts = [f'<svg class="ranking" role="img" viewBox="0 0 {width} {height}"'
             f' width="{width}" height="{height}" style="{STYLE}">',
             f'<title>{escape(title)}</title><text x="0" y="14" font-weight="bold">{escape(title)}</text>']
    if not rows:
        parts.append(f'<text x="0" y="{24 + bar_height}" fill="{COLOURS["axis"]}">None in this archive.</text>')
    for index, (value, articles) in enumerate(rows):
        y = 24 + index * (bar_height + gap)
        bar = max((width - label_width - 60) * articles / highest, 1)
        label = f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{escape(_shortened(str(value)))}</text>'
        if link:
            label = f'<a href="{escape(link(value))}">{label}</a>'
        parts.append(f'<g class="bar"{_attributes(data_value=value, data_articles=articles)}>{label}'
                     f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" fill="{COLOURS["bar"]}">'
                     f'<title>{escape(str(value))}: {articles:,} articles</title></rect>'
                     f'<text x="{label_width + bar + 4:.1f}" y="{y + 12}">{articles:,}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def _shortened(text: str, most: int = 28) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"

"""The coverage report as one HTML file: ``scrapy report`` writes it, to mail after a cron run or
attach to a ticket.

Self-contained: the style is inline, the charts are SVG inside the page (``crawler.charts``),
there is no script, no link and nothing to fetch, so it reads the same offline, in a mail
client or years later. Every text from the archive is escaped.
"""

from datetime import datetime, timezone
from html import escape

from crawler import charts
from crawler.coverage import Report, Run

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; vertical-align: top; }
td.problem { color: #7b241c; font-weight: bold; }
td.time { white-space: nowrap; }
.rankings { display: flex; flex-wrap: wrap; gap: 1.5em; }
svg { max-width: 100%; height: auto; }
"""


def render(report: Report, archive_name: str, now: datetime | None = None) -> str:
    coverage = report.coverage
    made = (now or datetime.now(tz=timezone.utc)).isoformat(timespec="seconds")
    not_found, not_found_articles = report.places_not_found
    rankings = "".join(f"<div>{charts.ranking_chart(title, rows)}</div>" for title, rows in report.rankings.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Coverage of {escape(archive_name)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Coverage of {escape(archive_name)}</h1>
<p>Made {escape(made)}. Articles per day per outlet, {coverage.first} to {coverage.last} (days in the
outlet's own time); days without articles and runs that failed, were stopped or did not finish are
marked in red.</p>
{charts.coverage_chart(coverage)}
<h2>The last crawl runs</h2>
{_runs_table(report.last_runs)}
<h2>Most articles in these days</h2>
<div class="rankings">{rankings}</div>
<p class="places-not-found">{_not_found(not_found, not_found_articles)}</p>
</body>
</html>
"""


def _runs_table(runs: list[Run]) -> str:
    if not runs:
        return "<p>No crawl has run on this archive.</p>"
    rows = "".join(
        f"<tr><td>{run.id}</td><td>{escape(run.spider)}</td><td>{escape(run.mode or '')}</td>"
        f'<td class="time">{escape(run.started_at)}</td><td class="time">{escape(run.finished_at or "")}</td>'
        f"<td>{'' if run.new_articles is None else f'{run.new_articles:,}'}</td>"
        + (f'<td class="problem">{escape(run.problem)}</td>' if run.problem else "<td>finished, healthy</td>")
        + "</tr>"
        for run in runs
    )
    return ('<table class="runs"><thead><tr><th>Run</th><th>Outlet</th><th>Mode</th><th>Started (UTC)</th>'
            f"<th>Finished (UTC)</th><th>New articles</th><th>Health</th></tr></thead><tbody>{rows}</tbody></table>")


def _not_found(places: int, articles: int) -> str:
    if not places:
        return "Every dateline place was found in the gazetteers."
    return (f"{places:,} dateline place{'' if places == 1 else 's'} ({articles:,} article{'' if articles == 1 else 's'})"
            " not found in the gazetteers, so not on the map.")

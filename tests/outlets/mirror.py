"""Writing an outlet's mirror: what every ``tests/outlets/<name>/build.py`` ends with."""

import json
import shutil
from pathlib import Path


def write_mirror(here: Path, files: dict[str, str], routes: dict, manifest: dict) -> None:
    """Write ``here/site`` afresh and ``here/manifest.json``, byte for byte the same on every run.

    ``files`` maps a URL path to the page served there (a path ending in ``/`` is its folder's
    ``index.html``); ``routes`` is what the mirror server reads from ``_routes.json``.
    """
    site = here / "site"
    if site.exists():
        shutil.rmtree(site)
    for path, text in files.items():
        target = site / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (site / "_routes.json").write_text(json.dumps(routes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (here / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def expected_article(url: str, title: str, published_at: str, text: str, place: str | None,
                     agency: str | None = None, language: str = "en") -> dict:
    """A manifest's entry: the article as the archive must hold it, its text by its first and last 40 characters."""
    return {"url": url, "title": title, "published_at": published_at, "language": language, "dateline_place": place,
            "dateline_agency": agency, "text_starts": text[:40], "text_ends": text[-40:]}

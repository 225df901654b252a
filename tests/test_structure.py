"""The project's shape: imports run from the Scrapy layer to the pipelines, never back, only an
outlet's own profile module knows the outlet, and no spider's generator returns a value."""

import ast
import inspect
import re
from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings

from pipelines.agencies import agency_name
from pipelines.profile import Profiles
from tests.conftest import REPO

PROFILE_MODULES = REPO / "crawler" / "outlets"
GENERIC_MODULES = sorted(
    path for path in [*REPO.glob("pipelines/**/*.py"), *REPO.glob("crawler/**/*.py")]
    if PROFILE_MODULES not in path.parents and path != REPO / "crawler" / "settings.py"
)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(REPO.glob("pipelines/**/*.py")), ids=lambda path: path.name)
def test_the_pipelines_import_nothing_of_the_crawler(path):
    assert not {name for name in imported_modules(path) if name.split(".")[0] == "crawler"}


def outlet_words() -> set[str]:
    """What names an outlet: its name, the name it signs with, its host names without ``www.``. A news agency
    that is also an outlet (APP) keeps its name in the shared agency table, which all outlets' datelines use."""
    words = set()
    for profile in Profiles.from_settings(get_project_settings()):
        words.update({profile.name, profile.display_name, *profile.host_aliases})
        if profile.site:
            words.add(profile.public_base.split("://", 1)[1].removeprefix("www."))
    return {word.lower() for word in words if word and not agency_name(word)}


def test_the_outlets_are_found_and_named():
    assert {"urdupoint", "urdupoint.com"} <= outlet_words()


@pytest.mark.parametrize("path", GENERIC_MODULES, ids=lambda path: str(path.relative_to(REPO)))
def test_no_generic_module_names_an_outlet(path):
    text = path.read_text(encoding="utf-8").lower()
    named = {word for word in outlet_words() if re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text)}
    assert not named


def spider_generators() -> list[tuple[str, object]]:
    """Every generator function of every spider class (callbacks and errbacks among them), by qualified name."""
    loader = get_spider_loader(get_project_settings())
    found = {}
    for name in loader.list():
        for cls in loader.load(name).__mro__:
            for attribute, value in vars(cls).items():
                if inspect.isgeneratorfunction(value):
                    found[f"{cls.__module__}.{cls.__qualname__}.{attribute}"] = value
    return sorted(found.items())


def test_the_spiders_generators_return_no_value():
    """What Scrapy checks at every response unless WARN_ON_GENERATOR_RETURN_VALUE is off (crawler/settings.py): a
    callback that is a generator returning a value loses that value."""
    generators = spider_generators()
    assert {"crawler.spiders.articles.ArticleSpider.parse_article", "crawler.spiders.outlet.OutletSpider.parse_sitemap"} <= {
        name for name, _ in generators}
    assert [name for name, function in generators if is_generator_with_return_value(function)] == []

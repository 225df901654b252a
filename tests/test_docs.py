"""The README documents every setting the project adds and every stat a user may need."""

import re

import pytest

from crawler import settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
PROJECT_PREFIXES = ("ARCHIVE_", "OUTLET_", "SITEMAP_", "CHALLENGE_", "STATS_FILE", "HEALTH_", "NEARDUP_", "WARC_",
                    "RETRY_AFTER_", "FRONTIER_")
PROJECT_SETTINGS = sorted(name for name in vars(settings) if name.startswith(PROJECT_PREFIXES))


@pytest.mark.parametrize("name", PROJECT_SETTINGS)
def test_every_project_setting_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_the_readme_starts_with_the_demo_and_test_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)[1]
    assert [line.split("#")[0].strip() for line in first_block.splitlines()] == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")

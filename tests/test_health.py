"""The run's health checks judged from a run's stats (crawler/health.py); crawls that trip them are in test_runs.py,
test_unattended.py and test_frontier.py."""

from datetime import datetime, timezone

from crawler.health import Thresholds, check_health

LIMITS = Thresholds(new_articles_window_hours=0, max_rejected_rate=0.5, max_empty_body_rate=0.2,
                    max_challenge_rate=0.2, min_field_fill=0.5, min_pages=10)
NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


def test_a_run_that_fetched_no_page_fails_its_discovery():
    assert check_health({"discovery/requests": 12}, None, NOW, LIMITS) == {"discovery": "no page was fetched"}


def test_a_frontier_process_whose_requests_the_others_had_queued_passes_though_it_fetched_nothing():
    stats = {"discovery/requests": 12, "frontier/already_queued": 12}
    assert check_health(stats, None, NOW, LIMITS) == {}


def test_a_frontier_process_whose_every_discovery_request_failed_still_fails():
    stats = {"discovery/requests": 3, "frontier/already_queued": 9, "discovery/failed/dns_lookup": 3}
    assert check_health(stats, None, NOW, LIMITS)["discovery"].startswith("site unreachable: 3 of 3")

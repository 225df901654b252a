import pytest

from pipelines.urls import SiteAddress, canonicalize


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://WWW.UrduPoint.com/en/world/a-1.html", "https://www.urdupoint.com/en/world/a-1.html"),
        ("https://www.urdupoint.com/en/world/a-1.html#comments", "https://www.urdupoint.com/en/world/a-1.html"),
        (
            "https://www.urdupoint.com/en/world/a-1.html?utm_source=rss&utm_medium=feed&fbclid=x",
            "https://www.urdupoint.com/en/world/a-1.html",
        ),
        ("https://www.urdupoint.com/en/search?q=wheat&utm_campaign=x", "https://www.urdupoint.com/en/search?q=wheat"),
        ("https://www.urdupoint.com:443/en/", "https://www.urdupoint.com/en/"),
        ("http://127.0.0.1:8123/en/a-1.html", "http://127.0.0.1:8123/en/a-1.html"),
        ("https://www.urdupoint.com", "https://www.urdupoint.com/"),
        ("http://[::1]:8123/en/a-1.html", "http://[::1]:8123/en/a-1.html"),
        ("http://[2606:2800:220:1::1]:80/a", "http://[2606:2800:220:1::1]/a"),
    ],
    ids=["host-case", "fragment", "tracking", "keeps-real-params", "default-port", "keeps-port", "empty-path",
         "ipv6-with-port", "ipv6-default-port"],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


@pytest.fixture
def mirror_site():
    return SiteAddress("https://www.urdupoint.com", "http://127.0.0.1:8123/", aliases=("urdupoint.com",))


def test_mirror_urls_are_stored_under_the_public_address(mirror_site):
    assert mirror_site.to_public("http://127.0.0.1:8123/en/world/a-1.html?utm_source=x") == (
        "https://www.urdupoint.com/en/world/a-1.html"
    )
    assert mirror_site.to_public("https://urdupoint.com/en/world/a-1.html") == (
        "https://www.urdupoint.com/en/world/a-1.html"
    )


def test_public_urls_are_fetched_from_the_mirror(mirror_site):
    assert mirror_site.to_fetch("https://www.urdupoint.com/en/world/a-1.html") == "http://127.0.0.1:8123/en/world/a-1.html"


def test_other_sites_are_not_on_site(mirror_site):
    assert not mirror_site.is_on_site("https://example.com/en/world/a-1.html")
    assert mirror_site.to_public("https://example.com/a") == "https://example.com/a"
    assert mirror_site.is_on_site("http://127.0.0.1:8123/en/")

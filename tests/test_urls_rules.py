"""The rules of ``scrapy crawl urls`` that need no crawl: which addresses are refused, which redirects
stay on a site, whose outlet a page is, how a list file is read."""

import ipaddress

import pytest
from scrapy.utils.project import get_project_settings

from crawler.addresses import AddressPolicy
import crawler.spiders.urls
from crawler.spiders.urls import UrlsSpider, outlet_name, read_url_list, registered_domain, same_site
from pipelines.profile import Profiles


@pytest.mark.parametrize(
    "host, address, allowed, refusal",
    [
        ("127.0.0.1", "127.0.0.1", "", "127.0.0.1 is a loopback address"),
        ("localhost", "::1", "", "localhost (::1) is a loopback address"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1", "", "[::ffff:127.0.0.1] is a loopback address"),
        ("10.0.0.5", "10.0.0.5", "", "10.0.0.5 is a private address"),
        ("intranet.example.com", "192.168.1.20", "", "intranet.example.com (192.168.1.20) is a private address"),
        ("169.254.169.254", "169.254.169.254", "", "169.254.169.254 is a link-local address"),
        ("[fe80::1]", "fe80::1", "", "[fe80::1] is a link-local address"),
        ("224.0.0.1", "224.0.0.1", "", "224.0.0.1 is a multicast address"),
        ("0.0.0.0", "0.0.0.0", "", "0.0.0.0 is an unspecified address"),
        ("240.0.0.1", "240.0.0.1", "", "240.0.0.1 is a reserved address"),
        ("news.example.com", "93.184.216.34", "", None),
        ("[2606:2800:220:1::1]", "2606:2800:220:1::1", "", None),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", None),
        ("10.0.0.5", "10.0.0.5", "10.0.0.0/8", None),
        ("10.1.0.5", "10.1.0.5", "10.0.0.5", "10.1.0.5 is a private address"),
        ("intranet.local", "10.0.0.9", "Intranet.local", None),
        ("localhost", "::1", "::1", None),
    ],
    ids=["loopback", "loopback-v6-by-name", "v4-mapped-v6", "private", "name-resolving-private", "cloud-metadata",
         "link-local-v6", "multicast", "unspecified", "reserved", "public", "public-v6", "allowed-address",
         "allowed-network", "other-address", "allowed-host-name", "allowed-v6"],
)
def test_forbidden_addresses_are_refused_unless_allowed(host, address, allowed, refusal):
    found = AddressPolicy.allowing(allowed).refusal(host, [ipaddress.ip_address(address)])
    assert (found.split(": ")[0] if found else None) == refusal


@pytest.mark.parametrize(
    "url, target, same",
    [
        ("https://www.example.com/a", "https://www.example.com/b", True),
        ("http://example.com/a", "https://www.example.com/a", True),
        ("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/news/a", True),
        ("https://www.example.com/a", "https://www.example.org/a", False),
        ("https://a.github.io/x", "https://b.github.io/x", False),  # a private suffix: two owners' sites
        ("https://www.example.com/a", "ftp://www.example.com/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", True),
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/a", False),
        ("http://127.0.0.1:8000/a", "http://127.0.0.2:8000/a", False),
        ("https://www.example.com/a", "https://www.example.com:8443/a", False),
        ("http://localhost:8000/a", "http://localhost:8000/b", True),
    ],
    ids=["same-host", "www-and-https", "subdomains", "other-domain", "private-suffix", "other-scheme", "same-port",
         "other-port", "other-address", "explicit-port", "localhost"],
)
def test_redirects_stay_within_the_site(url, target, same):
    assert same_site(url, target) is same


def test_a_page_belongs_to_its_profile_outlet_or_else_its_registered_domain():
    profiles = Profiles.from_settings(get_project_settings())
    assert outlet_name("https://www.urdupoint.com/en/world/a-1.html", profiles) == "urdupoint"
    assert outlet_name("https://urdupoint.com/en/world/a-1.html", profiles) == "urdupoint"
    assert outlet_name("https://www.dawn.com/news/1234", profiles) == "dawn"
    assert outlet_name("https://www.nation.com.pk/news/1234", profiles) == "nation.com.pk"
    assert outlet_name("https://www.bbc.co.uk/news/a", profiles) == "bbc.co.uk"
    assert outlet_name("http://127.0.0.1:8000/a.html", profiles) == "127.0.0.1"
    assert registered_domain("[::1]") == "::1"


def test_a_list_file_skips_comments_and_blank_lines_and_keeps_fragments_out(tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("\ufeff# saved links\n\n  https://Example.com/a.html#top   # a comment\n"
                       "https://example.com/b.html?utm_source=x&id=2\n", encoding="utf-8")
    assert read_url_list(str(listing)) == ["https://example.com/a.html", "https://example.com/b.html?id=2"]


def test_a_list_file_is_read_once_for_the_argument_check_and_the_spider_until_it_changes(tmp_path, monkeypatch):
    reads = []
    monkeypatch.setattr(crawler.spiders.urls, "read_url_list", lambda path: reads.append(path) or read_url_list(path))
    listing = tmp_path / "list.txt"
    listing.write_text("https://example.com/a.html\n", encoding="utf-8")
    arguments = {"urls": str(listing)}
    UrlsSpider.check_arguments(arguments)  # scrapy crawl, before the crawl starts
    assert UrlsSpider(**arguments).urls == ("https://example.com/a.html",)  # then the crawl's spider
    assert len(reads) == 1
    listing.write_text("https://example.com/a.html\nhttps://example.com/b.html\n", encoding="utf-8")
    assert UrlsSpider(**arguments).urls == ("https://example.com/a.html", "https://example.com/b.html")
    assert len(reads) == 2

"""An outlet's profile: what the pipelines know of an outlet, and where they find it.

The pipelines read every page through its outlet's :class:`Profile`, looked up by the item's
``outlet`` name in :class:`Profiles` (the one interface between them and the outlets the
Scrapy layer declares). An outlet with no profile (``scrapy crawl urls`` on any site) gets
:meth:`Profiles.get`'s generic one: no hints, no time zone, no brand, which the extraction's
generic path handles.

Profiles are found, like Scrapy's spiders, in the modules the ``OUTLET_MODULES`` setting names
(module-level :class:`Profile` instances, those of submodules included), so the pipelines
never import the crawler, and ``scrapy reextract`` finds an archived row's profile by its
``outlet`` column.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from functools import cache, cached_property
from urllib.parse import urlsplit, urlunsplit

from pipelines.hints import PageHints
from pipelines.urls import SiteAddress, canonicalize, origin

SEPARATORS = "-|–—"  # between a headline and the outlet's name in a page's <title>


@dataclass(frozen=True)
class Edition:
    """One edition of an outlet (a language, a section of the site with its own layout)."""

    language: str  # ISO 639-1 code of the edition's articles
    article_path: re.Pattern  # the URL paths of its articles
    hints: PageHints = field(default_factory=PageHints)  # its page layout


@dataclass(frozen=True)
class PathAlias:
    """An old form of the outlet's URLs, kept under today's: ``host`` + ``prefix`` becomes ``replacement``."""

    host: str
    prefix: str
    replacement: str


@dataclass(frozen=True)
class Profile:
    """What the pipelines need to know of an outlet; every field but the name is optional."""

    name: str  # the archive's ``outlet`` column, and the outlet's spider name
    display_name: str = ""  # as the outlet signs its articles (plain-text export)
    public_base: str = ""  # https://www.example.com: articles are kept under their URLs there
    host_aliases: tuple[str, ...] = ()  # other public host names of the same site
    path_aliases: tuple[PathAlias, ...] = ()
    editions: tuple[Edition, ...] = ()
    timezone: tzinfo | None = None  # where a naive time on its pages is read; None: a time keeps its own offset
    title_suffixes: tuple[str, ...] = ()  # names after a separator at the end of its <title>s, cut off
    dateline_brands: tuple[str, ...] = ()  # regular expressions of the names its datelines sign with
    hints: PageHints = field(default_factory=PageHints)  # the layout of pages in no edition

    @cached_property
    def site(self) -> SiteAddress | None:
        return SiteAddress(self.public_base, aliases=self.host_aliases) if self.public_base else None

    @cached_property
    def _hints(self) -> dict[str | None, PageHints]:
        """Each edition's hints, and the profile's own (key None), with the outlet-wide knowledge filled in."""
        outlet_wide = {
            "timezone": self.timezone,
            "title_suffix": title_suffix_pattern(self.title_suffixes),
            "dateline_brand": re.compile("|".join(f"(?:{brand})" for brand in self.dateline_brands))
            if self.dateline_brands else None,
        }
        layouts = {edition.language: edition.hints for edition in self.editions}
        return {key: replace(hints, **outlet_wide) for key, hints in {**layouts, None: self.hints}.items()}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edition.language for edition in self.editions))

    def public_form(self, url: str) -> str:
        """``url`` canonical, under the outlet's public address when it is on one of its hosts."""
        parts = urlsplit(url)
        for alias in self.path_aliases:
            if (parts.hostname or "").lower() == alias.host and parts.path.startswith(alias.prefix):
                path = alias.replacement + parts.path[len(alias.prefix):]
                url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))
                break
        return self.site.to_public(url) if self.site else canonicalize(url)

    def edition_of(self, url: str) -> Edition | None:
        """The edition whose article URLs ``url`` (public, canonical) is among, if any."""
        path = urlsplit(url).path
        return next((edition for edition in self.editions if edition.article_path.match(path)), None)

    def hints_for(self, url: str) -> PageHints:
        """The extraction hints of the page at ``url``: its edition's layout, or the profile's."""
        edition = self.edition_of(url)
        return self._hints[edition.language if edition else None]

    def language_of(self, url: str) -> str | None:
        edition = self.edition_of(url)
        return edition.language if edition else None

    def article_url(self, url: str) -> str | None:
        """The public, canonical form of an absolute ``url`` if it is one of the outlet's articles, else None.

        An outlet without editions (no article URL patterns) takes any URL on its site.
        """
        public = self.public_form(url)
        if self.site is not None and not self.site.is_on_site(public):
            return None
        if self.editions and self.edition_of(public) is None:
            return None
        return public


def title_suffix_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """``Headline - Outlet`` or ``Headline | Outlet News``: the separator, a name, and what follows it."""
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"\s*[{SEPARATORS}]\s*(?:{alternatives})[^{SEPARATORS}]*$", re.IGNORECASE)


class Profiles:
    """Every outlet's profile by name, found in the modules of the ``OUTLET_MODULES`` setting."""

    def __init__(self, profiles: list[Profile] = ()):
        self._by_name: dict[str, Profile] = {}
        self._by_origin: dict[tuple | None, Profile | None] = {}  # for_url's answers
        for profile in profiles:
            if profile.name in self._by_name and self._by_name[profile.name] is not profile:
                raise ValueError(f"two outlet profiles are named {profile.name!r}")
            self._by_name[profile.name] = profile

    @classmethod
    def from_settings(cls, settings) -> "Profiles":
        return cls.in_modules(tuple(settings.getlist("OUTLET_MODULES")))

    @classmethod
    @cache
    def in_modules(cls, module_names: tuple[str, ...]) -> "Profiles":
        """The profiles of these modules, found once: a crawl's spider loader and pipelines all ask."""
        # Imported here: importing Scrapy takes half a second, which the worker processes, importing this
        # module to extract pages, do without.
        from scrapy.utils.misc import walk_modules_iter

        found = []
        for module_name in module_names:
            for module in walk_modules_iter(module_name):
                found.extend(value for value in vars(module).values() if isinstance(value, Profile))
        return cls(found)

    def __iter__(self):
        return iter(sorted(self._by_name.values(), key=lambda profile: profile.name))

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def get(self, name: str) -> Profile:
        """The outlet's profile; a generic one, knowing nothing but the name, for an outlet without one."""
        return self._by_name.get(name) or Profile(name)

    def for_url(self, url: str) -> Profile | None:
        """The profile of the outlet whose public site ``url`` is on, if any: found once for each scheme, host and
        port, on which alone it depends (a URL-list crawl asks four times a page)."""
        key = origin(url)
        if key not in self._by_origin:
            self._by_origin[key] = next((profile for profile in self if profile.site and profile.site.is_on_site(url)), None)
        return self._by_origin[key]

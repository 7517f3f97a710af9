"""Embedded posts, videos and charts: the providers a body may embed from, their oEmbed
metadata, and the frame a reader's click loads.

A provider is data (`Provider`): the addresses it answers for, its oEmbed endpoint, how to
get the address of its player frame, and the origins that frame comes from (the article
page's Content-Security-Policy allows exactly those, and only on a page embedding it). The
built-in list below is extended, or a built-in provider replaced by name, with the setting
NEWSROOM_EMBED_PROVIDERS (checked at start-up by `check_embed_providers`).
"""

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.core import checks
from django.utils.text import get_text_list

# The longest a stored title, author or address may be.
MAX_TEXT = 300
MAX_URL = 2000
# oEmbed answers larger than this are not metadata.
MAX_ANSWER_BYTES = 256 * 1024


@dataclass(frozen=True)
class Provider:
    """One service a body may embed from."""

    name: str
    # Regular expressions a URL must match in full; named groups fill in `frame_pattern`.
    patterns: tuple[str, ...]
    # The oEmbed endpoint, asked with ?url=…&format=json.
    endpoint: str
    # Where the player frames come from ("https://www.youtube-nocookie.com").
    frame_origins: tuple[str, ...]
    # The frame's address when the oEmbed answer has no <iframe>: a format string of the
    # patterns' named groups and {url} (the pasted address, quoted).
    frame_pattern: str = ""

    def match(self, url: str) -> re.Match | None:
        """The match of `url` against this provider's patterns, or None."""
        for pattern in self.patterns:
            if found := re.fullmatch(pattern, url):
                return found
        return None

    def allows_frame(self, frame: str) -> bool:
        """Whether `frame` is an https address on one of this provider's frame origins."""
        return frame.startswith("https://") and origin(frame) in self.frame_origins

    def frame_for(self, url: str, oembed_html: str = "") -> str:
        """The player frame's address for `url`: the oEmbed answer's <iframe src> when it has
        one on an allowed origin, else `frame_pattern` filled in; "" when there is neither."""
        source = iframe_source(oembed_html)
        if source and self.allows_frame(source):
            return source
        found = self.match(url)
        if not (self.frame_pattern and found):
            return ""
        groups = {name: value or "" for name, value in found.groupdict().items()}
        return self.frame_pattern.format(**groups, url=quote(url, safe=""))


BUILT_IN = [
    Provider(
        "YouTube",
        (
            r"https://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#]*&)?v=(?P<id>[\w-]{6,20})(?:[&#].*)?",
            r"https://(?:www\.)?youtube\.com/shorts/(?P<id>[\w-]{6,20})/?(?:\?.*)?",
            r"https://youtu\.be/(?P<id>[\w-]{6,20})/?(?:\?.*)?",
        ),
        "https://www.youtube.com/oembed",
        ("https://www.youtube-nocookie.com",),
        # The privacy-enhanced player, not the oEmbed answer's youtube.com one.
        "https://www.youtube-nocookie.com/embed/{id}",
    ),
    Provider(
        "Vimeo",
        (r"https://(?:www\.)?vimeo\.com/(?P<id>\d+)/?(?:\?.*)?",),
        "https://vimeo.com/api/oembed.json",
        ("https://player.vimeo.com",),
        "https://player.vimeo.com/video/{id}?dnt=1",
    ),
    Provider(
        "X",
        (r"https://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/(?P<id>\d+)/?(?:\?.*)?",),
        "https://publish.twitter.com/oembed",
        ("https://platform.twitter.com",),
        "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
    ),
    Provider(
        "Instagram",
        (r"https://(?:www\.)?instagram\.com/(?P<kind>p|reel)/(?P<id>[\w-]+)/?(?:\?.*)?",),
        "https://graph.facebook.com/v19.0/instagram_oembed",
        ("https://www.instagram.com",),
        "https://www.instagram.com/{kind}/{id}/embed/",
    ),
    Provider(
        "Bluesky",
        (r"https://bsky\.app/profile/(?P<handle>[\w.:-]+)/post/(?P<id>\w+)/?",),
        "https://embed.bsky.app/oembed",
        ("https://embed.bsky.app",),
        "https://embed.bsky.app/embed/{handle}/app.bsky.feed.post/{id}",
    ),
    Provider(
        "Mastodon",
        (r"https://mastodon\.social/@(?P<user>\w+)/(?P<id>\d+)/?",),
        "https://mastodon.social/api/oembed",
        ("https://mastodon.social",),
        "https://mastodon.social/@{user}/{id}/embed",
    ),
    Provider(
        "TikTok",
        (r"https://(?:www\.)?tiktok\.com/@[\w.-]+/video/(?P<id>\d+)/?(?:\?.*)?",),
        "https://www.tiktok.com/oembed",
        ("https://www.tiktok.com",),
        "https://www.tiktok.com/embed/v2/{id}",
    ),
    Provider(
        "Datawrapper",
        (r"https://datawrapper\.dwcdn\.net/(?P<id>\w+)(?:/(?P<version>\d+))?/?",),
        "https://api.datawrapper.de/v3/oembed",
        ("https://datawrapper.dwcdn.net",),
        "https://datawrapper.dwcdn.net/{id}/",
    ),
    Provider(
        "Flourish",
        (r"https://public\.flourish\.studio/(?P<kind>visualisation|story)/(?P<id>\d+)/?",),
        "https://app.flourish.studio/api/v1/oembed",
        ("https://flo.uri.sh",),
        "https://flo.uri.sh/{kind}/{id}/embed",
    ),
    Provider(
        "SoundCloud",
        (r"https://(?:www\.)?soundcloud\.com/[\w-]+/[\w-]+/?",),
        "https://soundcloud.com/oembed",
        ("https://w.soundcloud.com",),
        "https://w.soundcloud.com/player/?url={url}",
    ),
    Provider(
        "Spotify",
        (
            r"https://open\.spotify\.com/(?P<kind>track|album|playlist|episode|show|artist)/"
            r"(?P<id>\w+)/?(?:\?.*)?",
        ),
        "https://open.spotify.com/oembed",
        ("https://open.spotify.com",),
        "https://open.spotify.com/embed/{kind}/{id}",
    ),
]

PROVIDER_KEYS = {"name", "patterns", "endpoint", "frame_origins", "frame_pattern"}
REQUIRED_KEYS = PROVIDER_KEYS - {"frame_pattern"}


class EmbedError(Exception):
    """Why a URL cannot be embedded, in words for the editor."""


@dataclass(frozen=True)
class Embed:
    """What a body stores of an embed, and the card the editor shows for it."""

    url: str
    provider: str
    title: str
    author: str
    thumbnail: str
    frame: str

    def attrs(self) -> dict[str, str]:
        """The attributes of the body's <figure data-embed> (see the blocks contract)."""
        return {
            "data-embed": self.url,
            "data-provider": self.provider,
            "data-title": self.title,
            "data-author": self.author,
            "data-thumbnail": self.thumbnail,
            "data-frame": self.frame,
        }

    def card(self) -> dict[str, str]:
        return {
            "provider": self.provider,
            "title": self.title,
            "author": self.author,
            "thumbnail": self.thumbnail,
        }


def providers() -> list[Provider]:
    """The built-in providers and those of NEWSROOM_EMBED_PROVIDERS (which replace a built-in
    one of the same name)."""
    added = [_provider(entry) for entry in settings.NEWSROOM_EMBED_PROVIDERS]
    names = {provider.name for provider in added}
    return [provider for provider in BUILT_IN if provider.name not in names] + added


def provider_named(name: str) -> Provider | None:
    return next((provider for provider in providers() if provider.name == name), None)


def provider_for(url: str) -> Provider | None:
    """The allowed provider `url` belongs to, or None."""
    return next((provider for provider in providers() if provider.match(url)), None)


def not_allowed_message(url: str) -> str:
    names = get_text_list([provider.name for provider in providers()], "and")
    return (
        f"“{url[:100]}” is not a link embeds are allowed from. Paste the address of a post, "
        f"video or chart on {names}, or add it as an ordinary link."
    )


def fetch(url: str) -> Embed:
    """The embed of `url`: its provider's oEmbed metadata, asked with a timeout. Raises
    EmbedError when the URL is not allowed or the provider does not answer usefully."""
    url = (url or "").strip()
    if len(url) > MAX_URL:
        raise EmbedError("The link is too long to be a post, video or chart address.")
    provider = provider_for(url)
    if provider is None:
        raise EmbedError(not_allowed_message(url))
    address = f"{provider.endpoint}?{urlencode({'url': url, 'format': 'json'})}"
    request = urllib.request.Request(  # noqa: S310 - endpoints are https (or the tests' http)
        address, headers={"Accept": "application/json", "User-Agent": "Newsroom oEmbed"}
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.NEWSROOM_EMBED_TIMEOUT
        ) as answer:
            metadata = json.loads(answer.read(MAX_ANSWER_BYTES + 1)[:MAX_ANSWER_BYTES])
    except urllib.error.HTTPError as error:
        if error.code in (401, 403, 404):
            raise EmbedError(
                f"{provider.name} does not offer this link for embedding (it may be private, "
                "deleted or not embeddable). Check the address, or add it as an ordinary link."
            ) from error
        raise EmbedError(_unavailable(provider)) from error
    except (OSError, ValueError) as error:  # timeouts, refused connections, bad JSON
        raise EmbedError(_unavailable(provider)) from error
    if not isinstance(metadata, dict):
        raise EmbedError(_unavailable(provider))
    thumbnail = _text(metadata.get("thumbnail_url"), MAX_URL)
    return Embed(
        url=url,
        provider=provider.name,
        title=_text(metadata.get("title")) or url[:MAX_TEXT],
        author=_text(metadata.get("author_name")),
        thumbnail=thumbnail if thumbnail.startswith("https://") else "",
        frame=provider.frame_for(url, _text(metadata.get("html"), MAX_ANSWER_BYTES)),
    )


def _unavailable(provider: Provider) -> str:
    return (
        f"{provider.name} did not answer in time or not usefully, so the embed could not be "
        "made. Try again in a moment."
    )


def _text(value, limit: int = MAX_TEXT) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def origin(url: str) -> str:
    """The scheme, host and port of `url` ("https://player.vimeo.com")."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _IframeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.source = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe" and not self.source:
            self.source = dict(attrs).get("src") or ""


def iframe_source(html: str) -> str:
    """The src of the first <iframe> in an oEmbed answer's html, or ""."""
    if "<iframe" not in (html or ""):
        return ""
    finder = _IframeFinder()
    finder.feed(html)
    return finder.source.strip()


def _provider(entry: dict) -> Provider:
    return Provider(
        name=entry["name"],
        patterns=tuple(entry["patterns"]),
        endpoint=entry["endpoint"],
        frame_origins=tuple(origin.rstrip("/").lower() for origin in entry["frame_origins"]),
        frame_pattern=entry.get("frame_pattern", ""),
    )


@checks.register()
def check_embed_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """NEWSROOM_EMBED_PROVIDERS must be a list of providers each with a name, URL patterns
    that compile, an http(s) oEmbed endpoint and https frame origins."""
    entries = settings.NEWSROOM_EMBED_PROVIDERS
    if not isinstance(entries, list | tuple):
        return [_error("must be a list of providers (dictionaries).", "E001")]
    errors = []
    for position, entry in enumerate(entries, start=1):
        errors += [
            _error(f"provider {position}: {problem}", "E002") for problem in _problems(entry)
        ]
    return errors


def _problems(entry) -> list[str]:
    if not isinstance(entry, dict):
        return ["must be a dictionary with the keys " + ", ".join(sorted(REQUIRED_KEYS)) + "."]
    problems = []
    if missing := REQUIRED_KEYS - entry.keys():
        problems.append(f"lacks {', '.join(sorted(missing))}.")
    if unknown := entry.keys() - PROVIDER_KEYS:
        problems.append(f"has unknown keys {', '.join(sorted(unknown))}.")
    if "name" in entry and not (isinstance(entry["name"], str) and entry["name"].strip()):
        problems.append("its name must be a non-empty text.")
    patterns = entry.get("patterns", [])
    if not isinstance(patterns, list | tuple) or not patterns:
        problems.append("its patterns must be a non-empty list of regular expressions.")
    else:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as error:
                problems.append(f"the pattern {pattern!r} is not a regular expression ({error}).")
    endpoint = entry.get("endpoint", "")
    if "endpoint" in entry and not (
        isinstance(endpoint, str) and urlsplit(endpoint).scheme in ("http", "https")
    ):
        problems.append(f"its endpoint {endpoint!r} must be an http or https address.")
    frame_origins = entry.get("frame_origins", [])
    if not isinstance(frame_origins, list | tuple):
        problems.append("its frame_origins must be a list of origins.")
    else:
        for frame_origin in frame_origins:
            if not (
                isinstance(frame_origin, str)
                and frame_origin.startswith("https://")
                and origin(frame_origin) == frame_origin.rstrip("/").lower()
            ):
                problems.append(
                    f"the frame origin {frame_origin!r} must be https://host, without a path."
                )
    if not isinstance(entry.get("frame_pattern", ""), str):
        problems.append("its frame_pattern must be a text.")
    return problems


def _error(problem: str, code: str) -> checks.Error:
    return checks.Error(
        f"NEWSROOM_EMBED_PROVIDERS: {problem}",
        hint="Each provider is a dict: name, patterns (regular expressions of the addresses it "
        "embeds), endpoint (its oEmbed address), frame_origins (https origins of its player "
        "frames) and optionally frame_pattern. See docs/editors-guide.md.",
        id=f"articles.{code}",
    )

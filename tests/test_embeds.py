"""The embed providers (articles/embeds.py): which addresses each answers for, the player frame
it gives, and the system check of NEWSROOM_EMBED_PROVIDERS. No test here reaches the internet;
fetching is tested against the fake provider in test_block_endpoints.py."""

import pytest

from articles.embeds import BUILT_IN, check_embed_providers, provider_for, providers

from .embeds_support import youtube_via


@pytest.mark.parametrize(
    ("url", "name", "frame"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "YouTube", None),
        ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://x.com/courier/status/1234567890",
            "X",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true",
        ),
        ("https://twitter.com/courier/status/1234567890", "X", None),
        ("https://www.instagram.com/p/Cabc123/", "Instagram", None),
        ("https://bsky.app/profile/courier.bsky.social/post/3kabc", "Bluesky", None),
        ("https://mastodon.social/@courier/111222333", "Mastodon", None),
        ("https://www.tiktok.com/@courier/video/7234567890", "TikTok", None),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "Datawrapper", None),
        ("https://public.flourish.studio/visualisation/1234567/", "Flourish", None),
        (
            "https://soundcloud.com/courier/episode-1",
            "SoundCloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fcourier%2F"
            "episode-1",
        ),
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "Spotify",
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
    ],
)
def test_each_built_in_provider_answers_for_its_addresses(url, name, frame):
    provider = provider_for(url)

    assert provider is not None and provider.name == name
    made = provider.frame_for(url)
    assert provider.allows_frame(made)
    if frame is not None:
        assert made == frame


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://evil.example/?u=https://vimeo.com/76979871",
        "javascript:alert(1)//https://vimeo.com/1",
        "https://mastodon.evil.example/@courier/111",
        "",
    ],
)
def test_other_addresses_are_not_embeddable(url):
    assert provider_for(url) is None


def test_the_list_names_the_eleven_providers_the_issue_asks_for():
    assert [provider.name for provider in BUILT_IN] == [
        "YouTube",
        "Vimeo",
        "X",
        "Instagram",
        "Bluesky",
        "Mastodon",
        "TikTok",
        "Datawrapper",
        "Flourish",
        "SoundCloud",
        "Spotify",
    ]


def test_the_setting_adds_providers_and_replaces_one_of_the_same_name(settings):
    added = {
        "name": "Example Video",
        "patterns": [r"https://video\.example\.com/v/(?P<id>\w+)"],
        "endpoint": "https://video.example.com/oembed",
        "frame_origins": ["https://player.example.com/"],
        "frame_pattern": "https://player.example.com/embed/{id}",
    }
    settings.NEWSROOM_EMBED_PROVIDERS = [added, youtube_via("https://127.0.0.1:1/oembed")]

    names = [provider.name for provider in providers()]
    example = provider_for("https://video.example.com/v/abc")

    assert names.count("YouTube") == 1 and names[-2:] == ["Example Video", "YouTube"]
    assert example.frame_for("https://video.example.com/v/abc") == (
        "https://player.example.com/embed/abc"
    )
    assert provider_for("https://youtu.be/dQw4w9WgXcQ") is None  # replaced: its own patterns


def test_the_system_check_accepts_good_providers(settings):
    settings.NEWSROOM_EMBED_PROVIDERS = [youtube_via("https://example.com/oembed")]

    assert check_embed_providers() == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"not": "a list"}, "NEWSROOM_EMBED_PROVIDERS: must be a list of providers"),
        (["YouTube"], "provider 1: must be a dictionary with the keys endpoint, frame_origins"),
        ([{"name": "A"}], "provider 1: lacks endpoint, frame_origins, patterns."),
        (
            [youtube_via("https://example.com/oembed") | {"patterns": ["(unclosed"]}],
            "provider 1: the pattern '(unclosed' is not a regular expression",
        ),
        (
            [youtube_via("ftp://example.com/oembed")],
            "provider 1: its endpoint 'ftp://example.com/oembed' must be an http or https",
        ),
        (
            [youtube_via("https://example.com/oembed") | {"frame_origins": ["http://x.com"]}],
            "provider 1: the frame origin 'http://x.com' must be https://host, without a path.",
        ),
        (
            [youtube_via("https://example.com/oembed") | {"frame_origins": ["https://x.com/p"]}],
            "provider 1: the frame origin 'https://x.com/p' must be https://host",
        ),
        (
            [youtube_via("https://example.com/oembed") | {"sandbox": "none"}],
            "provider 1: has unknown keys sandbox.",
        ),
    ],
)
def test_the_system_check_names_each_mistake(settings, value, problem):
    settings.NEWSROOM_EMBED_PROVIDERS = value

    errors = check_embed_providers()

    assert errors, "the mistake went unnoticed"
    assert any(problem in error.msg for error in errors), [error.msg for error in errors]
    assert all(error.id.startswith("articles.E") and error.hint for error in errors)

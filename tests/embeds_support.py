"""A fake oEmbed provider on 127.0.0.1 for the embed tests: nothing reaches the internet.

The `oembed` fixture starts it and points the YouTube provider's endpoint at it (through
NEWSROOM_EMBED_PROVIDERS, as a newsroom would add a provider); tests set what it answers.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
FRAME = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
ANSWER = {
    "type": "video",
    "version": "1.0",
    "title": "Defector speaks at the border",
    "author_name": "The Courier Video",
    "provider_name": "YouTube",
    "thumbnail_url": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
    "html": f'<iframe width="200" height="113" src="{FRAME}?feature=oembed" '
    'frameborder="0" allowfullscreen></iframe>',
}


@dataclass
class FakeProvider:
    """What the fake answers (status, JSON, a delay) and the URLs it was asked about."""

    endpoint: str = ""
    status: int = 200
    answer: dict | str = field(default_factory=lambda: dict(ANSWER))
    delay: float = 0
    asked: list[str] = field(default_factory=list)


def youtube_via(endpoint: str) -> dict:
    """The YouTube provider, as NEWSROOM_EMBED_PROVIDERS would replace it, asking `endpoint`."""
    return {
        "name": "YouTube",
        "patterns": [r"https://(?:www\.)?youtube\.com/watch\?v=(?P<id>[\w-]{6,20})"],
        "endpoint": endpoint,
        "frame_origins": ["https://www.youtube-nocookie.com"],
        "frame_pattern": "https://www.youtube-nocookie.com/embed/{id}",
    }


@pytest.fixture
def oembed(settings):
    fake = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.asked.append(parse_qs(urlsplit(self.path).query).get("url", [""])[0])
            time.sleep(fake.delay)
            body = fake.answer if isinstance(fake.answer, str) else json.dumps(fake.answer)
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.endpoint = f"http://127.0.0.1:{server.server_port}/oembed"
    settings.NEWSROOM_EMBED_PROVIDERS = [youtube_via(fake.endpoint)]
    settings.NEWSROOM_EMBED_TIMEOUT = 0.5
    yield fake
    server.shutdown()
    server.server_close()


def embed_block(url: str = VIDEO, frame: str = FRAME, **attrs: str) -> str:
    """A stored embed block, as the editor saves the server's attributes."""
    values = {
        "data-embed": url,
        "data-provider": "YouTube",
        "data-title": ANSWER["title"],
        "data-author": ANSWER["author_name"],
        "data-thumbnail": ANSWER["thumbnail_url"],
        "data-frame": frame,
    } | attrs
    rendered = " ".join(f'{name}="{value}"' for name, value in values.items())
    return f"<figure {rendered}></figure>"

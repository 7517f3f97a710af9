"""Purge requests to the caches in front of the site, by surrogate key (NEWSROOM_PURGE_URLS).

Each configured URL names its kind before a "+":

- `varnish+http://10.0.0.5:6081/`: `BAN` with a `Surrogate-Key` header, as
  deploy/varnish/newsroom.vcl expects (from an address its `purgers` ACL lists);
- `fastly+https://:TOKEN@api.fastly.com/service/SERVICE_ID/purge`: Fastly's purge by keys,
  `POST` with `Surrogate-Key` and `Fastly-Key: TOKEN`;
- `cloudflare+https://:TOKEN@api.cloudflare.com/client/v4/zones/ZONE_ID/purge_cache`:
  Cloudflare's purge by cache tags, `POST {"tags": [...]}` with `Authorization: Bearer TOKEN`.

A token is given as the URL's password and never sent in the address itself.
"""

import json
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

KINDS = ("varnish", "fastly", "cloudflare")
# Keys per request: Fastly takes 256, Cloudflare 30 tags, Varnish a header under 8 KB.
BATCH_SIZES = {"varnish": 256, "fastly": 256, "cloudflare": 30}
TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class PurgeTarget:
    """One cache in front of the site, and how to ask it to drop responses by key."""

    kind: str
    url: str
    token: str = ""

    @classmethod
    def parse(cls, text: str) -> "PurgeTarget":
        """The target a NEWSROOM_PURGE_URLS entry names; ValueError if it names none."""
        kind, _, url = text.partition("+")
        parts = urlsplit(url)
        if kind not in KINDS or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"A purge URL looks like {' or '.join(f'{kind}+https://…' for kind in KINDS)}, "
                f"not {text!r}."
            )
        address = parts.hostname + (f":{parts.port}" if parts.port else "")
        plain = urlunsplit((parts.scheme, address, parts.path or "/", parts.query, ""))
        return cls(kind, plain, parts.password or "")

    def requests(self, keys: list[str]) -> list[urllib.request.Request]:
        """The HTTP requests that purge `keys`, in batches the service accepts."""
        size = BATCH_SIZES[self.kind]
        return [self._request(keys[start : start + size]) for start in range(0, len(keys), size)]

    def _request(self, keys: list[str]) -> urllib.request.Request:
        if self.kind == "varnish":
            return urllib.request.Request(
                self.url, method="BAN", headers={"Surrogate-Key": " ".join(keys)}
            )
        if self.kind == "fastly":
            headers = {"Surrogate-Key": " ".join(keys), "Fastly-Key": self.token}
            return urllib.request.Request(self.url, method="POST", headers=headers)
        return urllib.request.Request(
            self.url,
            method="POST",
            data=json.dumps({"tags": keys}).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )

    def purge(self, keys: list[str]) -> None:
        """Send the purge; raises OSError (urllib's errors) if the cache refuses or is away."""
        for request in self.requests(keys):
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                answer.read()


def purge_targets() -> list[PurgeTarget]:
    """The caches NEWSROOM_PURGE_URLS names, in its order."""
    return [PurgeTarget.parse(text) for text in settings.NEWSROOM_PURGE_URLS]

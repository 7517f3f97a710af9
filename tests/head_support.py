"""Reading what a page tells machines in its head: meta and link elements and JSON-LD."""

import json
from html.parser import HTMLParser


class HeadParser(HTMLParser):
    """The page's meta and link elements and the text of its JSON-LD scripts, as a browser
    reads them: a script ends at the first "</script>", whatever the JSON says."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: list[dict] = []
        self.links: list[dict] = []
        self.scripts: list[str] = []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "meta":
            self.meta.append(attributes)
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.scripts[-1] += data

    def property(self, name: str) -> list[str]:
        """The content of every meta element with this property (Open Graph) or name."""
        return [
            meta["content"]
            for meta in self.meta
            if meta.get("property") == name or meta.get("name") == name
        ]

    def hrefs(self, rel: str) -> dict[str | None, str]:
        return {link.get("hreflang"): link["href"] for link in self.links if link["rel"] == rel}


def page_of(client, url: str) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200
    return HeadParser(response.content.decode())


def json_ld(client, url: str) -> list[dict]:
    """Every JSON-LD object on the page, each script parsed with json.loads."""
    objects = []
    for script in page_of(client, url).scripts:
        data = json.loads(script)
        objects += data if isinstance(data, list) else [data]
    return objects


def article_object(client, url: str) -> dict:
    """The page's JSON-LD object of the article itself."""
    [article] = [data for data in json_ld(client, url) if data["@type"].endswith("NewsArticle")]
    return article

"""Helpers for the content API's tests: the official ninjs schema and reading responses."""

import json
from pathlib import Path

from django.urls import reverse
from jsonschema import Draft202012Validator

SCHEMA = json.loads((Path(__file__).parent / "standards" / "ninjs-schema_3.1.json").read_text())
NINJS = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

LIST_URL = "/api/ninjs/articles/"


def schema_errors(item: dict) -> list[str]:
    """Every way `item` breaks the ninjs 3.1 schema (formats included), as readable lines."""
    return [f"{error.json_path}: {error.message}" for error in NINJS.iter_errors(item)]


def detail_url(article) -> str:
    return reverse("articles:api_article", kwargs={"pk": article.pk})


def item_uri(article) -> str:
    return f"http://testserver/api/ninjs/articles/{article.pk}/"


def get_item(client, article) -> dict:
    """The article's ninjs object from the API, checked against the schema."""
    response = client.get(detail_url(article))
    assert response.status_code == 200, response.content
    item = response.json()
    assert schema_errors(item) == []
    return item


def get_list(client, query: str = "") -> dict:
    """A page of the article list, with every item checked against the schema."""
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200, response.content
    page = response.json()
    for item in page["items"]:
        assert schema_errors(item) == []
    return page


def listed_uris(client, query: str = "") -> list[str]:
    return [item["uri"] for item in get_list(client, query)["items"]]

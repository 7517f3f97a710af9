"""The admin's JSON endpoints the body editor's blocks call (see the blocks contract): pictures
to choose or upload, an embed's metadata from a fake oEmbed provider on 127.0.0.1, and
published stories for "Read more"."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.embeds import BUILT_IN
from articles.timestamps import machine_time
from images.models import Image

from .conftest import ARTICLE_STATES, HIDDEN_STATES, make_article, make_section, make_staff
from .embeds_support import ANSWER, FRAME, VIDEO, oembed  # noqa: F401 - the fixture
from .images_support import make_image, picture_bytes, upload

pytestmark = pytest.mark.django_db

PICTURES = reverse("admin:articles_article_body_pictures")
EMBED = reverse("admin:articles_article_embed")
READ_MORE = reverse("admin:articles_article_read_more")


@pytest.fixture
def desk(client):
    client.force_login(make_staff("Editor"))
    return client


@pytest.fixture
def outsider(client, django_user_model):
    """Staff who may log in to the admin but neither add nor change stories."""
    user = django_user_model.objects.create_user("outsider", password="pw-out-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_article"]))
    client.force_login(user)
    return client


def test_the_endpoints_have_the_contracts_addresses():
    assert (PICTURES, EMBED, READ_MORE) == (
        "/admin/articles/article/body-pictures/",
        "/admin/articles/article/embed/",
        "/admin/articles/article/read-more/",
    )


# Pictures


def test_pictures_lists_the_library_newest_first_with_what_the_picker_shows(desk):
    older = make_image(picture_bytes((400, 300)), caption="Older", credit="A/Reuters")
    newer = make_image(picture_bytes((300, 400)), caption="Newer", alt_text="Alt of the newer")

    answer = desk.get(PICTURES).json()

    assert [result["id"] for result in answer["results"]] == [newer.pk, older.pk]
    assert answer["results"][0] == {
        "id": newer.pk,
        "title": "Newer",
        "alt": "Alt of the newer",
        "caption": "Newer",
        "credit": "Jane Doe/Reuters",
        "thumbnail": f"/images/{newer.pk}/{newer.content_key}/full/300.webp",
        "width": 300,
        "height": 400,
    }


def test_pictures_are_searched_by_every_word_and_capped_at_24(desk):
    for number in range(26):
        make_image(picture_bytes((40, 30)), caption=f"Border crossing {number}")
    make_image(picture_bytes((40, 30)), caption="Narva bridge", credit="Jane Doe")

    crossing = desk.get(PICTURES, {"q": "border  CROSSING"}).json()["results"]
    both = desk.get(PICTURES, {"q": "narva doe"}).json()["results"]

    assert len(crossing) == 24
    assert [result["caption"] for result in both] == ["Narva bridge"]


def test_pictures_lists_for_a_reporter_only_what_they_may_see(client):
    reporter = make_staff("Reporter", author_name="Rita Reporter")
    own = make_image(picture_bytes((40, 30)), uploaded_by=reporter)
    make_image(picture_bytes((40, 30)), uploaded_by=make_staff("Reporter"))
    published = make_image(picture_bytes((40, 30)))
    make_article(lead_picture=published)
    client.force_login(reporter)

    results = client.get(PICTURES).json()["results"]

    assert {result["id"] for result in results} == {own.pk, published.pk}


def test_upload_goes_through_the_librarys_form_and_answers_201(client):
    reporter = make_staff("Reporter")
    client.force_login(reporter)

    response = client.post(
        PICTURES,
        {
            "file": upload(picture_bytes((800, 600))),
            "alt": "Gleb Karakulov at the border.",
            "caption": "At the crossing.",
            "credit": "Jane Doe/Reuters",
            "credit_kind": "illustration",
        },
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert (image.alt_text, image.credit_kind, image.uploaded_by) == (
        "Gleb Karakulov at the border.",
        "illustration",
        reporter,
    )
    assert response.json()["id"] == image.pk
    assert response.json()["width"] == 800


def test_upload_refuses_what_the_library_refuses_with_the_editors_field_names(desk):
    response = desk.post(
        PICTURES, {"file": upload(b"not a picture at all", "notes.jpg"), "alt": ""}
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"file", "alt"}
    assert errors["alt"] == ["This field is required."]
    assert not Image.objects.exists()


def test_upload_needs_the_permission_to_add_pictures(client, django_user_model):
    user = django_user_model.objects.create_user("writer", password="pw-writer-1", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="add_article"))
    client.force_login(user)

    listed = client.get(PICTURES)
    uploaded = client.post(PICTURES, {"file": upload(picture_bytes()), "alt": "Alt"})

    assert (listed.status_code, uploaded.status_code) == (200, 403)
    assert not Image.objects.exists()


# Embeds


def test_embed_answers_the_attributes_to_store_and_the_card(desk, oembed):  # noqa: F811
    response = desk.post(EMBED, {"url": VIDEO})

    assert response.status_code == 200
    assert response.json() == {
        "attrs": {
            "data-embed": VIDEO,
            "data-provider": "YouTube",
            "data-title": ANSWER["title"],
            "data-author": ANSWER["author_name"],
            "data-thumbnail": ANSWER["thumbnail_url"],
            "data-frame": f"{FRAME}?feature=oembed",
        },
        "card": {
            "provider": "YouTube",
            "title": ANSWER["title"],
            "author": ANSWER["author_name"],
            "thumbnail": ANSWER["thumbnail_url"],
        },
    }
    assert oembed.asked == [VIDEO]


def test_embed_takes_the_url_as_json_too(desk, oembed):  # noqa: F811
    response = desk.post(EMBED, json.dumps({"url": VIDEO}), content_type="application/json")

    assert response.json()["attrs"]["data-embed"] == VIDEO


def test_embed_without_an_iframe_in_the_answer_uses_the_providers_frame_pattern(desk, oembed):  # noqa: F811
    oembed.answer = {"title": "A post", "html": "<blockquote>A post</blockquote><script></script>"}

    attrs = desk.post(EMBED, {"url": VIDEO}).json()["attrs"]

    assert attrs["data-frame"] == FRAME
    assert (attrs["data-author"], attrs["data-thumbnail"]) == ("", "")


def test_embed_ignores_an_answers_iframe_from_elsewhere(desk, oembed):  # noqa: F811
    oembed.answer = ANSWER | {"html": '<iframe src="https://evil.example/frame"></iframe>'}

    attrs = desk.post(EMBED, {"url": VIDEO}).json()["attrs"]

    assert attrs["data-frame"] == FRAME


def test_embed_off_the_allowlist_is_400_naming_the_providers_and_asks_nobody(desk, oembed):  # noqa: F811
    response = desk.post(EMBED, {"url": "https://evil.example/watch?v=dQw4w9WgXcQ"})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("“https://evil.example/watch?v=dQw4w9WgXcQ” is not a link embeds")
    for provider in BUILT_IN:
        assert provider.name in error
    assert oembed.asked == []


@pytest.mark.parametrize("url", ["", "   ", None])
def test_embed_without_a_url_is_400(desk, url):
    response = desk.post(EMBED, {} if url is None else {"url": url})

    assert response.status_code == 400
    assert response.json() == {"error": "Paste the address of the post, video or chart."}


@pytest.mark.parametrize(
    ("status", "answer", "delay"),
    [(500, {}, 0), (200, "not json", 0), (200, ["a list"], 0), (200, ANSWER, 2)],
    ids=["error", "not-json", "not-an-object", "timeout"],
)
def test_embed_says_so_when_the_provider_fails(desk, oembed, status, answer, delay):  # noqa: F811
    oembed.status, oembed.answer, oembed.delay = status, answer, delay

    response = desk.post(EMBED, {"url": VIDEO})

    assert response.status_code == 400
    assert response.json() == {
        "error": "YouTube did not answer in time or not usefully, so the embed could not be "
        "made. Try again in a moment."
    }


def test_embed_the_provider_refuses_is_400_saying_why(desk, oembed):  # noqa: F811
    oembed.status = 404

    response = desk.post(EMBED, {"url": VIDEO})

    assert response.status_code == 400
    assert "YouTube does not offer this link for embedding" in response.json()["error"]


def test_embed_is_a_post(desk):
    assert desk.get(EMBED, {"url": VIDEO}).status_code == 405


def test_embed_is_csrf_protected(oembed):  # noqa: F811
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_staff("Editor"))

    response = browser.post(EMBED, {"url": VIDEO})

    assert response.status_code == 403
    assert oembed.asked == []


# Read more


def test_read_more_lists_published_stories_only_newest_first(desk, clock):
    section = make_section(name="World", slug="world")
    for state, fields in HIDDEN_STATES.items():
        make_article(headline=f"Defector {state}", section=section, **fields)
    older = make_article(headline="Defector older", section=section, **ARTICLE_STATES["published"])
    newer = make_article(
        headline="Defector newer",
        section=section,
        status="published",
        published_at=ARTICLE_STATES["published"]["published_at"] + timedelta(minutes=5),
    )

    results = desk.get(READ_MORE, {"q": "defector"}).json()["results"]

    assert results == [
        {
            "id": story.pk,
            "headline": story.headline,
            "section": "World",
            "url": story.get_absolute_url(),
            "published_at": machine_time(story.published_at),
        }
        for story in [newer, older]
    ]


def test_read_more_matches_every_word_and_caps_at_20(desk):
    for number in range(22):
        make_article(headline=f"Border story {number}")
    make_article(headline="Something else")

    assert len(desk.get(READ_MORE, {"q": "story border"}).json()["results"]) == 20
    assert desk.get(READ_MORE, {"q": "else"}).json()["results"][0]["headline"] == "Something else"


# Permissions


@pytest.mark.parametrize(
    ("method", "address", "data"),
    [
        ("get", PICTURES, {}),
        ("post", PICTURES, {"alt": "Alt"}),
        ("post", EMBED, {"url": VIDEO}),
        ("get", READ_MORE, {"q": "x"}),
    ],
)
def test_a_user_who_may_not_write_stories_gets_403(outsider, oembed, method, address, data):  # noqa: F811
    make_article(headline="x marks")

    response = getattr(outsider, method)(address, data)

    assert response.status_code == 403
    assert oembed.asked == []
    assert not Image.objects.exists()


@pytest.mark.parametrize("address", [PICTURES, READ_MORE])
def test_the_endpoints_need_a_login(client, address):
    response = client.get(address)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

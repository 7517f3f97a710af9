"""The admin's "view on site" shortcut, /admin/r/<content type>/<id>/: a redirect to the
public address of what the user may open in the admin, and 404 for anything else."""

import pytest
from django.contrib.contenttypes.models import ContentType
from pytest_django.asserts import assertNotContains

from articles.models import Article

from .conftest import (
    ARTICLE_STATES,
    HIDDEN_STATES,
    at,
    make_article,
    make_author,
    make_section,
    make_staff,
)
from .images_support import make_image, picture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

Status = Article.Status


@pytest.fixture
def owner():
    return make_staff("Reporter", author_name="Olga Owner")


def story(owner, state: str) -> Article:
    return make_article(
        headline="Minister resigns over leaked memo",
        slug="minister-resigns-over-leaked-memo",
        authors=[owner.author_profile],
        created_by=owner,
        **ARTICLE_STATES[state],
    )


def shortcut(obj) -> str:
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_another_reporters_unpublished_story_is_404_and_names_nothing(client, owner, state):
    article = story(owner, state)
    client.force_login(make_staff("Reporter", author_name="Pia Other"))

    response = client.get(shortcut(article))

    assert response.status_code == 404
    assert "Location" not in response
    assertNotContains(response, "minister-resigns", status_code=404)
    assertNotContains(response, "Minister resigns", status_code=404)


@pytest.mark.parametrize("state", ARTICLE_STATES)
def test_reporter_is_sent_to_the_address_of_their_own_story(client, owner, state):
    article = story(owner, state)
    client.force_login(owner)

    response = client.get(shortcut(article))

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{article.get_absolute_url()}"


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_editors_are_sent_to_the_address_of_any_story(client, owner, role):
    article = story(owner, "draft")
    client.force_login(make_staff(role))

    response = client.get(shortcut(article))

    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{article.get_absolute_url()}"


@pytest.mark.parametrize(
    "address",
    [
        "/admin/r/{article_type}/999999/",
        "/admin/r/999999/1/",
        "/admin/r/{article_type}/abc/",
        "/admin/r/abc/{article}/",
        "/admin/r/+{article_type}/{article}/",
        "/admin/r/{article_type}/99999999999999999999/",
        "/admin/r/99999999999999999999/{article}/",
        "/admin/r/{article_type}/{article}/extra/",
    ],
)
def test_unknown_or_malformed_addresses_are_404(client, owner, address):
    article = story(owner, "draft")
    client.force_login(make_staff("Reporter"))
    article_type = ContentType.objects.get_for_model(Article).pk

    response = client.get(address.format(article_type=article_type, article=article.pk))

    assert response.status_code == 404


def test_share_link_of_a_draft_is_not_reachable_through_the_shortcut(client, owner):
    link = story(owner, "draft").preview_links.create(
        created_by=owner, expires_at=at("2026-04-07 12:00")
    )
    client.force_login(make_staff("Reporter"))

    response = client.get(shortcut(link))

    assert response.status_code == 404
    assertNotContains(response, link.token, status_code=404)


def test_pictures_follow_the_picture_rules(client, owner):
    unused = make_image(picture_bytes((400, 300)), uploaded_by=owner)
    portrait = make_image(picture_bytes((400, 300)), uploaded_by=owner)
    make_author(name="Nina Rossi", photo=portrait)
    client.force_login(make_staff("Reporter"))

    hidden = client.get(shortcut(unused))
    seen = client.get(shortcut(portrait))

    assert hidden.status_code == 404
    assert seen.status_code == 302
    assert seen["Location"] == f"http://testserver{portrait.get_absolute_url()}"


def test_reporter_is_sent_to_a_section(client):
    section = make_section(slug="politics")
    client.force_login(make_staff("Reporter"))

    response = client.get(shortcut(section))

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/politics/"


def test_anonymous_visitor_is_sent_to_the_login(client, owner):
    response = client.get(shortcut(story(owner, "draft")))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

"""Writing aids on the article form: length counters, the body's counts, spellcheck in the
story's language, the writer's own byline and new sources from the citation row. The counting
itself runs in the browser (tests/browser/test_desk_journeys.py); these tests check what the
server gives it."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

from articles.forms import DISPLAYED_LENGTHS
from articles.models import Article, Byline
from articles.reading import WORDS_PER_MINUTE

from .admin_forms import admin_url, article_form
from .conftest import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/article/add/"


def attributes_of(response, element_id: str) -> str:
    """The opening tag of the element with `element_id` in the response."""
    return re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', response.content.decode())[0]


# Counters


def test_headline_and_standfirst_carry_what_search_results_and_social_cards_show(client, reporter):
    client.force_login(reporter)

    response = client.get(ADD)

    for field, lengths in [
        ("headline", {"search results": 60, "social cards": 70}),
        ("standfirst", {"search results": 155, "social cards": 200}),
    ]:
        found = re.search(
            r'data-displayed-lengths="([^"]+)"', attributes_of(response, f"id_{field}")
        )
        assert json.loads(found[1].replace("&quot;", '"')) == lengths == DISPLAYED_LENGTHS[field]
    assertContains(response, "/static/admin/articles/writing_aids.js")


def test_body_carries_the_reading_pace_of_the_story_page(client, reporter):
    client.force_login(reporter)

    response = client.get(ADD)

    assert f'data-words-per-minute="{WORDS_PER_MINUTE}"' in attributes_of(response, "id_body")


# Spellcheck in the story's language


def test_story_text_is_spellchecked_in_the_storys_language(client, reporter):
    article = make_article(language="de", created_by=reporter, status=Article.Status.DRAFT)
    client.force_login(reporter)

    response = client.get(admin_url(article))

    for field in ["kicker", "headline", "standfirst", "dateline", "body", "lead_picture_caption"]:
        tag = attributes_of(response, f"id_{field}")
        assert 'lang="de"' in tag and 'spellcheck="true"' in tag, field
    assert 'lang="de"' not in attributes_of(response, "id_slug")


def test_rich_text_editor_no_longer_switches_spellcheck_off(client, reporter):
    client.force_login(reporter)

    response = client.get(ADD)

    found = re.search(r'data-django-prose-editor-configurable="([^"]+)"', response.content.decode())
    extensions = json.loads(found[1].replace("&quot;", '"'))["extensions"]
    assert "NoSpellCheck" not in extensions
    assert "Bold" in extensions


# The writer's own byline


def test_new_storys_byline_starts_with_the_writers_author_profile(client, reporter):
    client.force_login(reporter)

    response = client.get(ADD)

    (row,) = response.context["inline_admin_formsets"][0].formset.forms
    assert row.initial == {"author": reporter.author_profile.pk}
    assertContains(response, f'<option value="{reporter.author_profile.pk}" selected>')


def test_the_byline_kept_as_it_started_is_saved(client, reporter):
    client.force_login(reporter)
    byline = [{"position": "0", "author": str(reporter.author_profile.pk)}]

    response = client.post(ADD, article_form(make_section(), byline))

    assert response.status_code == 302
    article = Article.objects.get(headline="Defector reaches Berlin")
    assert [byline.author for byline in Byline.objects.filter(article=article)] == [
        reporter.author_profile
    ]


def test_writer_without_an_author_profile_starts_with_an_empty_byline(client):
    client.force_login(make_staff("Editor"))

    response = client.get(ADD)

    (row,) = response.context["inline_admin_formsets"][0].formset.forms
    assert row.initial == {}


def test_an_existing_storys_byline_is_left_as_it_is(client, reporter):
    other = make_article(created_by=reporter, status=Article.Status.DRAFT)
    client.force_login(reporter)

    response = client.get(admin_url(other))

    bylines = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.author for form in bylines.forms] == list(other.authors.all())


# New sources from the citation row


def test_reporters_citation_row_offers_to_add_a_source(client, reporter):
    client.force_login(reporter)

    response = client.get(ADD)

    assertContains(response, 'id="add_id_citations-__prefix__-source"')
    assertContains(response, "/admin/articles/source/add/?_to_field=id&amp;_popup=1")


def test_reporter_adds_a_source_in_the_popup_and_the_row_gets_it(client, reporter):
    client.force_login(reporter)

    form = client.get("/admin/articles/source/add/?_to_field=id&_popup=1")
    response = client.post(
        "/admin/articles/source/add/?_to_field=id&_popup=1",
        {
            "name": "Meduza",
            "slug": "meduza",
            "kind": "publication",
            "_popup": "1",
            "_to_field": "id",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 200
    assertContains(response, 'src="/static/admin/js/popup_response.js"')
    assertContains(response, "&quot;obj&quot;: &quot;Meduza&quot;")
    assertNotContains(response, "<script>")  # no inline script for the policy to block


def test_citation_row_offers_no_deleting_of_sources_or_authors(client):
    client.force_login(make_staff("Editor"))

    response = client.get(ADD)

    assertNotContains(response, 'id="delete_id_citations-__prefix__-source"')
    assertNotContains(response, 'id="delete_id_bylines-0-author"')
    assertContains(response, 'id="change_id_citations-__prefix__-source"')


def test_reporter_without_the_add_permission_gets_no_add_link(client, reporter):
    reporter.groups.get().permissions.remove(Permission.objects.get(codename="add_source"))
    client.force_login(reporter)

    response = client.get(ADD)

    assertNotContains(response, 'id="add_id_citations-__prefix__-source"')

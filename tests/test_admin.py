"""The newsroom admin: the article list, the article form and the other admin screens."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, Page, Tag

from .admin_forms import article_form
from .conftest import (
    at,
    count_queries,
    make_article,
    make_author,
    make_section,
    make_source,
    make_staff,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


# Changelist


def test_changelist_shows_status_section_and_authors(editor_client):
    make_article(
        headline="Defector reaches Berlin",
        section=make_section(name="Politics"),
        authors=[make_author(name="Jens Kiffmeier"), make_author(name="Anna Brandt")],
    )
    make_article(headline="Budget talks stall", status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    assertContains(response, "Defector reaches Berlin")
    assertContains(response, "Budget talks stall")
    assertContains(response, '<td class="field-status_detail">Published</td>', html=True)
    assertContains(response, '<td class="field-status_detail">Draft</td>', html=True)
    assertContains(response, '<td class="field-section nowrap">Politics</td>', html=True)
    assertContains(response, '<td class="field-byline">Jens Kiffmeier, Anna Brandt</td>', html=True)


@pytest.fixture
def two_articles():
    """Two articles that differ in status, section, author and type of work."""
    return (
        make_article(
            headline="Defector reaches Berlin",
            type_of_work=Article.TypeOfWork.NEWS,
            authors=[make_author(name="Jens Kiffmeier")],
        ),
        make_article(
            headline="Budget talks stall",
            status=Article.Status.DRAFT,
            published_at=None,
            type_of_work=Article.TypeOfWork.OPINION,
            authors=[make_author(name="Anna Brandt")],
        ),
    )


@pytest.mark.parametrize(
    "query",
    [
        lambda draft: {"status__exact": "draft"},
        lambda draft: {"section__id__exact": draft.section.pk},
        lambda draft: {"authors__id__exact": draft.authors.get().pk},
        lambda draft: {"type_of_work__exact": "opinion"},
        lambda draft: {"q": "Budget"},
    ],
    ids=["status", "section", "author", "type_of_work", "search"],
)
def test_changelist_filters_and_search_narrow_the_list(editor_client, two_articles, query):
    _, draft = two_articles

    response = editor_client.get(CHANGELIST, query(draft))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [draft]
    assertNotContains(response, "Defector reaches Berlin")


# The session, the user and their permissions (4); the section and author filters' choices;
# the count (one: show_full_result_count is off); whether the site has its settings yet; the
# unread count in the header; the page of articles and their bylines; and the date
# drill-down's range and days.
CHANGELIST_QUERIES = 13


def test_changelist_query_count_does_not_grow_with_articles(editor_client):
    section = make_section()
    for _ in range(10):
        make_article(section=section, authors=[make_author(), make_author()])
    assert count_queries(editor_client, CHANGELIST) == CHANGELIST_QUERIES

    for _ in range(20):
        make_article(section=section, authors=[make_author(), make_author()])

    assert count_queries(editor_client, CHANGELIST) == CHANGELIST_QUERIES


# Adding and changing articles


def test_editor_adds_article_with_bylines_citations_and_tags(editor_client, editor):
    section = make_section()
    kiffmeier, brandt = make_author(), make_author()
    reuters = make_source()
    add_form = editor_client.get(ADD)
    assertContains(add_form, 'name="bylines-TOTAL_FORMS"')
    assertContains(add_form, 'name="citations-TOTAL_FORMS"')

    response = editor_client.post(
        ADD,
        article_form(
            section,
            bylines=[
                {"position": "0", "author": brandt.pk},
                {"position": "1", "author": kiffmeier.pk},
            ],
            citations=[
                {
                    "position": "0",
                    "source": reuters.pk,
                    "note": "interview with the colonel",
                    "url": "https://example.com/interview",
                }
            ],
            tags="Putin, Kremlin",
        ),
    )

    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    article = Article.objects.get()
    assert article.headline == "Defector reaches Berlin"
    assert article.created_by == editor
    assert article.ordered_authors() == [brandt, kiffmeier]
    assert set(article.tags.names()) == {"Putin", "Kremlin"}
    assert [(c.source, c.note, c.url) for c in article.citations.all()] == [
        (reuters, "interview with the colonel", "https://example.com/interview")
    ]


def test_editor_changes_headline_through_change_form(editor_client, django_user_model):
    reporter = django_user_model.objects.create_user("reporter")
    section = make_section()
    kiffmeier, brandt = make_author(), make_author()
    article = make_article(
        section=section,
        slug="defector-reaches-berlin",
        status=Article.Status.DRAFT,
        published_at=None,
        authors=[kiffmeier, brandt],
        created_by=reporter,
    )
    first, second = article.bylines.all()
    bylines = [
        {"id": first.pk, "article": article.pk, "position": "0", "author": kiffmeier.pk},
        {"id": second.pk, "article": article.pk, "position": "1", "author": brandt.pk},
    ]

    response = editor_client.post(
        change_url(article),
        article_form(section, bylines=bylines, headline="Defector arrives in Berlin"),
    )

    assertRedirects(response, CHANGELIST, fetch_redirect_response=False)
    article.refresh_from_db()
    assert article.headline == "Defector arrives in Berlin"
    assert article.ordered_authors() == [kiffmeier, brandt]
    assert article.created_by == reporter


def test_posted_script_is_removed_from_the_body(editor_client):
    response = editor_client.post(
        ADD,
        article_form(
            make_section(),
            bylines=[{"position": "0", "author": make_author().pk}],
            body='<p>Hello</p><script>alert("x")</script><p onclick="steal()">World</p>',
        ),
    )

    assert response.status_code == 302
    assert Article.objects.get().body == "<p>Hello</p><p>World</p>"


def test_the_form_cannot_set_the_status_directly(editor_client):
    response = editor_client.post(
        ADD,
        article_form(
            make_section(),
            bylines=[{"position": "0", "author": make_author().pk}],
            status="published",
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert not article.is_published


def test_article_without_byline_is_refused(editor_client):
    response = editor_client.post(ADD, article_form(make_section(), bylines=[]))

    assert response.status_code == 200
    assertContains(response, "Please submit at least 1 form.")
    assert not Article.objects.exists()


def test_blank_byline_row_is_refused(editor_client):
    response = editor_client.post(
        ADD, article_form(make_section(), bylines=[{"position": "0", "author": ""}])
    )

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_deleting_the_only_byline_is_refused(editor_client):
    section = make_section()
    author = make_author()
    article = make_article(section=section, slug="defector-reaches-berlin", authors=[author])
    byline = article.bylines.get()
    row = {"id": byline.pk, "article": article.pk, "position": "0", "author": author.pk}

    response = editor_client.post(
        change_url(article), article_form(section, bylines=[row | {"DELETE": "on"}])
    )

    assert response.status_code == 200
    assertContains(response, "Please submit at least 1 form.")
    assert list(article.bylines.all()) == [byline]


def test_takedown_before_publication_is_a_form_error(editor_client):
    response = editor_client.post(
        ADD,
        article_form(
            make_section(),
            bylines=[{"position": "0", "author": make_author().pk}],
            status="published",
            published_at_0="2026-04-05",
            published_at_1="10:00",
            expires_at_0="2026-04-05",
            expires_at_1="09:00",
        ),
    )

    assert response.status_code == 200
    assertContains(response, "The takedown time must come after the publication time.")
    assert not Article.objects.exists()


def test_duplicate_slug_in_section_is_a_form_error(editor_client):
    section = make_section()
    make_article(section=section, slug="defector-reaches-berlin")

    response = editor_client.post(
        ADD,
        article_form(section, bylines=[{"position": "0", "author": make_author().pk}]),
    )

    assert response.status_code == 200
    assert Article.objects.count() == 1


def test_change_form_of_published_article_links_to_it_on_site(editor_client):
    article = make_article(published_at=at("2026-04-01 09:00"))

    response = editor_client.get(change_url(article))

    assertContains(response, f'<a href="{article.get_absolute_url()}" class="viewsitelink">')


def test_change_form_of_draft_has_no_view_on_site_link(editor_client):
    article = make_article(status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(change_url(article))

    assert response.status_code == 200
    assertNotContains(response, "viewsitelink")
    assertNotContains(response, "View on site")


# Widgets


def test_body_uses_the_rich_text_editor(editor_client):
    response = editor_client.get(ADD)

    assertContains(response, "/static/django_prose_editor/editor.js")
    assertContains(response, 'name="body"')
    assertContains(response, "data-django-prose-editor-configurable=")


def test_tag_field_suggests_tags_through_admin_autocomplete(editor_client):
    response = editor_client.get(ADD)

    assertContains(response, 'data-tag-autocomplete="/admin/autocomplete/"')
    assertContains(response, "/static/admin/articles/tag_autocomplete.js")


TAG_AUTOCOMPLETE = "/admin/autocomplete/"
TAG_QUERY = {"term": "Pu", "app_label": "articles", "model_name": "article", "field_name": "tags"}


def test_tag_autocomplete_returns_matching_tags_to_editors(editor_client):
    putin = Tag.objects.create(name="Putin", slug="putin")
    Tag.objects.create(name="Kremlin", slug="kremlin")

    response = editor_client.get(TAG_AUTOCOMPLETE, TAG_QUERY)

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(putin.pk), "text": "Putin"}]


def test_tag_autocomplete_sends_anonymous_users_to_login(client):
    Tag.objects.create(name="Putin", slug="putin")

    response = client.get(TAG_AUTOCOMPLETE, TAG_QUERY)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_tag_autocomplete_refuses_staff_without_tag_permission(client, django_user_model):
    Tag.objects.create(name="Putin", slug="putin")
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))

    response = client.get(TAG_AUTOCOMPLETE, TAG_QUERY)

    assert response.status_code == 403


# Other screens


@pytest.mark.parametrize("model", ["section", "author", "source", "tag"])
def test_section_author_source_and_tag_screens_load(editor_client, model):
    make_article(sources=[make_source()], tags=["Putin"])

    changelist = editor_client.get(f"/admin/articles/{model}/")
    add_form = editor_client.get(f"/admin/articles/{model}/add/")

    assert (changelist.status_code, add_form.status_code) == (200, 200)
    assert changelist.context["cl"].result_count == 1


def test_taggit_stock_tag_screen_is_hidden(admin_client):
    assert admin_client.get("/admin/taggit/tag/").status_code == 404


# Policy pages

PAGES = "/admin/articles/page/"
PAGE_FORM = {"title": "Our principles", "slug": "principles", "role": "publishing_principles"}


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_editors_create_a_policy_page_that_articles_link(client, role):
    story = make_article()
    client.force_login(make_staff(role))
    assert client.get(f"{PAGES}add/").status_code == 200

    response = client.post(f"{PAGES}add/", PAGE_FORM | {"body": "<p>We check facts.</p>"})

    assert response.status_code == 302
    assert Page.objects.get(slug="principles").role == Page.Role.PUBLISHING_PRINCIPLES
    assertContains(client.get(story.get_absolute_url()), 'href="/pages/principles/"', count=2)


def test_page_list_shows_title_role_and_update_time_and_searches(admin_client):
    Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)
    Page.objects.create(title="About us", slug="about", body="<p>Founded in 1990.</p>")

    listing = admin_client.get(PAGES)
    found = admin_client.get(PAGES, {"q": "1990"})

    assertContains(listing, '<td class="field-role">Masthead</td>', html=True)
    assertContains(listing, "field-updated_at")
    assert [page.title for page in found.context["cl"].result_list] == ["About us"]


def test_second_page_with_the_same_role_is_a_form_error(admin_client):
    Page.objects.create(title="Old principles", slug="old", role=Page.Role.PUBLISHING_PRINCIPLES)

    response = admin_client.post(f"{PAGES}add/", PAGE_FORM)

    assert response.status_code == 200
    assertContains(response, "Another page has this role already; clear it there first.")
    assert Page.objects.count() == 1


def test_reporter_cannot_edit_policy_pages(client):
    page = Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)
    client.force_login(make_staff("Reporter"))

    assert client.get(PAGES).status_code == 403
    assert client.post(f"{PAGES}{page.pk}/change/", PAGE_FORM).status_code == 403
    assert Page.objects.get(pk=page.pk).title == "Masthead"

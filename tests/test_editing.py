"""Saving a story: one operation stores an article with its bylines, citations and tags,
and brings its address, search vector, revision and listings up to date once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.editing import save_story
from articles.models import Article, ArticleRedirect, Author, Citation

from .admin_forms import admin_url, edit_form
from .conftest import at, make_article, make_author, make_section, make_source, make_staff

pytestmark = pytest.mark.django_db


def new_story(**fields) -> Article:
    section = fields.pop("section", None) or make_section(slug="politics")
    return Article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        body="<p>He crossed at dawn.</p>",
        section=section,
        **fields,
    )


def vector_updates(queries) -> list[str]:
    """The statements that compute a stored search vector (PostgreSQL's to_tsvector)."""
    return [q["sql"] for q in queries if "to_tsvector" in q["sql"]]


# On SQLite there is no stored vector to refresh (search reads the rows themselves).
VECTOR_REFRESHES = 1 if connection.vendor == "postgresql" else 0


def test_saving_a_story_stores_its_parts_and_records_one_revision_of_them():
    kiffmeier, brandt = make_author(name="Jens Kiffmeier"), make_author(name="Anna Brandt")
    dossier = make_source(name="Dossier Center")
    editor = make_staff("Editor")
    article = new_story()

    revision = save_story(
        article,
        authors=[kiffmeier, brandt],
        citations=[Citation(source=dossier, note="Interview", url="https://dossier.center/")],
        tags=["Putin", "Kremlin"],
        by=editor,
    )

    assert article.ordered_authors() == [kiffmeier, brandt]
    assert [(c.source, c.note, c.position) for c in article.citations.all()] == [
        (dossier, "Interview", 0)
    ]
    assert article.revisions.get() == revision
    assert (revision.number, revision.kind, revision.created_by) == (1, "save", editor)
    assert [author["name"] for author in revision.content["authors"]] == [
        "Jens Kiffmeier",
        "Anna Brandt",
    ]
    assert revision.content["tags"] == ["Kremlin", "Putin"]
    assert Article.objects.get(pk=article.pk).version == 1


def test_saving_a_story_refreshes_its_search_vector_once_with_the_authors_and_tags(clock):
    article = new_story(status=Article.Status.PUBLISHED, published_at=at("2026-04-05 09:00"))

    with CaptureQueriesContext(connection) as queries:
        save_story(article, authors=[make_author(name="Jens Kiffmeier")], tags=["Kremlin"])

    assert len(vector_updates(queries)) == VECTOR_REFRESHES
    found = Article.objects.published().search
    assert list(found("Kiffmeier")) == list(found("Kremlin")) == [article]


def test_saving_through_the_admin_refreshes_the_search_vector_once(client):
    article = make_article(headline="Defector reaches Berlin")
    client.force_login(make_staff("Editor"))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(admin_url(article), edit_form(article, headline="Defector lands"))

    assert response.status_code == 302
    assert len(vector_updates(queries)) == VECTOR_REFRESHES
    assert article.revisions.count() == 1


def test_parts_not_given_are_kept_and_parts_given_replace_the_old_ones():
    kiffmeier, brandt = make_author(), make_author()
    article = make_article(authors=[kiffmeier], sources=[make_source()], tags=["Putin"])

    save_story(article, authors=[brandt, kiffmeier])

    assert article.ordered_authors() == [brandt, kiffmeier]
    assert article.citations.count() == 1
    assert list(article.tags.names()) == ["Putin"]


def test_saving_a_story_at_a_new_address_keeps_the_old_one_working():
    article = make_article(section=make_section(slug="politics"), slug="defector")

    article.section, article.slug = make_section(slug="world"), "defector-in-berlin"
    save_story(article)

    redirect = ArticleRedirect.objects.get()
    assert (redirect.section_slug, redirect.slug, redirect.article) == (
        "politics",
        "defector",
        article,
    )


def test_a_story_that_cannot_be_saved_whole_is_not_saved_at_all():
    article = new_story()

    with pytest.raises(ValueError, match="unsaved related object"):
        save_story(article, authors=[Author(name="Not saved yet")])

    assert not Article.objects.exists()

"""The stored search vector follows every change to a story: saving it, editing it in the
admin, restoring a revision, importing it again, and inserting stories in bulk. On PostgreSQL,
the vector is weighted and has its index."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles.editing import save_story
from articles.models import Article, Byline, Tag, TaggedArticle

from .admin_forms import admin_url, edit_form
from .conftest import at, make_author, make_section, make_staff
from .search_support import assert_vector_stored, found, postgresql_only, story
from .wirecopy_support import wire

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


# The search vector follows every change


def test_changed_headline_and_body_are_found_after_saving():
    article = story("Guard defects to the West", body="<p>He crossed at Narva.</p>")
    assert found("Narva") == ["Guard defects to the West"]

    article.headline = "Karakulov reaches Berlin"
    article.body = "<p>He flew on to Istanbul.</p>"
    save_story(article)

    assert_vector_stored(article)
    assert found("Karakulov") == found("Istanbul") == ["Karakulov reaches Berlin"]
    assert found("Narva") == found("defects") == []


def test_body_edited_in_the_admin_is_found(client):
    article = story("Guard defects to the West", body="<p>He crossed at Narva.</p>")
    client.force_login(make_staff("Editor"))

    response = client.post(
        admin_url(article), edit_form(article, body="<p>He flew on to Istanbul.</p>")
    )

    assert response.status_code == 302
    assert found("Istanbul") == ["Guard defects to the West"]
    assert found("Narva") == []


def test_author_changed_in_the_admin_is_found(client):
    article = story("Guard defects to the West", authors=[make_author(name="Jane Doe")])
    rossi = make_author(name="Nina Rossi")
    client.force_login(make_staff("Editor"))
    data = edit_form(article)
    data["bylines-0-author"] = str(rossi.pk)

    response = client.post(admin_url(article), data)

    assert response.status_code == 302
    assert [author.name for author in article.ordered_authors()] == ["Nina Rossi"]
    assert found("Rossi") == ["Guard defects to the West"]
    assert found("Doe") == []


def test_tags_changed_in_the_admin_are_found(client):
    article = story("Guard defects to the West", tags=["Budget"])
    client.force_login(make_staff("Editor"))

    response = client.post(admin_url(article), edit_form(article, tags="Sanctions, Kremlin"))

    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["Kremlin", "Sanctions"]
    assert found("Sanctions") == found("Kremlin") == ["Guard defects to the West"]
    assert found("Budget") == []


def test_authors_and_tags_brought_back_by_restoring_a_revision_are_found(client):
    article = story(
        "Guard defects to the West", authors=[make_author(name="Jane Doe")], tags=["Budget"]
    )
    client.force_login(make_staff("Editor"))
    assert client.post(admin_url(article), edit_form(article)).status_code == 302  # revision 1
    data = edit_form(article, tags="Sanctions")
    data["bylines-0-author"] = str(make_author(name="Nina Rossi").pk)
    assert client.post(admin_url(article), data).status_code == 302  # revision 2

    response = client.post(admin_url(article, "history/1/restore/"))

    assert response.status_code == 302
    assert [author.name for author in article.ordered_authors()] == ["Jane Doe"]
    assert found("Doe") == found("Budget") == ["Guard defects to the West"]
    assert found("Rossi") == found("Sanctions") == []


def wire_story(path, author: str) -> None:
    text = wire(
        header=("Created: 2026-04-04 09:00", f"By: {author}"),
        headline="Guard defects to the West. He crossed the border at Narva.",
        body=("Narva – The captain crossed on foot.",),
    )
    path.write_text(text, encoding="utf-8")


def test_imported_story_is_found_by_its_words_and_author(tmp_path):
    path = tmp_path / "guard-defects.txt"
    wire_story(path, "Jane Doe")

    call_command("import_story", str(path), "--publish", stdout=StringIO())

    article = Article.objects.get(external_id="guard-defects")
    assert_vector_stored(article)
    assert found("Narva") == found("Doe") == ["Guard defects to the West"]


def test_author_changed_by_a_new_import_is_found(tmp_path):
    path = tmp_path / "guard-defects.txt"
    wire_story(path, "Jane Doe")
    call_command("import_story", str(path), "--publish", stdout=StringIO())
    wire_story(path, "Nina Rossi")  # the same text, a new byline

    call_command("import_story", str(path), stdout=StringIO())

    article = Article.objects.get(external_id="guard-defects")
    assert [author.name for author in article.ordered_authors()] == ["Nina Rossi"]
    assert found("Rossi") == ["Guard defects to the West"]
    assert found("Doe") == []


def test_stories_inserted_in_bulk_are_found_once_their_vectors_are_updated():
    # A bulk insert skips save(), so bulk paths (the demo's generated stories) bring the
    # vectors of all their stories up to date at once, bylines and tags included.
    section, author = make_section(), make_author(name="Hannes Wiles")
    kremlin = Tag.objects.create(name="Kremlin", slug="kremlin")
    Article.objects.bulk_create(
        Article(
            headline=f"Guard defects, part {number}",
            slug=f"guard-defects-{number}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=at("2026-04-04 09:00"),
        )
        for number in (1, 2)
    )
    inserted = Article.objects.filter(section=section)
    Byline.objects.bulk_create(Byline(article=article, author=author) for article in inserted)
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=kremlin) for article in inserted
    )

    inserted.update_search_vectors()

    both = ["Guard defects, part 1", "Guard defects, part 2"]
    assert sorted(found("defects")) == sorted(found("Wiles")) == sorted(found("Kremlin")) == both
    for article in inserted:
        assert_vector_stored(article)


@postgresql_only
def test_saving_stores_the_search_vector_with_headline_weighted_highest():
    article = story("Karakulov reaches Berlin", body="<p>He crossed at Narva.</p>")

    article.refresh_from_db()
    assert "'karakulov':1A" in article.search_vector
    assert re.search(r"'narva':\d+C", article.search_vector)


@postgresql_only
def test_search_vectors_have_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector_gin'"
        )
        [(definition,)] = cursor.fetchall()

    assert "USING gin (search_vector)" in definition


@postgresql_only
def test_search_can_use_the_gin_index():
    for number in range(30):
        story(f"Story number {number}", language="de" if number % 2 else "en")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # ends with the test's transaction

    plan = Article.objects.all().search("Karakulov").explain()

    assert "article_search_vector_gin" in plan, plan

"""Revisions: every save is kept, any two compare readably, and any one can be restored."""

import importlib
import re

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.utils.text import capfirst
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.admin import ArticleAdmin
from articles.forms import ArticleForm
from articles.models import Article, Revision, snapshot
from articles.revisions import BodyRow, body_diff, compare, word_diff

from .admin_forms import CHANGELIST, admin_url, article_form, edit_form
from .conftest import make_article, make_author, make_section, make_source, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_staff("Editor", username="dokafor")
    user.first_name, user.last_name = "Daniel", "Okafor"
    user.save()
    client.force_login(user)
    return user


def add_article(client, section, authors, sources=(), **fields):
    """Add an article through the admin, as an editor would."""
    response = client.post(
        f"{CHANGELIST}add/",
        article_form(
            section,
            bylines=[{"position": str(i), "author": a.pk} for i, a in enumerate(authors)],
            citations=[
                {"position": str(i), "source": s.pk, "note": note, "url": url}
                for i, (s, note, url) in enumerate(sources)
            ],
            **fields,
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    return Article.objects.latest("pk")


def save(client, article: Article, **changes):
    response = client.post(admin_url(article), edit_form(article, **changes))
    assert response.status_code == 302
    return response


# Every save is a revision


def test_admin_save_stores_every_editorial_field_authors_citations_and_tags(client, clock, editor):
    politics = make_section(name="Politics")
    brandt, kiffmeier = make_author(name="Anna Brandt"), make_author(name="Jens Kiffmeier")
    dossier = make_source(name="Dossier Center")

    article = add_article(
        client,
        politics,
        [brandt, kiffmeier],
        [(dossier, "Interview with Gleb Karakulov", "https://dossier.center/")],
        kicker="Kremlin defection",
        headline="Defector reaches Berlin",
        standfirst="A captain of the Kremlin guard has fled.",
        dateline="Moscow",
        body="<p>He left in October.</p>",
        type_of_work="analysis",
        language="de",
        tags="Putin, Kremlin",
        seo_title="Kremlin guard captain defects to Berlin",
        meta_description="What the defector says about the president's offices.",
        social_title="He guarded the Kremlin. Now he talks.",
        social_description="A captain of the guard on the offices.",
    )

    revision = article.revisions.get()
    assert revision.content == {
        "kicker": "Kremlin defection",
        "headline": "Defector reaches Berlin",
        "slug": "defector-reaches-berlin",
        "standfirst": "A captain of the Kremlin guard has fled.",
        "dateline": "Moscow",
        "body": "<p>He left in October.</p>",
        "type_of_work": "analysis",
        "language": "de",
        "lead_picture_caption": "",
        "lead_picture": None,
        "seo_title": "Kremlin guard captain defects to Berlin",
        "meta_description": "What the defector says about the president's offices.",
        "social_title": "He guarded the Kremlin. Now he talks.",
        "social_description": "A captain of the guard on the offices.",
        "social_picture": None,
        "section": {"id": politics.pk, "name": "Politics"},
        "authors": [
            {"id": brandt.pk, "name": "Anna Brandt"},
            {"id": kiffmeier.pk, "name": "Jens Kiffmeier"},
        ],
        "citations": [
            {
                "source": {"id": dossier.pk, "name": "Dossier Center"},
                "note": "Interview with Gleb Karakulov",
                "url": "https://dossier.center/",
            }
        ],
        "tags": ["Kremlin", "Putin"],
        "related": [],
    }
    assert (revision.number, revision.kind, revision.created_by) == (1, "save", editor)
    assert revision.created_at == clock.now


def test_each_admin_save_adds_the_next_numbered_revision(client, editor):
    article = add_article(client, make_section(), [make_author()], headline="First")

    save(client, article, headline="Second")
    save(client, article, headline="Third")

    article.refresh_from_db()
    saved = [(r.number, r.version, r.kind, r.content["headline"]) for r in article.revisions.all()]
    assert saved == [(3, 3, "save", "Third"), (2, 2, "save", "Second"), (1, 1, "save", "First")]
    assert article.version == 3


def test_import_story_records_an_import_revision(tmp_path):
    path = tmp_path / "budget-vote.txt"
    path.write_text(
        "- Home page\n- Politics\nCreated:\nBy: Jane Doe\n"
        "Parliament passes the budget. The vote was close.\nBerlin – The first paragraph.\n",
        encoding="utf-8",
    )

    call_command("import_story", str(path), stdout=None)

    revision = Article.objects.get(external_id="budget-vote").revisions.get()
    assert (revision.number, revision.kind, revision.created_by) == (1, "import", None)
    assert revision.note == f"Imported from {path}"
    assert revision.content["headline"] == "Parliament passes the budget"
    assert revision.content["authors"][0]["name"] == "Jane Doe"


# The history page and comparing two revisions


@pytest.fixture
def edited(client, editor):
    """An article saved twice: its headline, standfirst and body changed in between."""
    article = add_article(
        client,
        make_section(),
        [make_author()],
        headline="Defector reaches Berlin",
        standfirst="A captain has fled.",
        body="<p>Karakulov fled in October.</p><p>He was a captain.</p>"
        "<p>He lives in Berlin.</p><p>His family is safe.</p>",
    )
    save(
        client,
        article,
        headline="Defector arrives in Berlin",
        standfirst="A captain of the guard has fled.",
        body="<p>Karakulov fled in October.</p><p>He lives in Berlin.</p>"
        "<p>His family is in Turkey.</p><p>He plans to testify.</p>",
    )
    return article


def test_history_page_lists_the_revisions_newest_first(client, edited):
    response = client.get(admin_url(edited, "history/"))

    assert response.status_code == 200
    assert [r.number for r in response.context["revisions"]] == [2, 1]
    content = response.content.decode()
    assert content.index("Defector arrives in Berlin") < content.index("Defector reaches Berlin")
    assertContains(response, "Daniel Okafor", count=2)
    assertContains(response, '<span class="revision-kind">Saved</span>', count=2)


BODY_ROW = re.compile(
    r'comparison-body__row--(\w+)">\s*<span class="comparison-body__marker">[^<]*</span>'
    r"\s*(.*?)\s*</div>",
    re.DOTALL,
)


def test_compare_shows_word_changes_in_headline_and_standfirst(client, edited):
    response = client.get(admin_url(edited, "history/compare/"), {"from": "1", "to": "2"})

    assert response.status_code == 200
    assertContains(
        response,
        "<tr><th scope='row'>Headline</th>"
        "<td>Defector <del>reaches</del><ins>arrives in</ins> Berlin</td></tr>",
        html=True,
    )
    assertContains(
        response,
        "<tr><th scope='row'>Standfirst</th>"
        "<td>A captain<ins> of the guard</ins> has fled.</td></tr>",
        html=True,
    )


def test_compare_shows_the_body_paragraph_by_paragraph(client, edited):
    response = client.get(admin_url(edited, "history/compare/"), {"from": "1", "to": "2"})

    assert BODY_ROW.findall(response.content.decode()) == [
        ("same", "Karakulov fled in October."),
        ("removed", "He was a captain."),
        ("same", "He lives in Berlin."),
        ("changed", "His family is <del>safe.</del><ins>in Turkey.</ins>"),
        ("added", "He plans to testify."),
    ]


def test_compare_works_backwards_too(client, edited):
    response = client.get(admin_url(edited, "history/compare/"), {"from": "2", "to": "1"})

    assertContains(response, "Defector <del>arrives in</del><ins>reaches</ins> Berlin")


def test_compare_without_two_revisions_goes_back_to_the_history(client, edited):
    response = client.get(admin_url(edited, "history/compare/"), {"from": "1"})

    assertRedirects(response, admin_url(edited, "history/"), fetch_redirect_response=False)


def test_compare_of_unknown_revision_is_404(client, edited):
    response = client.get(admin_url(edited, "history/compare/"), {"from": "1", "to": "9"})

    assert response.status_code == 404


# The comparison itself


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("Defector reaches Berlin", "Defector arrives in Berlin") == (
        "Defector <del>reaches</del><ins>arrives in</ins> Berlin"
    )
    assert word_diff("", "New headline") == "<ins>New headline</ins>"
    assert word_diff("Old headline", "") == "<del>Old headline</del>"
    assert word_diff("Same", "Same") == "Same"


def test_word_diff_escapes_markup_in_the_text():
    diff = word_diff("Say <b>hi</b>", 'Say <script>alert("x")</script>')

    assert "<script>" not in diff
    assert diff == (
        "Say <del>&lt;b&gt;hi&lt;/b&gt;</del>"
        "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>"
    )


def test_body_diff_pairs_paragraphs_and_marks_added_removed_and_changed():
    rows = body_diff(
        "<p>Intro.</p><h2>Escape</h2><p>Gone.</p><p>Kept.</p><p>Old wording here.</p>",
        "<p>Intro.</p><h2>Escape</h2><p>Kept.</p><p>New wording here.</p><p>Brand new.</p>",
    )

    assert rows == [
        BodyRow("same", "p", "Intro."),
        BodyRow("same", "h2", "Escape"),
        BodyRow("removed", "p", "Gone."),
        BodyRow("same", "p", "Kept."),
        BodyRow("changed", "p", "<del>Old</del><ins>New</ins> wording here."),
        BodyRow("added", "p", "Brand new."),
    ]


def test_body_diff_escapes_a_script_tag_that_slipped_into_the_text():
    rows = body_diff("", '<p>Hello</p><script>alert("x")</script><p><b>bold</b> move</p>')

    assert [(row.change, row.html) for row in rows] == [
        ("added", "Hello"),
        ("added", "bold move"),
    ]
    assert all("<script" not in row.html for row in rows)


def test_body_diff_shows_escaped_characters_of_the_stored_body_once():
    # The stored body is sanitized HTML: a typed "<script>" or "&" arrives as an entity.
    rows = body_diff(
        "<p>Tom &amp; Jerry</p>", "<p>Tom &amp; Jerry</p><p>&lt;script&gt;x&lt;/script&gt;</p>"
    )

    assert [(row.change, row.html) for row in rows] == [
        ("same", "Tom &amp; Jerry"),
        ("added", "&lt;script&gt;x&lt;/script&gt;"),
    ]


def snapshot_of(**fields) -> dict:
    return {
        "headline": "Defector reaches Berlin",
        "section": {"id": 1, "name": "Politics"},
        "authors": [{"id": 1, "name": "Jens Kiffmeier"}],
        "citations": [],
        "tags": ["Putin"],
        "body": "<p>Text.</p>",
        "type_of_work": "news",
        "language": "en",
    } | fields


def test_compare_lists_changed_placement_authors_sources_and_tags():
    comparison = compare(
        snapshot_of(),
        snapshot_of(
            section={"id": 2, "name": "World"},
            authors=[{"id": 1, "name": "Jens Kiffmeier"}, {"id": 2, "name": "Anna Brandt"}],
            citations=[{"source": {"id": 1, "name": "CNN"}, "note": "Interview", "url": ""}],
            tags=["Kremlin", "Putin"],
        ),
    )

    assert {change.label: change.html for change in comparison.fields} == {
        "Section": "<del>Politics</del><ins>World</ins>",
        "Authors": "Jens <del>Kiffmeier</del><ins>Kiffmeier, Anna Brandt</ins>",
        "Sources": "<ins>CNN – Interview</ins>",
        "Tags": "<ins>Kremlin, </ins>Putin",
    }
    assert comparison.has_changes


def changed(value):
    """Another value of the same kind as a stored one."""
    if isinstance(value, dict):
        return {"id": 999, "name": "Another"}
    if isinstance(value, list):
        return ["Another"]
    return f"{value or ''} changed"


def test_every_editorial_field_is_on_the_form_kept_in_revisions_and_compared():
    kept = snapshot(make_article(lead_picture=None))
    on_the_admin_form = {
        name for _, options in ArticleAdmin.fieldsets for name in options["fields"]
    }

    for name in Article.EDITORIAL_FIELDS:
        assert name in ArticleForm.base_fields, name
        assert name in on_the_admin_form, name
        assert name in kept, name
        if name != "body":  # compared paragraph by paragraph
            comparison = compare(kept, kept | {name: changed(kept[name])})
            assert [change.label for change in comparison.fields] == [
                capfirst(Article._meta.get_field(name).verbose_name)
            ]


def test_compare_of_identical_content_has_no_changes():
    comparison = compare(snapshot_of(), snapshot_of())

    assert comparison.fields == []
    assert not comparison.has_changes


# Restoring a revision


@pytest.fixture
def rewritten(client, editor):
    """An article whose every part changed between revision 1 and revision 2."""
    politics, world = make_section(name="Politics"), make_section(name="World")
    brandt, kiffmeier = make_author(name="Anna Brandt"), make_author(name="Jens Kiffmeier")
    dossier, cnn = make_source(name="Dossier Center"), make_source(name="CNN")
    article = add_article(
        client,
        politics,
        [brandt],
        [(dossier, "Interview", "https://dossier.center/")],
        headline="Defector reaches Berlin",
        body="<p>Original text.</p>",
        tags="Putin",
    )
    data = edit_form(article, headline="Defector arrives", body="<p>New text.</p>", tags="Kremlin")
    data |= {"section": str(world.pk), "bylines-0-author": str(kiffmeier.pk)}
    data |= {"citations-0-source": str(cnn.pk), "citations-0-note": "Broadcast"}
    assert client.post(admin_url(article), data).status_code == 302
    return article


def test_restore_brings_back_fields_authors_citations_and_tags(client, editor, rewritten):
    first = rewritten.revisions.get(number=1)

    response = client.post(admin_url(rewritten, "history/1/restore/"))

    assertRedirects(response, admin_url(rewritten), fetch_redirect_response=False)
    article = Article.objects.get(pk=rewritten.pk)
    assert (article.headline, article.body, article.section.name) == (
        "Defector reaches Berlin",
        "<p>Original text.</p>",
        "Politics",
    )
    assert [author.name for author in article.ordered_authors()] == ["Anna Brandt"]
    assert [(c.source.name, c.note, c.url) for c in article.citations.all()] == [
        ("Dossier Center", "Interview", "https://dossier.center/")
    ]
    assert list(article.tags.names()) == ["Putin"]
    restored = article.revisions.first()
    assert restored.content == first.content
    texts = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.SUCCESS]
    assert texts[-1] == "Revision 1 was restored as revision 3."


def test_restore_adds_a_revision_and_overwrites_none(client, editor, rewritten):
    kept = {r.number: r.content for r in rewritten.revisions.all()}

    client.post(admin_url(rewritten, "history/1/restore/"))

    revisions = list(rewritten.revisions.all())
    assert [(r.number, r.kind) for r in revisions] == [(3, "restore"), (2, "save"), (1, "save")]
    assert {r.number: r.content for r in revisions[1:]} == kept
    assert (revisions[0].note, revisions[0].created_by) == ("Restored revision 1", editor)
    assert Article.objects.get(pk=rewritten.pk).version == 3


def test_restore_is_403_for_a_reporter_on_their_published_article(client):
    reporter = make_staff("Reporter", author_name="Jens Kiffmeier")
    article = make_article(
        headline="Published headline", created_by=reporter, authors=[reporter.author_profile]
    )
    article.record_revision(by=reporter)
    Article.objects.filter(pk=article.pk).update(headline="Later headline")
    article.record_revision(by=reporter)
    client.force_login(reporter)

    response = client.post(admin_url(article, "history/1/restore/"))

    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == "Later headline"
    assert article.revisions.count() == 2


def test_history_offers_restore_only_to_who_may_edit(client):
    reporter = make_staff("Reporter", author_name="Jens Kiffmeier")
    article = make_article(created_by=reporter, authors=[reporter.author_profile])
    article.record_revision(by=reporter)
    article.record_revision(by=reporter)
    client.force_login(reporter)

    response = client.get(admin_url(article, "history/"))

    assert response.status_code == 200
    assertNotContains(response, "/restore/")


def test_migration_renames_old_field_names_in_stored_revisions():
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0013_lead_picture_type_of_work")
    article = make_article()
    old = {"headline": "Old", "hero_image": None, "hero_caption": "", "genre": "analysis"}
    revision = Revision.objects.create(article=article, number=1, version=1, content=old)

    migration.rename_revision_keys(apps, schema_editor=None)

    revision.refresh_from_db()
    assert revision.content == {
        "headline": "Old",
        "lead_picture": None,
        "lead_picture_caption": "",
        "type_of_work": "analysis",
    }

"""The live preview: the article form as it is, unsaved, rendered as the public article page;
nothing saved, never cached, never indexed, and only for those who may edit the story."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Article, Revision

from .admin_forms import CHANGELIST, admin_url, article_form, edit_form
from .conftest import make_article, make_author, make_section, make_source, make_staff

pytestmark = pytest.mark.django_db

NEW_STORY_PREVIEW = f"{CHANGELIST}live-preview/"
BANNER = "<strong>Preview – not published.</strong>"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def draft(reporter):
    article = make_article(
        headline="Defector reaches Berlin",
        slug="defector-reaches-berlin",
        body="<p>He crossed the border at dawn.</p>",
        section=make_section(name="Politics", slug="politics"),
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
        tags=["Kremlin"],
    )
    article.record_revision(by=reporter)
    return article


def preview(client, article: Article, **changes):
    """What the form's live preview posts after `changes` were typed into `article`'s form."""
    return client.post(admin_url(article, "live-preview/"), edit_form(article, **changes))


def writes_during(request) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_live_preview_shows_the_unsaved_form_as_the_article_page(client, clock, reporter, draft):
    client.force_login(reporter)

    response = preview(
        client,
        draft,
        headline="Defector reaches Berlin at night",
        dateline="Moscow",
        body="<p>He crossed the border at dawn.</p><h2>The escape</h2><p>Nobody stopped him.</p>",
    )

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, BANNER)
    assertContains(
        response, '<h1 class="story__headline">Defector reaches Berlin at night</h1>', html=True
    )
    assertContains(response, '<span class="dateline">Moscow</span> – He crossed the border')
    assertContains(response, "<h2>The escape</h2>")
    assertContains(response, '<span class="signoff">(au)</span>')  # the byline's initials


def test_live_preview_saves_nothing(client, clock, reporter, draft):
    before = Article.objects.filter(pk=draft.pk).values().get()
    client.force_login(reporter)

    writes = writes_during(lambda: preview(client, draft, headline="Not saved"))

    assert writes == []
    assert Article.objects.filter(pk=draft.pk).values().get() == before
    assert Revision.objects.filter(article=draft).count() == 1


def test_live_preview_of_a_form_opened_at_an_older_version_records_no_conflict(
    client, clock, reporter, draft
):
    client.force_login(reporter)
    stale = edit_form(draft, headline="Typed on an older version")
    draft.record_revision()  # someone saved in between

    response = client.post(admin_url(draft, "live-preview/"), stale)

    assertContains(response, "Typed on an older version")
    assert not Revision.objects.filter(kind=Revision.Kind.CONFLICT).exists()


def test_live_preview_is_never_cached_nor_indexed(client, clock, reporter, draft):
    client.force_login(reporter)

    response = preview(client, draft, headline="Not for search engines")

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assertNotContains(response, 'rel="canonical"')


def test_live_preview_shows_bylines_sources_and_tags_as_typed(client, clock, reporter, draft):
    second = make_author(name="Anna Brandt")
    source = make_source(name="Dossier Center")
    client.force_login(reporter)
    data = edit_form(draft, tags="Kremlin, Defectors") | {
        "bylines-TOTAL_FORMS": "2",
        "bylines-1-position": "1",
        "bylines-1-author": str(second.pk),
        "citations-TOTAL_FORMS": "1",
        "citations-0-position": "0",
        "citations-0-source": str(source.pk),
        "citations-0-note": "leaked guard roster",
        "citations-0-url": "https://example.org/roster",
    }

    response = client.post(admin_url(draft, "live-preview/"), data)

    content = response.content.decode()
    assert content.index("Jens Kiffmeier") < content.index("Anna Brandt")
    assertContains(response, "Dossier Center")
    assertContains(response, "leaked guard roster")
    assertContains(response, "Defectors")
    assert list(draft.tags.names()) == ["Kremlin"]
    assert draft.bylines.count() == 1 and not draft.citations.exists()


def test_live_preview_removes_what_saving_would_remove(client, clock, reporter, draft):
    client.force_login(reporter)

    response = preview(client, draft, body='<p>Text<script>alert("x")</script> stays.</p>')

    assertContains(response, "Text stays.")
    assertNotContains(response, "alert(")


def test_live_preview_lists_what_saving_would_refuse(client, clock, reporter, draft):
    client.force_login(reporter)
    data = edit_form(draft) | {"bylines-0-DELETE": "on"}

    response = client.post(admin_url(draft, "live-preview/"), data | {"kicker": "x" * 200})

    assertContains(response, "Saving the story as it is would be refused:")
    assertContains(response, "Kicker: Ensure this value has at most 120 characters")
    assertContains(response, "Please submit at least 1 form.")
    assertContains(response, "Defector reaches Berlin")  # what can be shown still is


def test_live_preview_of_a_new_story(client, clock, reporter):
    section = make_section(name="Politics", slug="politics")
    client.force_login(reporter)
    data = article_form(
        section,
        [{"author": reporter.author_profile.pk, "position": 0}],
        headline="A story never saved",
        slug="",
        tags="Kremlin",
        body="<p>Its first words.</p>",
    )

    writes = writes_during(lambda: client.post(NEW_STORY_PREVIEW, data))
    response = client.post(NEW_STORY_PREVIEW, data)

    assert writes == []
    assertContains(response, '<h1 class="story__headline">A story never saved</h1>', html=True)
    assertContains(response, "Its first words.")
    assertContains(response, "Jens Kiffmeier")
    assertContains(response, "Kremlin")
    assert not Article.objects.exists()


def test_live_preview_of_a_new_story_asks_for_its_section_first(client, clock, reporter):
    client.force_login(reporter)
    data = article_form(make_section(), [{"author": ""}], headline="Where does it go?")

    response = client.post(NEW_STORY_PREVIEW, data | {"section": ""})

    assert response.status_code == 200
    assertContains(response, "Choose a section for the story to see its preview")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("role", "state"),
    [
        ("another reporter", Article.Status.DRAFT),
        ("its reporter", Article.Status.IN_REVIEW),
        ("its reporter", Article.Status.PUBLISHED),
    ],
)
def test_only_those_who_may_edit_the_story_see_its_live_preview(
    client, clock, reporter, draft, role, state
):
    Article.objects.filter(pk=draft.pk).update(status=state, published_at=clock.now)
    user = reporter if role == "its reporter" else make_staff("Reporter", author_name="Ann B")
    client.force_login(user)

    response = preview(client, draft, headline="Let me see")

    assert response.status_code == 403
    assertNotContains(response, "Defector reaches Berlin", status_code=403)


def test_a_new_storys_live_preview_needs_the_right_to_add_stories(client, clock, django_user_model):
    client.force_login(django_user_model.objects.create_user("watcher", is_staff=True))
    data = article_form(make_section(), [{"author": ""}], headline="Let me see")

    response = client.post(NEW_STORY_PREVIEW, data)

    assert response.status_code == 403


def test_live_preview_is_a_post(client, clock, reporter, draft):
    client.force_login(reporter)

    assert client.get(admin_url(draft, "live-preview/")).status_code == 405

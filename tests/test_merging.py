"""Merging duplicate sources, tags and authors: every reference rewritten in one transaction
(models.py, `merge_into()`), and the admin's "Merge…" action and page, for editors only."""

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import (
    Article,
    ArticleQuerySet,
    Author,
    AuthorLink,
    Byline,
    Citation,
    Source,
    Tag,
    TaggedArticle,
)

from .conftest import make_article, make_author, make_source, make_staff
from .images_support import make_image

pytestmark = pytest.mark.django_db


def cited(article: Article) -> list[tuple[str, str]]:
    return [(citation.source.name, citation.note) for citation in article.citations.all()]


# Sources


def test_merging_sources_makes_every_citation_cite_the_one_kept():
    dossier = make_source(name="Dossier Center", slug="dossier-center")
    typo = make_source(name="Dosier Center", slug="dosier-center")
    other = make_source(name="Reuters")
    first = make_article(sources=[typo, other])
    both = make_article()
    Citation.objects.create(article=both, source=dossier, note="the files", position=0)
    Citation.objects.create(article=both, source=typo, note="an interview", position=1)

    changed = Source.objects.filter(pk__in=[dossier.pk, typo.pk]).merge_into(dossier)

    assert changed == 2
    assert cited(first) == [("Dossier Center", ""), ("Reuters", "")]
    assert cited(both) == [("Dossier Center", "the files"), ("Dossier Center", "an interview")]
    assert list(Source.objects.order_by("name")) == [dossier, other]


# Tags


def test_merging_tags_leaves_each_story_the_kept_tag_once():
    only_typo = make_article(tags=["Kreml"])
    both = make_article(tags=["Kreml", "Kremlin"])
    two_typos = make_article(tags=["Kreml", "kremlin.", "Russia"])
    kremlin = Tag.objects.get(name="Kremlin")
    duplicates = Tag.objects.filter(name__in=["Kreml", "kremlin.", "Kremlin"])

    changed = duplicates.merge_into(kremlin)

    assert changed == 3
    assert sorted(only_typo.tags.names()) == ["Kremlin"]
    assert sorted(both.tags.names()) == ["Kremlin"]
    assert sorted(two_typos.tags.names()) == ["Kremlin", "Russia"]
    assert TaggedArticle.objects.filter(tag=kremlin).count() == 3
    assert not Tag.objects.filter(name__in=["Kreml", "kremlin."]).exists()


def test_a_merged_tag_finds_the_stories_of_its_duplicates():
    story = make_article(headline="Defector reaches Berlin", tags=["Kreml"])
    kremlin = Tag.objects.create(name="Kremlin", slug="kremlin")

    Tag.objects.filter(name__in=["Kreml", "Kremlin"]).merge_into(kremlin)

    assert list(Article.objects.published().search("Kremlin")) == [story]


def test_merging_clears_the_cached_sitemaps(client, django_capture_on_commit_callbacks):
    make_article(tags=["Kreml", "Kremlin"])
    before = client.get("/sitemap-tags.xml").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.filter(name__in=["Kreml", "Kremlin"]).merge_into(
            Tag.objects.get(name="Kremlin")
        )

    after = client.get("/sitemap-tags.xml").content.decode()
    assert "/tag/kreml/" in before
    assert "/tag/kreml/" not in after
    assert "/tag/kremlin/" in after


# Authors


def test_merging_authors_moves_bylines_once_per_story_and_keeps_their_order():
    jens = make_author(name="Jens Kiffmeier")
    typo = make_author(name="Jens Kiffmeyer")
    anna = make_author(name="Anna Brandt")
    shared = make_article(authors=[anna, typo, jens])
    own = make_article(authors=[typo, anna])

    changed = Author.objects.filter(pk__in=[jens.pk, typo.pk]).merge_into(jens)

    assert changed == 2
    assert shared.ordered_authors() == [anna, jens]
    assert own.ordered_authors() == [jens, anna]
    assert not Author.objects.filter(pk=typo.pk).exists()


def test_the_kept_author_takes_the_login_photo_and_links_it_lacks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reporter = make_staff("Reporter")
    photo = make_image()
    kept = make_author(name="Jens Kiffmeier")
    AuthorLink.objects.create(author=kept, label="Website", url="https://jens.example")
    duplicate = make_author(name="J. Kiffmeier", user=reporter, photo=photo)
    AuthorLink.objects.create(author=duplicate, label="Home", url="https://jens.example")
    AuthorLink.objects.create(author=duplicate, label="Mastodon", url="https://social.example/@j")
    story = make_article(authors=[duplicate], created_by=None)

    Author.objects.filter(pk__in=[kept.pk, duplicate.pk]).merge_into(kept)

    kept.refresh_from_db()
    assert (kept.user, kept.photo) == (reporter, photo)
    assert sorted(link.url for link in kept.links.all()) == [
        "https://jens.example",
        "https://social.example/@j",
    ]
    assert story.is_owned_by(reporter)  # the reporter's stories are still theirs


def test_authors_with_two_logins_are_refused_and_nothing_changes():
    first = make_author(name="Jens Kiffmeier", user=make_staff("Reporter"))
    second = make_author(name="Jens Kiffmeyer", user=make_staff("Reporter"))
    story = make_article(authors=[second])

    with pytest.raises(ValidationError, match="each have a staff login"):
        Author.objects.filter(pk__in=[first.pk, second.pk]).merge_into(first)

    assert story.ordered_authors() == [second]
    assert Author.objects.filter(pk=second.pk).exists()


def test_a_failed_merge_changes_nothing(monkeypatch):
    kept = make_source(name="Dossier Center")
    typo = make_source(name="Dosier Center")
    story = make_article(sources=[typo])

    def fail(articles):
        raise RuntimeError("the search index is down")

    monkeypatch.setattr(ArticleQuerySet, "update_search_vectors", fail)
    with pytest.raises(RuntimeError):
        Source.objects.filter(pk__in=[kept.pk, typo.pk]).merge_into(kept)

    assert cited(story) == [("Dosier Center", "")]
    assert Source.objects.filter(pk=typo.pk).exists()


def test_merging_one_into_itself_changes_nothing():
    kept = make_source()
    make_article(sources=[kept])

    assert Source.objects.filter(pk=kept.pk).merge_into(kept) == 0
    assert Source.objects.filter(pk=kept.pk).exists()


# The admin's action and page


@pytest.fixture
def sources():
    kept = make_source(name="Dossier Center", slug="dossier-center")
    typo = make_source(name="Dosier Center", slug="dosier-center")
    make_article(sources=[typo])
    make_article(sources=[typo, kept])
    return kept, typo


MERGE = "/admin/articles/source/merge/"


def test_the_action_takes_an_editor_to_the_merge_page(client, sources):
    client.force_login(make_staff("Editor"))

    response = client.post(
        "/admin/articles/source/",
        {"action": "merge_selected", "_selected_action": [source.pk for source in sources]},
    )

    kept, typo = sources
    assertRedirects(response, f"{MERGE}?ids={kept.pk}&ids={typo.pk}")


def test_merge_page_lists_the_chosen_with_what_uses_them(client, sources):
    kept, typo = sources
    client.force_login(make_staff("Editor"))

    response = client.get(MERGE, {"ids": [kept.pk, typo.pk]})

    assert response.status_code == 200
    assertContains(response, "Dossier Center</strong>")
    assertContains(response, "used in 1 story; page /source/dossier-center/")
    assertContains(response, "used in 2 stories; page /source/dosier-center/")
    assertContains(response, f'<input type="radio" name="keep" value="{typo.pk}" required>')


@pytest.mark.parametrize("model", ["source", "tag", "author"])
def test_merging_is_403_for_reporters_and_changes_nothing(client, model):
    first, second = {
        "source": lambda: (make_source(), make_source()),
        "tag": lambda: (Tag.objects.create(name="A", slug="a"), Tag.objects.create(name="B")),
        "author": lambda: (make_author(), make_author()),
    }[model]()
    client.force_login(make_staff("Reporter", author_name="Olga Owner"))
    ids = {"ids": [first.pk, second.pk]}

    page = client.get(f"/admin/articles/{model}/merge/", ids)
    merged = client.post(f"/admin/articles/{model}/merge/", ids | {"keep": first.pk})
    forged_action = client.post(
        f"/admin/articles/{model}/",
        {"action": "merge_selected", "_selected_action": [first.pk, second.pk]},
    )

    assert (page.status_code, merged.status_code) == (403, 403)
    assert "/merge/" not in forged_action.get("Location", "")
    assert type(first).objects.filter(pk=second.pk).exists()
    assertNotContains(client.get(f"/admin/articles/{model}/"), "merge_selected")


def test_editor_merges_and_is_told_what_changed(client, sources):
    kept, typo = sources
    client.force_login(make_staff("Editor"))

    response = client.post(MERGE, {"ids": [kept.pk, typo.pk], "keep": kept.pk}, follow=True)

    assertRedirects(response, "/admin/articles/source/")
    assertContains(response, "Merged 1 source into “Dossier Center”; 2 stories changed.")
    assert list(Source.objects.all()) == [kept]
    assert set(Citation.objects.values_list("source", flat=True)) == {kept.pk}


def test_keeping_one_not_chosen_is_refused_and_changes_nothing(client, sources):
    kept, typo = sources
    stranger = make_source(name="Reuters")
    client.force_login(make_staff("Editor"))

    response = client.post(MERGE, {"ids": [kept.pk, typo.pk], "keep": stranger.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["keep"]
    assert Source.objects.count() == 3


def test_a_refused_merge_shows_why_on_the_page(client):
    first = make_author(name="Jens Kiffmeier", user=make_staff("Reporter"))
    second = make_author(name="Jens Kiffmeyer", user=make_staff("Reporter"))
    client.force_login(make_staff("Editor"))

    response = client.post(
        "/admin/articles/author/merge/", {"ids": [first.pk, second.pk], "keep": first.pk}
    )

    assertContains(response, "each have a staff login", status_code=200)
    assert Author.objects.count() == 2


@pytest.mark.parametrize("ids", [[], ["1"], ["abc", "2"], ["99999999999999999999", "1"]])
def test_fewer_than_two_or_unknown_ids_go_back_to_the_list(client, sources, ids):
    client.force_login(make_staff("Editor"))

    response = client.get(MERGE, {"ids": ids}, follow=True)

    assertRedirects(response, "/admin/articles/source/")
    assertContains(response, "Choose at least two sources to merge.")
    assert Source.objects.count() == 2


def test_merging_bylines_keeps_one_per_story_under_the_unique_constraint():
    kept, typo = make_author(), make_author()
    story = make_article(authors=[kept, typo])

    Author.objects.filter(pk__in=[kept.pk, typo.pk]).merge_into(kept)

    assert list(Byline.objects.filter(article=story).values_list("author", flat=True)) == [kept.pk]

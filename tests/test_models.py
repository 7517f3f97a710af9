"""Articles and their neighbours: publication rules, integrity, bylines and related stories."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from articles import workflow
from articles.bylines import byline_text
from articles.editing import save_story
from articles.models import (
    Article,
    ArticleRedirect,
    AuthorLink,
    Byline,
    Citation,
    Section,
    SectionRedirect,
    Tag,
    TaggedArticle,
)

from .conftest import ARTICLE_STATES, NOW, at, make_article, make_author, make_section, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def lifecycle(clock):
    """One article in each state of its life, and one live until 2026-04-06 20:00."""
    section = make_section()
    articles = {
        state: make_article(section=section, **fields) for state, fields in ARTICLE_STATES.items()
    }
    articles["expiring"] = make_article(
        section=section, published_at=at("2026-04-01 09:00"), expires_at=at("2026-04-06 20:00")
    )
    return articles


def published_names(lifecycle) -> set[str]:
    pks = set(Article.objects.published().values_list("pk", flat=True))
    return {name for name, article in lifecycle.items() if article.pk in pks}


# published() and is_published


def test_published_returns_only_live_articles(lifecycle):
    pks = set(Article.objects.published().values_list("pk", flat=True))

    assert pks == {lifecycle["expiring"].pk, lifecycle["published"].pk}


def test_scheduled_article_appears_by_itself_at_its_time(lifecycle, clock):
    clock.now = at("2026-04-06 08:59")
    assert "scheduled" not in published_names(lifecycle)

    clock.now = at("2026-04-06 09:00")
    assert published_names(lifecycle) == {"scheduled", "expiring", "published"}


def test_expiring_article_leaves_by_itself_at_its_takedown_time(lifecycle, clock):
    clock.now = at("2026-04-06 19:59")
    assert "expiring" in published_names(lifecycle)

    clock.now = at("2026-04-06 20:00")
    assert published_names(lifecycle) == {"scheduled", "published"}


def test_published_since_returns_live_articles_published_from_that_moment(lifecycle):
    since = Article.objects.published_since(at("2026-04-02 09:00"))

    assert set(since) == {lifecycle["published"]}
    assert set(Article.objects.published_since(at("2026-04-01 09:00"))) == {
        lifecycle["expiring"],
        lifecycle["published"],
    }


@pytest.mark.parametrize(
    "moment",
    ["2026-04-05 12:00", "2026-04-06 09:00", "2026-04-06 20:00", "2026-03-31 12:00"],
)
def test_is_published_agrees_with_published_queryset(lifecycle, clock, moment):
    clock.now = at(moment)
    live = set(Article.objects.published().values_list("pk", flat=True))

    for name, article in lifecycle.items():
        assert article.is_published == (article.pk in live), name


def test_published_articles_come_newest_first(clock):
    section = make_section()
    older = make_article(section=section, published_at=at("2026-04-01 09:00"))
    newest = make_article(section=section, published_at=at("2026-04-04 09:00"))
    middle = make_article(section=section, published_at=at("2026-04-02 09:00"))

    assert list(Article.objects.published()) == [newest, middle, older]


def test_publish_without_time_publishes_now(clock):
    article = make_article(status=Article.Status.DRAFT, published_at=None)

    workflow.apply(article, "publish", workflow.SYSTEM)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == NOW
    assert article.is_published


# Database constraints


def test_published_article_without_publication_time_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Article.Status.PUBLISHED, published_at=None, authors=[])


def test_takedown_before_publication_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(
            published_at=at("2026-04-05 10:00"), expires_at=at("2026-04-05 09:00"), authors=[]
        )


def test_slug_is_unique_within_a_section_only():
    politics, sport = make_section(), make_section()
    make_article(section=politics, slug="the-match")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(section=politics, slug="the-match", authors=[])
    make_article(section=sport, slug="the-match")

    assert Article.objects.filter(slug="the-match").count() == 2


@pytest.mark.parametrize("make", [make_section, make_author, make_source])
def test_duplicate_slugs_are_rejected(make):
    make(slug="taken")

    with pytest.raises(IntegrityError), transaction.atomic():
        make(slug="taken")


def test_duplicate_tag_slugs_are_rejected():
    Tag.objects.create(name="Putin", slug="putin")

    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="Putin again", slug="putin")


def test_non_empty_import_identifier_is_unique():
    make_article(external_id="wire-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(external_id="wire-1", authors=[])


def test_many_articles_may_have_no_import_identifier():
    make_article(external_id="")
    make_article(external_id="")

    assert Article.objects.filter(external_id="").count() == 2


# Validation


@pytest.mark.parametrize("slug", ["admin", "search"])
def test_section_with_reserved_slug_is_invalid(slug):
    section = Section(name="Anything", slug=slug)

    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "slug" in error.value.message_dict


def test_section_with_ordinary_slug_is_valid():
    Section(name="Politics", slug="politics").full_clean()


def test_clean_sets_publication_time_when_publishing_without_one(clock):
    article = Article(status=Article.Status.PUBLISHED, published_at=None)

    article.clean()

    assert article.published_at == NOW


def test_clean_keeps_a_given_publication_time(clock):
    article = Article(status=Article.Status.PUBLISHED, published_at=at("2026-04-07 08:00"))

    article.clean()

    assert article.published_at == at("2026-04-07 08:00")


def test_clean_leaves_drafts_without_publication_time(clock):
    article = Article(status=Article.Status.DRAFT, published_at=None)

    article.clean()

    assert article.published_at is None


# Addresses


def test_articles_sections_authors_sources_and_tags_give_their_addresses():
    section = make_section(slug="politics")
    article = make_article(section=section, slug="kremlin-defection")
    author = make_author(slug="jens-kiffmeier")
    source = make_source(slug="reuters")
    tag = Tag.objects.create(name="Putin", slug="putin")

    assert article.get_absolute_url() == "/politics/kremlin-defection/"
    assert section.get_absolute_url() == "/politics/"
    assert author.get_absolute_url() == "/author/jens-kiffmeier/"
    assert source.get_absolute_url() == "/source/reuters/"
    assert tag.get_absolute_url() == "/tag/putin/"


# Bylines, sign-off and body


def test_ordered_authors_follow_byline_position():
    first, second, third = make_author(), make_author(), make_author()
    article = make_article(authors=[])
    Byline.objects.create(article=article, author=first, position=2)
    Byline.objects.create(article=article, author=second, position=0)
    Byline.objects.create(article=article, author=third, position=1)

    assert article.ordered_authors() == [second, third, first]


def test_signoff_joins_initials_in_byline_order_skipping_authors_without():
    kiffmeier = make_author(initials="jkf")
    nameless = make_author(initials="")
    brandt = make_author(initials="ab")
    article = make_article(authors=[])
    Byline.objects.create(article=article, author=brandt, position=2)
    Byline.objects.create(article=article, author=nameless, position=1)
    Byline.objects.create(article=article, author=kiffmeier, position=0)

    assert article.signoff() == "jkf/ab"


def test_signoff_is_empty_without_initials():
    article = make_article(authors=[make_author(initials="")])

    assert article.signoff() == ""


@pytest.mark.parametrize(
    ("names", "byline"),
    [
        ([], ""),
        (["Jens Kiffmeier"], "Jens Kiffmeier"),
        (["Jens Kiffmeier", "Anna Brandt"], "Jens Kiffmeier and Anna Brandt"),
        (
            ["Jens Kiffmeier", "Anna Brandt", "Lena Roth"],
            "Jens Kiffmeier, Anna Brandt and Lena Roth",
        ),
    ],
)
def test_byline_names_the_authors_as_a_sentence(names, byline):
    assert byline_text([make_author(name=name) for name in names]) == byline


def test_byline_says_and_in_the_active_language():
    authors = [make_author(name="Jens Kiffmeier"), make_author(name="Lena Roth")]

    with translation.override("de"):
        assert byline_text(authors) == "Jens Kiffmeier und Lena Roth"


def test_saving_sanitizes_the_body():
    article = make_article(body="<p>Hello</p><script>alert(1)</script>")

    article.refresh_from_db()
    assert article.body == "<p>Hello</p>"


# Updated time


def test_was_updated_is_false_right_after_publication(clock):
    article = make_article(status=Article.Status.DRAFT, published_at=None)

    workflow.apply(article, "publish", workflow.SYSTEM)

    assert not article.was_updated


def test_was_updated_ignores_edits_within_five_minutes(clock):
    article = make_article(published_at=NOW)
    Article.objects.filter(pk=article.pk).update(updated_at=NOW + timedelta(minutes=5))

    article.refresh_from_db()
    assert not article.was_updated


def test_was_updated_after_an_edit_more_than_five_minutes_later(clock):
    article = make_article(published_at=NOW)
    Article.objects.filter(pk=article.pk).update(updated_at=NOW + timedelta(minutes=6))

    article.refresh_from_db()
    assert article.was_updated


def test_was_updated_is_false_for_an_unedited_story_saved_after_its_publication_time(clock):
    # An imported or backdated story is saved once, after its publication time, and never
    # edited again: readers should not see an "Updated" time.
    article = make_article(published_at=at("2026-04-01 09:00"))

    article.refresh_from_db()
    assert not article.was_updated


# Related stories


@pytest.fixture
def newsroom(clock):
    politics, world = make_section(), make_section()

    def story(published_at, section=politics, **fields):
        return make_article(section=section, published_at=at(published_at), **fields)

    return {
        "article": story("2026-04-05 09:00", tags=["Putin", "Kremlin", "Moscow"]),
        "two_tags": story("2026-04-01 09:00", section=world, tags=["Putin", "Kremlin"]),
        "one_tag": story("2026-04-04 09:00", section=world, tags=["Moscow"]),
        "same_section": story("2026-04-03 09:00"),
        "older_same_section": story("2026-03-01 09:00"),
        "draft_sharing_tags": story(
            "2026-04-04 10:00",
            status=Article.Status.DRAFT,
            tags=["Putin", "Kremlin", "Moscow"],
        ),
        "scheduled_sharing_tags": story("2026-04-06 10:00", tags=["Putin", "Kremlin", "Moscow"]),
        "elsewhere": story("2026-04-05 08:00", section=world),
    }


def test_related_prefers_shared_tags_then_section(newsroom):
    related = Article.objects.published().related_to(newsroom["article"])

    assert related == [
        newsroom["two_tags"],
        newsroom["one_tag"],
        newsroom["same_section"],
        newsroom["older_same_section"],
    ]


def test_related_returns_at_most_limit(newsroom):
    related = Article.objects.published().related_to(newsroom["article"], limit=2)

    assert related == [newsroom["two_tags"], newsroom["one_tag"]]


def test_related_without_tags_falls_back_to_newest_in_section(clock):
    section = make_section()
    article = make_article(section=section, published_at=at("2026-04-05 09:00"))
    older = make_article(section=section, published_at=at("2026-04-01 09:00"))
    newer = make_article(section=section, published_at=at("2026-04-04 09:00"))
    make_article(published_at=at("2026-04-05 10:00"))

    assert Article.objects.published().related_to(article) == [newer, older]


def test_related_never_includes_the_article_or_unpublished_stories(newsroom):
    related = Article.objects.published().related_to(newsroom["article"], limit=20)

    assert newsroom["article"] not in related
    assert newsroom["draft_sharing_tags"] not in related
    assert newsroom["scheduled_sharing_tags"] not in related
    assert newsroom["elsewhere"] not in related


# Translations


@pytest.fixture
def family(clock):
    """An original with a published German and French translation and a draft Spanish one."""
    original = make_article(language="en", published_at=at("2026-04-05 09:00"))

    def translated(language: str, **fields) -> Article:
        return make_article(language=language, translation_of=original, **fields)

    return {
        "original": original,
        "fr": translated("fr"),
        "de": translated("de"),
        "es": translated("es", status=Article.Status.DRAFT, published_at=None),
    }


def test_translation_family_is_the_published_original_and_translations_by_language(family):
    original, german, french = family["original"], family["de"], family["fr"]

    families = Article.objects.published().translation_families([original, german])

    assert families == {original.pk: [german, french], german.pk: [original, french]}


def test_translation_families_of_a_page_of_articles_take_one_query(
    family, django_assert_num_queries
):
    loner = make_article()
    articles = list(
        Article.objects.for_display().filter(
            pk__in=[family["original"].pk, family["de"].pk, loner.pk]
        )
    )

    with django_assert_num_queries(1):
        families = Article.objects.published().translation_families(articles)

    assert families[loner.pk] == []
    assert [other.language for other in families[family["de"].pk]] == ["en", "fr"]


def test_articles_known_to_have_no_translations_need_no_query(clock, django_assert_num_queries):
    loners = list(
        Article.objects.for_display().filter(pk__in=[make_article().pk, make_article().pk])
    )

    with django_assert_num_queries(0):
        families = Article.objects.published().translation_families(loners)

    assert families == {loner.pk: [] for loner in loners}


# Names editors see


def test_models_name_themselves_as_an_editor_would():
    section = make_section(name="Politics", slug="politics")
    author = make_author(name="Jens Kiffmeier")
    source = make_source(name="Reuters")
    article = make_article(
        headline="Defector reaches Berlin",
        section=section,
        slug="defector",
        authors=[author],
        sources=[source],
        tags=["Putin"],
    )
    tag = Tag.objects.get(name="Putin")
    link = AuthorLink.objects.create(author=author, label="Website", url="https://example.com/")
    section.slug = "politik"
    section.save()
    article.slug = "defector-berlin"
    save_story(article)

    assert str(article) == "Defector reaches Berlin"
    assert str(section) == "Politics"
    assert str(author) == "Jens Kiffmeier"
    assert str(source) == "Reuters"
    assert str(tag) == "Putin"
    assert str(link) == "Website: https://example.com/"
    assert str(Byline.objects.get(article=article)) == "Jens Kiffmeier on Defector reaches Berlin"
    assert str(Citation.objects.get(article=article)) == "Reuters in Defector reaches Berlin"
    assert str(TaggedArticle.objects.get()) == "Defector reaches Berlin tagged with Putin"
    assert str(SectionRedirect.objects.get()) == "/politics/ → Politics"
    assert str(ArticleRedirect.objects.get()) == "/politik/defector/ → Defector reaches Berlin"

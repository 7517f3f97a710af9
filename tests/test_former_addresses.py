"""Former addresses: renaming or moving an article or section keeps old links working."""

import pytest

from articles.editing import save_story
from articles.models import Article, ArticleRedirect, SectionRedirect

from .conftest import make_article, make_section

pytestmark = pytest.mark.django_db


def test_changing_article_slug_records_redirect_from_old_address():
    article = make_article(section=make_section(slug="politics"), slug="old-slug")

    article.slug = "new-slug"
    save_story(article)

    redirect = ArticleRedirect.objects.get()
    assert (redirect.section_slug, redirect.slug, redirect.article) == (
        "politics",
        "old-slug",
        article,
    )


def test_moving_article_to_another_section_records_redirect():
    article = make_article(section=make_section(slug="politics"), slug="story")

    article.section = make_section(slug="world")
    save_story(article)

    redirect = ArticleRedirect.objects.get()
    assert (redirect.section_slug, redirect.slug, redirect.article) == (
        "politics",
        "story",
        article,
    )


def test_saving_article_unchanged_records_no_redirect():
    article = make_article()

    article.headline = "A better headline"
    save_story(article)

    assert not ArticleRedirect.objects.exists()


def test_changing_section_slug_records_section_redirect():
    section = make_section(slug="politics")

    section.slug = "politik"
    section.save()

    redirect = SectionRedirect.objects.get()
    assert (redirect.old_slug, redirect.section) == ("politics", section)


def test_section_taking_back_its_old_slug_drops_the_redirect():
    section = make_section(slug="politics")
    section.slug = "politik"
    section.save()

    section.slug = "politics"
    section.save()

    assert list(SectionRedirect.objects.values_list("old_slug", flat=True)) == ["politik"]


def test_find_article_follows_renamed_article():
    article = make_article(section=make_section(slug="politics"), slug="old-slug")
    article.slug = "new-slug"
    save_story(article)

    found = ArticleRedirect.objects.find_article(Article.objects.all(), "politics", "old-slug")

    assert found == article


def test_find_article_follows_renamed_section():
    section = make_section(slug="politics")
    article = make_article(section=section, slug="story")
    section.slug = "politik"
    section.save()

    found = ArticleRedirect.objects.find_article(Article.objects.all(), "politics", "story")

    assert found == article


def test_find_article_follows_renamed_article_in_renamed_section():
    section = make_section(slug="politics")
    article = make_article(section=section, slug="old-slug")
    article.slug = "new-slug"
    save_story(article)
    section.slug = "politik"
    section.save()

    found = ArticleRedirect.objects.find_article(Article.objects.all(), "politics", "old-slug")

    assert found == article


def test_find_article_searches_only_the_given_articles():
    article = make_article(section=make_section(slug="politics"), slug="old-slug")
    article.slug = "new-slug"
    article.status = Article.Status.UNPUBLISHED
    save_story(article)

    found = ArticleRedirect.objects.find_article(
        Article.objects.published(), "politics", "old-slug"
    )

    assert found is None


def test_find_article_finds_nothing_at_an_address_never_used():
    make_article(section=make_section(slug="politics"), slug="story")

    assert ArticleRedirect.objects.find_article(Article.objects.all(), "world", "story") is None

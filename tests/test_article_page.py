"""The article page: what it shows, what it hides and how many queries it takes."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles.models import Article

from .conftest import (
    ARTICLE_PAGE_QUERIES,
    HIDDEN_STATES,
    NOW,
    at,
    count_queries,
    make_article,
    make_author,
    make_source,
)
from .embeds_support import embed_block
from .images_support import make_image, picture_bytes
from .stories import defector_story
from .test_body_blocks import FACT_BOX, PULL_QUOTE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def article():
    return defector_story(published_at=NOW)


def test_article_page_renders_with_its_template(client, article):
    response = client.get("/europe/defector-reaches-berlin/")

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, "<title>Defector reaches Berlin – The Courier</title>")


def test_article_page_shows_breadcrumbs_to_its_section(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, '<nav class="breadcrumbs" aria-label="Breadcrumb">')
    assertContains(response, '<a href="/">Home page</a>')
    separator = '<span class="breadcrumbs__separator" aria-hidden="true">›</span>'
    assertContains(response, f'<li>{separator} <a href="/world/">World</a></li>', html=True)
    assertContains(response, f'<li>{separator} <a href="/europe/">Europe</a></li>', html=True)


def test_article_page_shows_one_headline_with_kicker_type_of_work_and_standfirst(client, article):
    response = client.get(article.get_absolute_url())
    content = response.content.decode()

    assert content.count("<h1") == 1
    assert re.search(r"<h1[^>]*>Defector reaches Berlin</h1>", content)
    assertContains(response, '<span class="kicker">Exclusive</span>')
    assertContains(response, '<span class="type-of-work-label">Analysis</span>')
    assertContains(response, "A colonel of the security service has crossed into the EU.")


def test_article_page_shows_byline_linking_to_author_pages(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<p class="byline">By <a href="/author/jens-kiffmeier/" rel="author">Jens Kiffmeier</a>'
        ' and <a href="/author/anna-brandt/" rel="author">Anna Brandt</a></p>',
    )


def test_article_page_shows_publication_time(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, '<time datetime="2026-04-05T12:00:00+02:00">')


def test_article_page_shows_body_with_dateline_subheadings_and_signoff(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, '<p><span class="dateline">Moscow</span> – First paragraph.')
    assertContains(response, "<h2>The escape route</h2>")
    assertContains(response, 'Last paragraph. <span class="signoff">(jkf/ab)</span></p>')


def render_body(article: Article) -> str:
    return Template("{% load articles %}{% article_body article %}").render(
        Context({"article": article})
    )


def test_body_leads_with_dateline_and_closes_with_signoff():
    article = make_article(
        dateline="Moscow",
        body="<p>First paragraph.</p><h2>A subheading</h2><p>Last paragraph.</p>",
        authors=[make_author(initials="jkf")],
    )

    body = render_body(article)

    assert body.startswith('<p><span class="dateline">Moscow</span> – First paragraph.</p>')
    assert body.endswith('<p>Last paragraph. <span class="signoff">(jkf)</span></p>')
    assert body.count("Moscow") == 1
    assert body.count("(jkf)") == 1


def test_body_escapes_the_dateline():
    article = make_article(dateline="Moscow <b>", body="<p>Text.</p>", authors=[])

    body = render_body(article)

    assert '<span class="dateline">Moscow &lt;b&gt;</span>' in body
    assert "<b>" not in body


def test_body_without_dateline_or_initials_is_the_body_as_stored():
    body = "<p>First paragraph.</p><p>Last paragraph.</p>"
    article = make_article(dateline="", body=body, authors=[make_author(initials="")])

    assert render_body(article) == body


def test_body_without_a_closing_paragraph_gets_the_signoff_in_one_of_its_own():
    article = make_article(
        dateline="", body="<h2>Only a heading</h2>", authors=[make_author(initials="jkf")]
    )

    assert (
        render_body(article) == '<h2>Only a heading</h2><p><span class="signoff">(jkf)</span></p>'
    )


def test_article_page_lists_its_sources_with_what_was_cited_and_links(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, '<h2 id="sources-title">Sources</h2>')
    assertContains(response, '<a href="/source/reuters/">Reuters</a>: interview with the colonel')
    assertContains(response, 'href="https://example.com/interview"')


def test_article_without_citations_has_no_sources_box(client):
    article = make_article(published_at=NOW)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assertNotContains(response, "sources-title")


def test_article_page_links_tags_to_tag_pages(client, article):
    response = client.get(article.get_absolute_url())

    assertContains(response, '<a href="/tag/putin/" rel="tag">Putin</a>')
    assertContains(response, '<a href="/tag/kremlin/" rel="tag">Kremlin</a>')


def test_article_page_lists_related_published_stories(client, article):
    related = make_article(
        headline="Kremlin reacts", tags=["Kremlin"], published_at=at("2026-04-04 09:00")
    )
    for state, fields in HIDDEN_STATES.items():
        make_article(headline=f"Kremlin {state}", tags=["Kremlin"], **fields)

    response = client.get(article.get_absolute_url())

    assertContains(response, "Related stories")
    assertContains(
        response,
        f'<a class="related__headline" href="{related.get_absolute_url()}">Kremlin reacts</a>',
    )
    for state in HIDDEN_STATES:
        assertNotContains(response, f"Kremlin {state}")


def test_article_page_shows_no_updated_time_right_after_publication(client, article):
    response = client.get(article.get_absolute_url())

    assertNotContains(response, "Updated")


def test_article_page_shows_updated_time_after_a_later_edit(client, article):
    Article.objects.filter(pk=article.pk).update(updated_at=NOW + timedelta(hours=1))

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<span class="story__updated">Updated <time datetime="2026-04-05T13:00:00+02:00">',
    )


def test_article_page_declares_its_language(client, article):
    Article.objects.filter(pk=article.pk).update(language="de")

    response = client.get(article.get_absolute_url())

    assertContains(response, '<html lang="de">')
    assert response["Content-Language"] == "de"


# Hidden states a reader was shown before: their page says the story was withdrawn.
WITHDRAWN = ["unpublished", "expired"]


@pytest.mark.parametrize("state", [state for state in HIDDEN_STATES if state not in WITHDRAWN])
def test_unpublished_article_is_404_for_anonymous(client, state):
    article = make_article(headline="Hidden story", **HIDDEN_STATES[state])

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404
    assertNotContains(response, "Hidden story", status_code=404)


@pytest.mark.parametrize("state", WITHDRAWN)
def test_withdrawn_article_is_410_gone_with_a_notice(client, state):
    article = make_article(
        headline="Withdrawn story", body="<p>Secret text.</p>", **HIDDEN_STATES[state]
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assertTemplateUsed(response, "articles/article_gone.html")
    assertContains(response, "This article has been withdrawn", status_code=410)
    assertNotContains(response, "Withdrawn story", status_code=410)
    assertNotContains(response, "Secret text", status_code=410)


def test_article_page_query_count_does_not_grow_with_authors_tags_or_sources(client):
    small = make_article(
        published_at=NOW,
        authors=[make_author()],
        sources=[make_source()],
        tags=["Only tag"],
    )
    large = make_article(
        published_at=NOW,
        authors=[make_author() for _ in range(5)],
        sources=[make_source() for _ in range(6)],
        tags=[f"Tag {number}" for number in range(6)],
    )
    make_article(tags=["Only tag", "Tag 0"])  # related to both

    assert count_queries(client, small.get_absolute_url()) == ARTICLE_PAGE_QUERIES["tagged"]
    assert count_queries(client, large.get_absolute_url()) == ARTICLE_PAGE_QUERIES["tagged"]


def test_article_page_query_count_does_not_grow_with_body_blocks(client):
    """One query for all the body's pictures, one for all its "Read more" stories."""
    pictures = [make_image(picture_bytes((64, 48))) for _ in range(4)]
    stories = [make_article(published_at=NOW - timedelta(days=1)) for _ in range(3)]

    def body(pictures, stories) -> str:
        return "".join(
            [
                *(f'<figure data-image="{p.pk}" data-alt="Alt"></figure>' for p in pictures),
                *(f'<aside data-read-more="{s.pk}"><a href="/x/">x</a></aside>' for s in stories),
                f"<p>Text.</p>{embed_block()}{PULL_QUOTE}{FACT_BOX}",
            ]
        )

    plain = make_article(published_at=NOW)
    small = make_article(published_at=NOW, body=body(pictures[:1], stories[:1]))
    large = make_article(published_at=NOW, body=body(pictures, stories))

    assert count_queries(client, plain.get_absolute_url()) == ARTICLE_PAGE_QUERIES["untagged"]
    assert count_queries(client, small.get_absolute_url()) == ARTICLE_PAGE_QUERIES["untagged"] + 2
    assert count_queries(client, large.get_absolute_url()) == ARTICLE_PAGE_QUERIES["untagged"] + 2
    assert "Read more" in client.get(large.get_absolute_url()).content.decode()

"""The demo newsroom `manage.py load_demo` builds: what it holds, and that running it again
adds only what is missing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape
from pytest_django.asserts import assertContains

from articles.demo import DEMO_STORY_ID
from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Page,
    Publication,
    Section,
    Source,
    Tag,
)
from images.models import Image

from .api_support import get_item, get_list

pytestmark = pytest.mark.django_db

# The sources the demo story cites, in order.
DEMO_STORY_SOURCES = [
    "Dossier Center",
    "Verstka",
    "British secret service",
    "Financial Times",
    "The Moscow Times",
    "CNN",
]


def load_demo(articles: int = 5) -> str:
    output = StringIO()
    call_command("load_demo", articles=articles, stdout=output)
    return output.getvalue()


def snapshot() -> dict:
    return {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "updated_at", "status")),
        "bylines": Byline.objects.count(),
        "citations": Citation.objects.count(),
        "sections": Section.objects.count(),
        "authors": Author.objects.count(),
        "sources": Source.objects.count(),
        "tags": Tag.objects.count(),
        "pictures": Image.objects.count(),
        "site default picture": Publication.objects.values_list("default_picture", flat=True)[0],
        "users": list(get_user_model().objects.order_by("pk").values_list("pk", "password")),
    }


def test_load_demo_publishes_the_demo_story_with_its_sources():
    load_demo()
    story = Article.objects.published().get(external_id=DEMO_STORY_ID)
    assert story.section.name == "Politics"
    assert [author.name for author in story.ordered_authors()] == ["Jens Kiffmeier"]
    assert story.kicker
    cited = list(story.citations.values_list("source__name", flat=True))
    assert cited == DEMO_STORY_SOURCES
    assert story.citations.get(source__slug="dossier-center").note == (
        "Interview with Gleb Karakulov"
    )
    assert story.tags.count() == 5


def test_load_demo_publishes_the_german_original_with_its_translation_linked():
    load_demo()
    translation = Article.objects.published().get(external_id=DEMO_STORY_ID)
    original = Article.objects.published().get(external_id="kremlin-defection.de")

    assert translation.translation_of == original
    assert (original.language, translation.language) == ("de", "en")
    assert original.headline.startswith("Kontrollverlust im Kreml")
    assert original.dateline == "Moskau"
    assert original.lead_picture == translation.lead_picture is not None


def test_load_demo_creates_one_user_per_role_in_its_group():
    load_demo(articles=3)

    users = get_user_model().objects
    roles = {
        username: list(users.get(username=username).groups.values_list("name", flat=True))
        for username in ["chief", "editor", "jkiffmeier"]
    }
    assert roles == {"chief": ["Admin"], "editor": ["Editor"], "jkiffmeier": ["Reporter"]}
    assert not users.filter(is_superuser=True).exists()
    assert all(user.is_staff for user in users.all())


def test_load_demo_puts_the_desk_stories_in_every_state_with_their_history():
    load_demo(articles=3)

    def steps(external_id):
        article = Article.objects.get(external_id=external_id)
        changes = article.status_changes.select_related("changed_by")
        return article, [(c.to_status, c.changed_by.username) for c in changes]

    draft, draft_steps = steps("desk-draft")
    review, review_steps = steps("desk-review")
    changes, changes_steps = steps("desk-changes")
    scheduled, scheduled_steps = steps("desk-scheduled")
    assert (draft.status, draft_steps) == (Article.Status.DRAFT, [])
    assert (review.status, review_steps) == (
        Article.Status.IN_REVIEW,
        [("in_review", "jkiffmeier")],
    )
    assert (changes.status, changes_steps) == (
        Article.Status.CHANGES_REQUESTED,
        [("in_review", "jkiffmeier"), ("changes_requested", "editor")],
    )
    assert changes.review_comments.get().text == "Please add a second source for the move."
    assert scheduled.is_scheduled
    assert scheduled_steps == [("in_review", "jkiffmeier"), ("published", "editor")]


def test_load_demo_gives_pictures_policy_pages_and_author_photos():
    load_demo(articles=10)

    assert Article.objects.filter(external_id__startswith="demo-", lead_picture__isnull=False)
    assert not Author.objects.filter(user__isnull=False, photo__isnull=True).exists()
    assert set(Page.objects.values_list("role", flat=True)) == {
        "publishing_principles",
        "corrections_policy",
        "masthead",
    }


def test_load_demo_gives_stories_without_a_picture_the_site_default_picture(client):
    load_demo(articles=10)
    default = Publication.objects.current().default_picture
    story = Article.objects.published().filter(lead_picture__isnull=True).first()

    response = client.get(story.get_absolute_url())

    assert default.width >= 1200 and default.height >= 1200
    assert default.alt_text
    assert f"/images/{default.pk}/{default.content_key}/1x1/1280.jpg" in response.content.decode()


def test_demo_story_and_its_german_original_lead_with_a_credited_illustration(client):
    load_demo(articles=3)
    story = Article.objects.get(external_id=DEMO_STORY_ID)
    original = Article.objects.get(external_id=f"{DEMO_STORY_ID}.de")

    for article, label in [(story, "Illustration"), (original, "Illustration")]:
        picture = article.lead_picture
        assert picture is not None
        assert picture.alt_text and picture.credit and article.lead_picture_caption
        response = client.get(article.get_absolute_url())
        assertContains(response, '<figure class="figure story__lead-picture">')
        assertContains(response, f"{label}: {picture.credit}")
        assertContains(response, escape(article.lead_picture_caption))


def test_demo_pictures_are_illustrations_that_differ_by_section():
    load_demo(articles=40)

    assert set(Image.objects.values_list("credit_kind", flat=True)) == {"illustration"}
    pictures_by_section = {
        section.slug: set(
            Article.objects.filter(section=section, external_id__startswith="demo-")
            .exclude(lead_picture=None)
            .values_list("lead_picture", flat=True)
        )
        for section in Section.objects.all()
    }
    used = [pictures for pictures in pictures_by_section.values() if pictures]
    assert len(used) >= 5
    assert sum(len(pictures) for pictures in used) == len(set().union(*used))  # none shared
    descriptions = set(Image.objects.values_list("alt_text", flat=True))
    assert len(descriptions) >= 8  # distinct scenes and colours, each described


def test_demo_front_page_leads_with_the_demo_story_and_has_section_blocks(client):
    load_demo(articles=40)

    response = client.get("/")

    story = Article.objects.get(external_id=DEMO_STORY_ID)
    content = response.content.decode()
    lead = content[content.index('class="front__lead"') : content.index('class="front__secondary"')]
    assert escape(story.headline) in lead
    assert 'hreflang="de" lang="de">Deutsch</a>' in lead
    assert "Kontrollverlust im Kreml" not in content
    for section in ["Politics", "World", "Business", "Science", "Culture", "Sport"]:
        assertContains(response, f'<a href="/{section.lower()}/">{section}<span')
    assertContains(response, 'class="commentary"')
    assert story.section.lead_story == story


def test_every_demo_staff_author_has_a_photo(client):
    load_demo(articles=3)
    staff = Author.objects.filter(user__isnull=False).select_related("photo")

    assert staff.count() >= 3
    for author in staff:
        assert author.photo is not None and author.photo.alt_text
        response = client.get(author.get_absolute_url())
        assertContains(response, '<picture class="profile__photo">')
        assertContains(
            response, f"/images/{author.photo.pk}/{author.photo.content_key}/1x1/320.webp"
        )


def test_demo_story_and_its_german_original_are_valid_ninjs(client):
    load_demo()
    story = Article.objects.published().get(external_id=DEMO_STORY_ID)

    english, german = get_item(client, story), get_item(client, story.translation_of)

    assert [source["name"] for source in english["infoSources"]] == DEMO_STORY_SOURCES
    assert english["by"] == german["by"] == "Jens Kiffmeier"
    assert [(a["rel"], a["language"]) for a in english["associations"] if "language" in a] == [
        ("original", "de")
    ]
    assert [(a["rel"], a["language"]) for a in german["associations"] if "language" in a] == [
        ("translation", "en")
    ]
    assert len(english["trustIndicators"]) == 3
    # get_list checks every item against the schema: the generated stories too.
    assert len(get_list(client, "page_size=100")["items"]) == Article.objects.published().count()


def test_generated_stories_are_found_by_headline_author_and_tag():
    load_demo(articles=3)
    generated = Article.objects.filter(external_id__startswith="demo-")

    def found(query: str) -> set[int]:
        return {article.pk for article in Article.objects.published().search(query)}

    assert generated.count() == 3
    for article in generated:
        author, tag = article.ordered_authors()[0], article.tags.first()
        assert article.pk in found(article.headline) & found(author.name) & found(tag.name)


def test_load_demo_generates_the_requested_number_of_stories():
    load_demo(articles=12)
    assert Article.objects.filter(external_id__startswith="demo-").count() == 12
    assert Article.objects.published().count() == 14  # with the demo story and its original
    assert not Article.objects.published().filter(external_id__startswith="desk-").exists()


def test_load_demo_prints_a_login_for_each_role():
    output = load_demo()
    for role, username in [("admin", "chief"), ("editor", "editor"), ("reporter", "jkiffmeier")]:
        assert role in output and username in output
    assert get_user_model().objects.get(username="jkiffmeier").check_password("newsroom-demo")


def test_running_load_demo_twice_changes_nothing():
    load_demo()
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_load_demo_adds_only_missing_stories_when_asked_for_more():
    load_demo(articles=3)
    first = set(Article.objects.values_list("pk", flat=True))
    load_demo(articles=6)
    assert first < set(Article.objects.values_list("pk", flat=True))
    assert Article.objects.filter(external_id__startswith="demo-").count() == 6


def test_demo_story_has_a_picture_quote_fact_box_and_read_more_in_its_body(client):
    load_demo()
    story = Article.objects.published().get(external_id=DEMO_STORY_ID)

    body = client.get(story.get_absolute_url()).content.decode().split('class="story__body"')[1]

    assert '<figure class="figure figure--inline">' in body
    assert "Karakulov served 13 years in the guard" in body
    assert '<figure class="pull-quote"><blockquote><p>It would have been' in body
    assert '<aside class="fact-box"><h2>Key facts</h2>' in body
    (target,) = story.body.split('data-read-more="')[1:]
    other = Article.objects.published().get(pk=int(target.split('"')[0]))
    assert other.language == story.language and other.translation_of is None
    assert f'<a href="{other.get_absolute_url()}">{escape(other.headline)}</a>' in body
    assert story.body_pictures.count() == 1
    assert "embed" not in story.body  # the demo fetches nothing from the internet

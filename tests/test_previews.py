"""Previews: staff see any state under a banner; share links are signed, expiring and revocable."""

import uuid

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import signing
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from articles import workflow
from articles.models import PREVIEW_LINK_SALT, Article, PreviewLink

from .admin_forms import admin_url
from .conftest import ARTICLE_STATES, at, make_article, make_section, make_source, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status
BANNER = "<strong>Preview – not published.</strong>"
ROBOTS_META = '<meta name="robots" content="noindex, nofollow">'


def make_story(reporter, state: str = "draft", **fields) -> Article:
    """A story with `reporter` on its byline (but created by someone else)."""
    return make_article(
        headline="Defector reaches Berlin",
        section=make_section(name="Politics", slug="politics"),
        slug="defector-reaches-berlin",
        body="<p>He crossed the border at dawn.</p>",
        authors=[reporter.author_profile],
        tags=["Kremlin"],
        sources=[make_source(name="Dossier Center", slug="dossier-center")],
        **(ARTICLE_STATES[state] | fields),
    )


def assert_kept_private(response) -> None:
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]


# Staff preview


@pytest.mark.parametrize("state", ARTICLE_STATES)
@pytest.mark.parametrize("role", ["Editor", "author"])
def test_editors_and_authors_preview_any_state_under_a_banner(client, clock, reporter, role, state):
    article = make_story(reporter, state)
    client.force_login(reporter if role == "author" else make_staff(role))

    response = client.get(admin_url(article, "preview/"))

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, BANNER)
    assertContains(response, '<h1 class="story__headline">Defector reaches Berlin</h1>', html=True)
    assertContains(response, "He crossed the border at dawn.")
    assertContains(response, ROBOTS_META)
    assert_kept_private(response)


def test_preview_of_a_scheduled_story_says_when_it_goes_live(client, clock, reporter):
    article = make_story(reporter, "scheduled")
    client.force_login(reporter)

    response = client.get(admin_url(article, "preview/"))

    assertContains(response, "Status: Published, scheduled for")
    assertContains(response, '<time datetime="2026-04-06T09:00:00+02:00">')


def test_another_reporter_cannot_preview(client, clock, reporter):
    article = make_story(reporter)
    client.force_login(make_staff("Reporter", author_name="Anna Brandt"))

    response = client.get(admin_url(article, "preview/"))

    assert response.status_code == 403
    assertNotContains(response, "Defector reaches Berlin", status_code=403)


def test_anonymous_visitor_is_sent_to_log_in_for_a_staff_preview(client, clock, reporter):
    article = make_story(reporter)

    response = client.get(admin_url(article, "preview/"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Share-preview links


def create_link(client, article: Article) -> PreviewLink:
    response = client.post(admin_url(article, "preview-links/"))
    assert response.status_code == 302
    return article.preview_links.get()


@pytest.fixture
def shared(client, clock, reporter):
    """A draft whose author created a share link at noon on 5 April, then logged out."""
    article = make_story(reporter)
    client.force_login(reporter)
    link = create_link(client, article)
    client.logout()
    return link


def test_creating_a_link_makes_it_valid_for_48_hours(client, clock, reporter):
    article = make_story(reporter)
    client.force_login(reporter)

    response = client.post(admin_url(article, "preview-links/"))

    link = article.preview_links.get()
    assert (link.created_by, link.expires_at, link.revoked_at) == (
        reporter,
        at("2026-04-07 12:00"),
        None,
    )
    [message] = [m for m in get_messages(response.wsgi_request) if m.level == messages.SUCCESS]
    assert f"http://testserver{link.get_absolute_url()}" in str(message)
    assert "07 Apr 2026, 12:00" in str(message)


def test_link_lifetime_follows_the_setting(client, clock, reporter, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 2
    client.force_login(reporter)

    link = create_link(client, make_story(reporter))

    assert link.expires_at == at("2026-04-05 14:00")


def test_form_lists_the_active_links(client, clock, reporter):
    article = make_story(reporter)
    client.force_login(reporter)
    link = create_link(client, article)

    response = client.get(admin_url(article))

    assertContains(response, f"http://testserver{link.get_absolute_url()}")
    assertContains(response, admin_url(article, f"preview-links/{link.pk}/revoke/"))


def test_link_opens_the_preview_for_anyone(client, clock, shared):
    response = client.get(shared.get_absolute_url())

    assert response.status_code == 200
    assertTemplateUsed(response, "articles/article_detail.html")
    assertContains(response, BANNER)
    assertContains(response, "He crossed the border at dawn.")
    assertContains(response, ROBOTS_META)
    assertNotContains(response, 'rel="canonical"')
    assert_kept_private(response)


def test_link_answers_head_too(client, clock, shared):
    response = client.head(shared.get_absolute_url())

    assert response.status_code == 200
    assert_kept_private(response)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_link_is_read_only(client, clock, shared, method):
    response = getattr(client, method)(shared.get_absolute_url())

    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]


def test_link_works_until_just_before_it_expires(client, clock, shared):
    clock.now = at("2026-04-07 11:59:59")

    assert client.get(shared.get_absolute_url()).status_code == 200


def test_expired_link_is_gone_with_a_notice(client, clock, shared):
    clock.now = at("2026-04-07 12:00")

    response = client.get(shared.get_absolute_url())

    assert response.status_code == 410
    assertTemplateUsed(response, "articles/preview_expired.html")
    assertContains(response, "This preview link no longer works", status_code=410)
    assertNotContains(response, "He crossed the border", status_code=410)
    assert_kept_private(response)


def test_revoked_link_is_gone(client, clock, reporter, shared):
    client.force_login(reporter)
    revoked = client.post(admin_url(shared.article, f"preview-links/{shared.pk}/revoke/"))
    client.logout()

    response = client.get(shared.get_absolute_url())

    assert revoked.status_code == 302
    assert response.status_code == 410
    assertNotContains(response, "He crossed the border", status_code=410)
    shared.refresh_from_db()
    assert shared.revoked_at == at("2026-04-05 12:00")


def test_revoked_link_leaves_the_forms_list(client, clock, reporter, shared):
    client.force_login(reporter)
    client.post(admin_url(shared.article, f"preview-links/{shared.pk}/revoke/"))

    response = client.get(admin_url(shared.article))

    assertNotContains(response, shared.get_absolute_url())


def change_one_character(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


def test_token_with_an_altered_signature_is_404(client, clock, shared):
    token = change_one_character(shared.token, len(shared.token) - 3)

    assert client.get(f"/preview/{token}/").status_code == 404


def test_token_with_an_altered_key_is_404(client, clock, shared):
    assert shared.token[1] != ":"
    token = change_one_character(shared.token, 1)

    assert client.get(f"/preview/{token}/").status_code == 404


def test_validly_signed_unknown_key_is_404(client, clock, shared):
    token = signing.Signer(salt=PREVIEW_LINK_SALT).sign(str(uuid.uuid4()))

    assert client.get(f"/preview/{token}/").status_code == 404


def test_key_signed_for_another_purpose_is_404(client, clock, shared):
    token = signing.Signer().sign(str(shared.key))

    assert client.get(f"/preview/{token}/").status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "not-a-uuid:abc", ":"])
def test_malformed_token_is_404(client, clock, shared, token):
    assert client.get(f"/preview/{token}/").status_code == 404


def test_previewed_story_stays_off_the_public_pages(client, clock, reporter, shared):
    assert client.get(shared.get_absolute_url()).status_code == 200
    author_page = reporter.author_profile.get_absolute_url()

    for url in ["/", "/politics/", author_page, "/source/dossier-center/"]:
        assertNotContains(client.get(url), "Defector reaches Berlin")
    assert client.get("/politics/defector-reaches-berlin/").status_code == 404
    # Its tag is on no published story, so the tag itself stays unknown to readers.
    assert client.get("/tag/kremlin/").status_code == 404


def test_link_expiry_is_checked_on_each_visit(client, clock, shared):
    clock.advance(hours=47)
    assert client.get(shared.get_absolute_url()).status_code == 200

    clock.advance(hours=1)
    assert client.get(shared.get_absolute_url()).status_code == 410
    assert not PreviewLink.objects.active().exists()


# Withdrawn stories: a link never shows a story readers can no longer see


@pytest.fixture
def chief():
    return make_staff("Editor", username="chief")


def assert_gone(client, link: PreviewLink) -> None:
    """The link answers as an expired one does: 410, the same notice, none of the story."""
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assertTemplateUsed(response, "articles/preview_expired.html")
    assertContains(response, "This preview link no longer works", status_code=410)
    assertNotContains(response, "He crossed the border", status_code=410)
    assert_kept_private(response)


def test_link_made_for_a_draft_shows_the_story_while_it_is_live(client, clock, chief, shared):
    workflow.apply(shared.article, "publish", chief)

    response = client.get(shared.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "He crossed the border at dawn.")


def test_unpublishing_revokes_the_storys_share_links(client, clock, chief, shared):
    workflow.apply(shared.article, "publish", chief)
    clock.advance(hours=2)

    workflow.apply(shared.article, "unpublish", chief, comment="Legal takedown")

    assert_gone(client, shared)
    shared.refresh_from_db()
    assert shared.revoked_at == at("2026-04-05 14:00")
    assert not PreviewLink.objects.active().exists()


def test_unpublishing_keeps_the_record_of_earlier_revocations(client, clock, chief, reporter):
    article = make_story(reporter)
    earlier = article.preview_links.create(
        expires_at=at("2026-04-07 12:00"), revoked_at=at("2026-04-05 12:00")
    )
    later = article.preview_links.create(expires_at=at("2026-04-07 12:00"))
    workflow.apply(article, "publish", chief)
    clock.advance(hours=1)

    workflow.apply(article, "unpublish", chief, comment="Legal takedown")

    assert dict(article.preview_links.values_list("pk", "revoked_at")) == {
        earlier.pk: at("2026-04-05 12:00"),
        later.pk: at("2026-04-05 13:00"),
    }


def test_link_stops_opening_when_the_takedown_time_passes(client, clock, chief, reporter):
    article = make_story(reporter, expires_at=at("2026-04-05 18:00"))
    client.force_login(reporter)
    link = create_link(client, article)
    workflow.apply(article, "publish", chief)
    assert client.get(link.get_absolute_url()).status_code == 200

    clock.now = at("2026-04-05 18:00")

    assert_gone(client, link)
    assert not article.preview_links.active().exists()
    assert client.get(admin_url(article)).context["preview_links"] == []


def test_redrafting_a_withdrawn_story_does_not_revive_its_links(client, clock, chief, shared):
    workflow.apply(shared.article, "publish", chief)
    workflow.apply(shared.article, "unpublish", chief, comment="Legal takedown")

    workflow.apply(shared.article, "redraft", chief)

    assert shared.article.status == Status.DRAFT
    assert_gone(client, shared)


def test_redrafting_revokes_links_an_unpublished_story_still_had(client, clock, chief, reporter):
    # Links of stories unpublished before unpublishing revoked them, say.
    article = make_story(reporter, "unpublished")
    link = article.preview_links.create(expires_at=at("2026-04-06 12:00"))
    assert_gone(client, link)

    workflow.apply(article, "redraft", chief)

    assert_gone(client, link)
    link.refresh_from_db()
    assert link.revoked_at == at("2026-04-05 12:00")


def test_taking_down_then_redrafting_revokes_the_links(client, clock, chief, reporter):
    article = make_story(reporter, expires_at=at("2026-04-05 18:00"))
    client.force_login(reporter)
    link = create_link(client, article)
    workflow.apply(article, "publish", chief)
    clock.now = at("2026-04-05 19:00")

    workflow.apply(article, "unpublish", chief, comment="Taken down")
    workflow.apply(article, "redraft", chief)

    assert_gone(client, link)


def test_a_withdrawn_story_cannot_be_shared(client, clock, chief, reporter):
    article = make_story(reporter, "unpublished")
    client.force_login(chief)

    response = client.post(admin_url(article, "preview-links/"), follow=True)

    assert not article.preview_links.exists()
    assertContains(response, "Sharing a preview is not possible: the story is withdrawn.")
    assertNotContains(response, "Create a preview link")

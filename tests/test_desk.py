"""The desk: scheduling by the clock, the review queue, the desk's counts and lists."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, ArticleQuerySet, StatusChange

from .admin_forms import CHANGELIST, admin_url, edit_form
from .conftest import at, count_queries, make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def editor():
    return make_staff("Editor", username="dokafor")


# Scheduling, with nothing run at the scheduled time


@pytest.fixture
def scheduled(client, clock, reporter, editor):
    """A story an editor scheduled at noon for 18:00, to be taken down at 20:00."""
    article = make_article(
        headline="Defector reaches Berlin",
        section=make_section(slug="politics"),
        slug="defector-reaches-berlin",
        status=Status.IN_REVIEW,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    client.force_login(editor)
    to_schedule = client.post(
        admin_url(article),
        edit_form(article, expires_at_0="2026-04-05", expires_at_1="20:00", _transition="schedule"),
    )
    scheduling = client.post(
        to_schedule["Location"], {"publish_at_0": "2026-04-05", "publish_at_1": "18:00"}
    )
    assert scheduling.status_code == 302
    client.logout()
    return Article.objects.get(pk=article.pk)


def test_scheduled_story_is_hidden_until_its_time(client, clock, scheduled):
    clock.now = at("2026-04-05 17:59")

    assert client.get("/politics/defector-reaches-berlin/").status_code == 404
    assertNotContains(client.get("/"), "Defector reaches Berlin")
    assertNotContains(client.get("/politics/"), "Defector reaches Berlin")


def test_scheduled_story_appears_at_its_time_by_itself(client, clock, scheduled):
    clock.now = at("2026-04-05 18:00")

    assert client.get("/politics/defector-reaches-berlin/").status_code == 200
    assertContains(client.get("/"), "Defector reaches Berlin")
    assertContains(client.get("/politics/"), "Defector reaches Berlin")


def test_scheduled_story_is_gone_at_its_takedown_time(client, clock, scheduled):
    clock.now = at("2026-04-05 19:59")
    assert client.get("/politics/defector-reaches-berlin/").status_code == 200

    clock.now = at("2026-04-05 20:00")
    response = client.get("/politics/defector-reaches-berlin/")

    assert response.status_code == 410
    assertNotContains(client.get("/"), "Defector reaches Berlin")


def test_changelist_says_when_a_story_is_scheduled_and_when_it_expires(
    client, clock, scheduled, editor
):
    client.force_login(editor)

    before = client.get(CHANGELIST)
    clock.now = at("2026-04-05 19:00")
    live = client.get(CHANGELIST)

    assertContains(before, "Scheduled for 05 Apr 2026, 18:00")
    assertContains(live, "Published · Expires 05 Apr 2026, 20:00")


def desk_status(response) -> str:
    """The status line at the top of the article form, as one line of text."""
    assert response.status_code == 200
    line = re.search(
        r'<div class="article-status">\s*<p>(.*?)</p>', response.content.decode(), re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", line[1]).split())


def test_form_says_when_a_story_is_scheduled_and_when_it_expires(client, clock, scheduled, editor):
    client.force_login(editor)

    status = desk_status(client.get(admin_url(scheduled)))

    assert status == (
        "Published Scheduled for 5 April 2026, 18:00 CEST · Expires 5 April 2026, 20:00 CEST "
        "· version 1"
    )


def test_form_says_a_story_is_live_until_its_takedown_time(client, clock, scheduled, editor):
    client.force_login(editor)
    clock.now = at("2026-04-05 19:59")

    status = desk_status(client.get(admin_url(scheduled)))

    assert status == (
        "Published Live since 5 April 2026, 18:00 CEST · Expires 5 April 2026, 20:00 CEST "
        "· version 1"
    )


def test_form_says_a_story_has_expired_after_its_takedown_time(client, clock, scheduled, editor):
    client.force_login(editor)
    clock.now = at("2026-04-05 20:00")

    status = desk_status(client.get(admin_url(scheduled)))

    assert status == "Published · Expired 5 April 2026, 20:00 CEST · version 1"


# The review queue

REVIEW_QUEUE = f"{CHANGELIST}review/"


def submit(article: Article, user, hours_ago: float) -> None:
    """Record that `user` sent `article` into review `hours_ago` hours before now."""
    StatusChange.objects.create(
        article=article,
        from_status=Status.DRAFT,
        to_status=Status.IN_REVIEW,
        changed_by=user,
        changed_at=timezone.now() - timedelta(hours=hours_ago),
    )


def in_review(reporter, hours_ago: float, **fields) -> Article:
    article = make_article(status=Status.IN_REVIEW, published_at=None, **fields)
    submit(article, reporter, hours_ago)
    return article


def test_review_queue_lists_articles_in_review_oldest_submission_first(client, reporter, editor):
    # The waiting time is shown by Django's timesince, which reads the real clock.
    politics = make_section(name="Politics")
    newest = in_review(reporter, 1, headline="Newest submission")
    oldest = in_review(
        reporter,
        3,
        headline="Oldest submission",
        section=politics,
        authors=[make_author(name="Jens Kiffmeier"), make_author(name="Anna Brandt")],
    )
    middle = in_review(reporter, 2, headline="Middle submission")
    make_article(headline="A draft", status=Status.DRAFT, published_at=None)
    make_article(headline="Already published")
    client.force_login(editor)

    response = client.get(REVIEW_QUEUE)

    assert response.status_code == 200
    assert list(response.context["queue"]) == [oldest, middle, newest]
    assertContains(
        response,
        f'<td><a href="{admin_url(oldest)}">Oldest submission</a></td>'
        '<td data-label="Authors">Jens Kiffmeier, Anna Brandt</td>'
        '<td data-label="Section">Politics</td>',
        html=True,
    )
    row = re.search(r"Oldest submission.*?</tr>", response.content.decode(), re.DOTALL)[0]
    assert "3\xa0hours" in row
    assertNotContains(response, "A draft")
    assertNotContains(response, "Already published")


def test_review_queue_counts_from_the_latest_submission(client, reporter, editor):
    resubmitted = in_review(reporter, 5, headline="Returned and resubmitted")
    submit(resubmitted, reporter, 0.5)
    waiting = in_review(reporter, 2, headline="Waiting since two hours")
    client.force_login(editor)

    response = client.get(REVIEW_QUEUE)

    assert list(response.context["queue"]) == [waiting, resubmitted]


# The session, the user and their groups' permissions (4); whether the site has its settings
# yet; the unread count in the header; the queue and its bylines.
REVIEW_QUEUE_QUERIES = 8


def test_review_queue_query_count_does_not_grow_with_its_length(client, reporter, editor):
    client.force_login(editor)
    section = make_section()
    for hours in range(3):
        in_review(reporter, hours + 1, section=section, authors=[make_author(), make_author()])
    assert count_queries(client, REVIEW_QUEUE) == REVIEW_QUEUE_QUERIES

    for hours in range(12):
        in_review(reporter, hours + 4, authors=[make_author(), make_author()])

    assert len(client.get(REVIEW_QUEUE).context["queue"]) == 15
    assert count_queries(client, REVIEW_QUEUE) == REVIEW_QUEUE_QUERIES


# The desk's counts on the admin index, and the lists they link to

DESK_ENTRY = re.compile(
    r'<a href="([^"]+)"><span class="desk-summary__count">(\d+)</span> ([^<]+)</a>'
)


@pytest.fixture
def desk(clock, reporter):
    """Stories in every state on 5 April 2026 at noon; some are the reporter's own."""
    other = make_staff("Reporter", author_name="Anna Brandt")

    def story(owner, status, published_at=None, **fields):
        return make_article(
            created_by=owner,
            authors=[owner.author_profile],
            status=status,
            published_at=published_at and at(published_at),
            **fields,
        )

    return {
        "mine": [
            story(reporter, Status.DRAFT),
            story(reporter, Status.DRAFT),
            story(reporter, Status.IN_REVIEW),
            story(reporter, Status.CHANGES_REQUESTED),
            story(reporter, Status.PUBLISHED, "2026-04-06 09:00"),
            story(reporter, Status.PUBLISHED, "2026-04-05 09:00"),
        ],
        "others": [
            story(other, Status.DRAFT),
            story(other, Status.IN_REVIEW),
            story(other, Status.IN_REVIEW),
            story(other, Status.CHANGES_REQUESTED),
            story(other, Status.PUBLISHED, "2026-04-05 18:00"),
            story(other, Status.PUBLISHED, "2026-04-05 10:00"),
            story(other, Status.PUBLISHED, "2026-04-04 23:00"),
            story(other, Status.PUBLISHED, "2026-04-05 08:00", expires_at=at("2026-04-05 11:00")),
            story(other, Status.UNPUBLISHED, "2026-04-05 07:00"),
        ],
    }


def desk_counts(client) -> dict[str, tuple[int, str]]:
    response = client.get("/admin/")
    assert response.status_code == 200
    return {
        label: (int(count), url.replace("&amp;", "&"))
        for url, count, label in DESK_ENTRY.findall(response.content.decode())
    }


def test_admin_index_shows_a_reporter_the_desk_counts_of_their_own_work(client, desk, reporter):
    client.force_login(reporter)

    assert desk_counts(client) == {
        "My drafts": (2, f"{CHANGELIST}?desk=mine&status__exact=draft"),
        "Awaiting review": (1, f"{CHANGELIST}?desk=review"),
        "Changes requested": (1, f"{CHANGELIST}?desk=changes"),
        "Scheduled": (1, f"{CHANGELIST}?desk=scheduled"),
        "Published today": (1, f"{CHANGELIST}?desk=today"),
    }


def test_admin_index_shows_an_editor_the_whole_desk(client, desk, editor):
    client.force_login(editor)

    assert desk_counts(client) == {
        "My drafts": (0, f"{CHANGELIST}?desk=mine&status__exact=draft"),
        "Awaiting review": (3, REVIEW_QUEUE),
        "Changes requested": (2, f"{CHANGELIST}?desk=changes"),
        "Scheduled": (2, f"{CHANGELIST}?desk=scheduled"),
        "Published today": (2, f"{CHANGELIST}?desk=today"),
    }


def listed(client, url: str) -> set[Article]:
    response = client.get(url)
    assert response.status_code == 200
    if "queue" in response.context:
        return set(response.context["queue"])
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_each_desk_count_links_to_a_list_of_that_many_articles(client, desk, role, request):
    client.force_login(request.getfixturevalue(role))

    for label, (count, url) in desk_counts(client).items():
        assert len(listed(client, url)) == count, label


@pytest.mark.parametrize(
    ("desk_filter", "mine", "others"),
    [
        ("review", [2], [1, 2]),
        ("changes", [3], [3]),
        ("scheduled", [4], [4]),
        ("today", [5], [5]),
    ],
)
def test_desk_filter_returns_the_right_articles_to_an_editor(
    client, desk, editor, desk_filter, mine, others
):
    client.force_login(editor)

    result = listed(client, f"{CHANGELIST}?desk={desk_filter}")

    assert result == {desk["mine"][i] for i in mine} | {desk["others"][i] for i in others}


def test_desk_filter_mine_returns_the_reporters_own_articles(client, desk, reporter):
    client.force_login(reporter)

    assert listed(client, f"{CHANGELIST}?desk=mine") == set(desk["mine"])


def test_desk_filter_mine_is_empty_for_an_editor_who_wrote_nothing(client, desk, editor):
    client.force_login(editor)

    assert listed(client, f"{CHANGELIST}?desk=mine") == set()


def test_desk_lists_and_counts_follow_the_readers_rule(client, desk, editor, monkeypatch):
    """ "Published today" is built from published(): when the rule changes, the desk follows."""
    hidden = desk["others"][5]
    readers_rule = ArticleQuerySet.published
    monkeypatch.setattr(
        ArticleQuerySet, "published", lambda self: readers_rule(self).exclude(pk=hidden.pk)
    )
    client.force_login(editor)

    count, url = desk_counts(client)["Published today"]

    assert count == 1
    assert listed(client, url) == {desk["mine"][5]}


# Reading the desk writes nothing: it is safe to repeat, prefetch and cache

WRITES = ("INSERT", "UPDATE", "DELETE")
DESK_SCREENS = [
    "/admin/",
    CHANGELIST,
    f"{CHANGELIST}?desk=mine",
    REVIEW_QUEUE,
    "change/",
    "history/",
    "history/compare/?from=1&to=2",
    "preview/",
    "transition/request_changes/",
]


@pytest.mark.parametrize("screen", DESK_SCREENS)
def test_opening_a_desk_screen_writes_nothing(client, clock, reporter, editor, screen):
    article = in_review(reporter, 1, created_by=reporter, authors=[reporter.author_profile])
    article.record_revision(by=reporter)
    article.record_revision(by=reporter)
    client.force_login(editor)
    address = screen if screen.startswith("/") else admin_url(article, screen)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)

    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []


# Review comments on the form


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_review_comments_sit_beside_the_status_at_the_top_newest_first(
    client, clock, reporter, editor, role, request
):
    article = make_article(
        status=Status.IN_REVIEW,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    client.force_login(editor)
    client.post(admin_url(article, "transition/request_changes/"), {"comment": "Add a source."})
    clock.advance(minutes=5)
    client.post(admin_url(article, "comments/"), {"text": "Which one would do?"})
    client.force_login(request.getfixturevalue(role))

    response = client.get(admin_url(article))

    content = response.content.decode()
    top = content[content.index('class="form-top"') : content.index("<fieldset")]
    assert 'class="article-status"' in top
    assert 'id="review-comments"' in top
    assert "<p>Add a source.</p>" in top
    assert top.index("Which one would do?") < top.index("Add a source.")
    assertContains(response, '<p class="comment-list__meta"><strong>dokafor</strong>', count=2)


def test_the_comment_that_requested_changes_is_highlighted(client, clock, reporter, editor):
    article = make_article(
        status=Status.IN_REVIEW, published_at=None, created_by=reporter, authors=[]
    )
    client.force_login(editor)
    client.post(admin_url(article, "comments/"), {"text": "Looks promising."})
    client.post(admin_url(article, "transition/request_changes/"), {"comment": "Add a source."})

    content = client.get(admin_url(article)).content.decode()

    highlighted = re.findall(
        r'<li class="comment-list__item comment-list__item--changes-requested">(.*?)</li>',
        content,
        re.S,
    )
    assert len(highlighted) == 1
    assert "Add a source." in highlighted[0]
    assert "Changes requested" in highlighted[0]
    assert '<li class="comment-list__item">' in content  # the plain comment


def test_the_comment_field_belongs_to_a_form_of_its_own_outside_the_articles(
    client, reporter, editor
):
    article = make_article(status=Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(editor)

    response = client.get(admin_url(article))

    assertContains(response, 'form="review-comment-form"', count=2)  # the field and its button
    forms = FormNesting()
    forms.feed(response.content.decode())
    assert forms.opened["review-comment-form"] == []  # no form around it: browsers drop nested ones
    assert forms.opened["article_form"] == []


class FormNesting(HTMLParser):
    """Which forms are open (by id) where each form starts."""

    def __init__(self):
        super().__init__()
        self.open, self.opened = [], {}

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            form_id = dict(attrs).get("id", "")
            self.opened[form_id] = list(self.open)
            self.open.append(form_id)

    def handle_endtag(self, tag):
        if tag == "form":
            self.open.pop()

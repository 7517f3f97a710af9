from datetime import datetime, timedelta
from itertools import count

import pytest
from django.apps import apps
from django.utils import timezone

from articles.editing import save_story
from articles.models import Article, Author, Citation, Page, Publication, Section, Source

_numbers = count(1)


def pytest_ignore_collect(collection_path, config):
    """Leave the browser tests to a run of their own (`make test` makes one).

    Playwright's event loop and the live server's shared connection don't mix with the
    rest of the suite's transactions in one process.
    """
    if collection_path.name == "browser" and collection_path.parent.name == "tests":
        return not any("browser" in str(argument) for argument in config.args)
    return None


def make_section(**overrides) -> Section:
    number = next(_numbers)
    fields = {"name": f"Section {number}", "slug": f"section-{number}"} | overrides
    return Section.objects.create(**fields)


def make_author(**overrides) -> Author:
    number = next(_numbers)
    fields = {"name": f"Author {number}", "slug": f"author-{number}", "initials": "au"}
    return Author.objects.create(**(fields | overrides))


def make_source(**overrides) -> Source:
    number = next(_numbers)
    fields = {"name": f"Source {number}", "slug": f"source-{number}"} | overrides
    return Source.objects.create(**fields)


def make_article(
    *,
    authors: list[Author] | None = None,
    sources: list[Source | Citation] | None = None,
    tags: list[str] | None = None,
    **overrides,
) -> Article:
    """A published article from an hour ago, unless `overrides` say otherwise, saved as the
    app saves stories but without a revision (tests that need history record their own).

    `sources` are cited in order: a Source as it is, or an unsaved
    `Citation(source=…, note=…, url=…)` to say what was cited and link to it.
    """
    number = next(_numbers)
    fields = {
        "headline": f"Headline number {number}",
        "slug": f"headline-{number}",
        "standfirst": "What happened, in one sentence.",
        "body": "<p>First paragraph.</p><h2>A subheading</h2><p>Last paragraph.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    } | overrides
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article(**fields)
    save_story(
        article,
        authors=authors if authors is not None else [make_author()],
        citations=[
            source if isinstance(source, Citation) else Citation(source=source)
            for source in sources or []
        ],
        tags=tags or None,
        record_revision=False,
    )
    return article


def warm_sitewide_cache() -> None:
    """Load what every page shows from the cache, as it is on a running site.

    Query budgets count a page's own queries; the navigation, the policy pages and the
    publication settings cost a query each once per cache timeout for the whole site, not
    per page.
    """
    Section.objects.navigation()
    Page.objects.policies()
    Publication.objects.current()


# What a public page costs with the site-wide cache warm, however many stories it shows.
# A list page loads a page of its stories and then their bylines, after the channel's own row
# (the author's with their links); it counts nothing (articles/pagination.py: before issue 11
# each counted its whole list, one query more). Search results, ranked, are counted in the
# query that loads their page (a window over the ranked matches). The home
# page without a layout asks for one, then loads the stories it may show and their bylines
# (tests/test_front_page.py pins the arranged page).
LIST_PAGE_QUERIES = {
    "home": 3,
    "latest": 2,
    "section": 3,
    "author": 4,
    "tag": 3,
    "source": 3,
    "search": 2,
}
# The article with its section and pictures, then its bylines, citations, tags and
# corrections, and the related stories: those sharing its tags (if it has any), then the
# newest of its section.
ARTICLE_PAGE_QUERIES = {"tagged": 7, "untagged": 6}


def count_queries(client, url: str) -> int:
    """How many queries a GET of `url` runs, with the site-wide cache warm: the one way the
    tests count them, to pin a page's budget exactly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_sitewide_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def at(text: str) -> datetime:
    """An aware datetime in the current time zone, from "2026-04-05 10:00"."""
    return timezone.make_aware(datetime.fromisoformat(text))


NOW = at("2026-04-05 12:00")  # where the `clock` fixture stands

Status = Article.Status

# An article in each state of its life, as readers see it at NOW: the fields that make it.
ARTICLE_STATES = {
    "draft": {"status": Status.DRAFT, "published_at": None},
    "in_review": {"status": Status.IN_REVIEW, "published_at": None},
    "changes_requested": {"status": Status.CHANGES_REQUESTED, "published_at": None},
    "scheduled": {"status": Status.PUBLISHED, "published_at": at("2026-04-06 09:00")},
    "published": {"status": Status.PUBLISHED, "published_at": at("2026-04-05 09:00")},
    "unpublished": {"status": Status.UNPUBLISHED, "published_at": at("2026-04-04 09:00")},
    "expired": {
        "status": Status.PUBLISHED,
        "published_at": at("2026-04-04 09:00"),
        "expires_at": at("2026-04-05 11:00"),
    },
}

# The states readers must not see: every channel's leak test makes a story in each of them.
HIDDEN_STATES = {state: fields for state, fields in ARTICLE_STATES.items() if state != "published"}


def make_staff(role: str, username: str | None = None, author_name: str | None = None):
    """A staff user in one of the roles ("Reporter", "Editor", "Admin") the migrations create.

    With `author_name`, the user also gets an author profile, as reporters in a newsroom do.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username or f"{role.lower()}-{next(_numbers)}", password="pw-staff-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    if author_name:
        make_author(name=author_name, user=user)
    return user


@pytest.fixture
def editor(django_user_model):
    """A staff user with every permission of the articles app."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter(db):
    """Reporter Jens Kiffmeier (jkiffmeier), with his author profile."""
    return make_staff("Reporter", username="jkiffmeier", author_name="Jens Kiffmeier")


@pytest.fixture
def policies(db) -> dict[str, Page]:
    """A policy page in each role, made in an order (and with titles) other than the roles'."""
    return {
        role: Page.objects.create(title=title, slug=role.replace("_", "-"), role=role)
        for role, title in [
            (Page.Role.MASTHEAD, "About us"),
            (Page.Role.PUBLISHING_PRINCIPLES, "Standards"),
            (Page.Role.CORRECTIONS_POLICY, "Corrections"),
        ]
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow by design; the tests don't need it to be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


REAL_NOW = timezone.now


class Clock:
    """What "now" is during a test: set `clock.now`, or `advance()` it.

    `timezone.now()`, the models' default times and django-axes all read it.
    """

    def __init__(self, monkeypatch, now: datetime):
        self.now = now
        monkeypatch.setattr(timezone, "now", self.read)
        # django-axes imported `now` by name, before the clock could replace it.
        for module in ["axes.handlers.proxy", "axes.attempts"]:
            monkeypatch.setattr(f"{module}.now", self.read)
        # A field with `default=timezone.now` holds the real function itself.
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.default is REAL_NOW:
                    monkeypatch.setattr(field, "_get_default", self.read)

    def read(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A frozen clock, at NOW until the test moves it."""
    return Clock(monkeypatch, NOW)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Pictures and their renditions go to a folder of the test's own, never the project's
    media/; a test that looks at the files asks for this folder by name."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as a freshly deployed site does."""
    from django.core.cache import cache

    from articles.caching import fragment_copies, process_copies

    cache.clear()
    process_copies.clear()
    fragment_copies.clear()

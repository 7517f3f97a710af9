"""Roles beyond one article: lists, the admin's other screens, users, and ownership."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Author, Section, Source, Tag

from .admin_forms import CHANGELIST
from .conftest import (
    ARTICLE_STATES,
    make_article,
    make_author,
    make_section,
    make_source,
    make_staff,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def owner():
    return make_staff("Reporter", author_name="Olga Owner")


# Lists and the admin's other screens


def test_changelist_shows_a_reporter_only_their_own_articles(client, owner):
    other = make_staff("Reporter", author_name="Pia Other")
    created = make_article(headline="Created by the owner", created_by=owner, authors=[])
    bylined = make_article(headline="Owner has the byline", authors=[owner.author_profile])
    make_article(headline="Someone else's story", authors=[other.author_profile])
    client.force_login(owner)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {created, bylined}
    assertNotContains(response, "Someone else&#x27;s story")


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_changelist_shows_editors_every_article(client, owner, role):
    articles = {
        make_article(authors=[owner.author_profile]),
        make_article(status=Status.DRAFT, published_at=None),
        make_article(status=Status.IN_REVIEW, published_at=None),
    }
    client.force_login(make_staff(role))

    response = client.get(CHANGELIST)

    assert set(response.context["cl"].result_list) == articles


def test_review_queue_is_403_for_reporters(client, owner):
    client.force_login(owner)

    assert client.get(f"{CHANGELIST}review/").status_code == 403


def test_review_queue_opens_for_editors(client):
    client.force_login(make_staff("Editor"))

    assert client.get(f"{CHANGELIST}review/").status_code == 200


DESK_MODELS = {
    "section": (Section, make_section, {"name": "Opinion", "position": "0"}),
    "author": (
        Author,
        make_author,
        {"name": "Nina Rossi", "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"},
    ),
    "source": (Source, make_source, {"name": "Reuters", "kind": "agency"}),
    "tag": (Tag, lambda: Tag.objects.create(name="Putin", slug="putin"), {"name": "Kremlin"}),
}


@pytest.mark.parametrize("model", ["section", "author", "tag"])
def test_reporter_cannot_add_or_change_sections_authors_or_tags(client, owner, model):
    model_class, make, data = DESK_MODELS[model]
    existing = make()
    client.force_login(owner)
    count = model_class.objects.count()

    add_form = client.get(f"/admin/articles/{model}/add/")
    added = client.post(f"/admin/articles/{model}/add/", data | {"slug": "new-slug"})
    changed = client.post(f"/admin/articles/{model}/{existing.pk}/change/", data)

    assert (add_form.status_code, added.status_code, changed.status_code) == (403, 403, 403)
    assert model_class.objects.count() == count
    assert model_class.objects.get(pk=existing.pk).name == existing.name
    assert client.get(f"/admin/articles/{model}/").status_code == 200


def test_reporter_adds_a_source_but_cannot_change_one(client, owner):
    existing = make_source(name="Reuters")
    client.force_login(owner)

    added = client.post(
        "/admin/articles/source/add/", {"name": "Meduza", "slug": "meduza", "kind": "publication"}
    )
    changed = client.post(
        f"/admin/articles/source/{existing.pk}/change/",
        {"name": "Renamed", "slug": "reuters", "kind": "agency"},
    )

    assert added.status_code == 302
    assert Source.objects.filter(name="Meduza", slug="meduza").exists()
    assert changed.status_code == 403
    assert Source.objects.get(pk=existing.pk).name == "Reuters"


@pytest.mark.parametrize("model", DESK_MODELS)
def test_editor_adds_sections_authors_sources_and_tags(client, model):
    model_class, _, data = DESK_MODELS[model]
    client.force_login(make_staff("Editor"))

    response = client.post(f"/admin/articles/{model}/add/", data | {"slug": f"new-{model}"})

    assert response.status_code == 302
    assert model_class.objects.filter(slug=f"new-{model}").exists()


@pytest.mark.parametrize(
    ("model_name", "field_name", "make", "name"),
    [
        ("byline", "author", lambda: make_author(name="Nina Rossi"), "Nina Rossi"),
        ("citation", "source", lambda: make_source(name="Reuters"), "Reuters"),
        ("article", "tags", lambda: Tag.objects.create(name="Putin", slug="putin"), "Putin"),
    ],
)
def test_reporter_can_use_the_author_source_and_tag_autocomplete(
    client, owner, model_name, field_name, make, name
):
    target = make()
    client.force_login(owner)

    response = client.get(
        "/admin/autocomplete/",
        {
            "term": name[:3],
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
        },
    )

    assert response.status_code == 200
    assert {"id": str(target.pk), "text": name} in response.json()["results"]


# Users and roles


@pytest.fixture
def chief(client):
    """A non-superuser in the Admin role, logged in."""
    user = make_staff("Admin", username="chief")
    client.force_login(user)
    return user


def test_admin_role_manages_users_and_groups(client, chief):
    users = client.get("/admin/auth/user/")
    added = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newreporter",
            "usable_password": "true",
            "password1": "a-long-Passw0rd!",
            "password2": "a-long-Passw0rd!",
        },
    )
    view_tags = Permission.objects.get(content_type__app_label="articles", codename="view_tag")

    group = client.post(
        "/admin/auth/group/add/", {"name": "Photo desk", "permissions": [view_tags.pk]}
    )

    assert users.status_code == 200
    assert added.status_code == 302
    assert get_user_model().objects.filter(username="newreporter").exists()
    assert group.status_code == 302
    assert list(Group.objects.get(name="Photo desk").permissions.all()) == [view_tags]


def test_reporters_cannot_see_users_or_roles(client):
    client.force_login(make_staff("Reporter"))

    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_editors_see_staff_logins_but_cannot_manage_users_or_roles(client):
    reporter = make_staff("Reporter")
    client.force_login(make_staff("Editor"))

    assert client.get("/admin/auth/user/").status_code == 200
    added = client.post(
        "/admin/auth/user/add/",
        {"username": "intruder", "password1": "x-Long-pass-42", "password2": "x-Long-pass-42"},
    )
    changed = client.post(
        f"/admin/auth/user/{reporter.pk}/change/", {"username": "renamed", "is_staff": "on"}
    )
    assert added.status_code == 403
    assert changed.status_code == 403
    assert not get_user_model().objects.filter(username__in=["intruder", "renamed"]).exists()
    assert client.get("/admin/auth/group/").status_code == 403


def test_editors_can_link_an_author_to_a_staff_login(client):
    reporter = make_staff("Reporter", username="lbrandt")
    client.force_login(make_staff("Editor"))

    response = client.get(
        "/admin/autocomplete/",
        {"term": "lbr", "app_label": "articles", "model_name": "author", "field_name": "user"},
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(reporter.pk)]


def test_admin_role_opens_a_users_form_with_superuser_status_read_only(client, chief):
    reporter = make_staff("Reporter")

    response = client.get(f"/admin/auth/user/{reporter.pk}/change/")

    assert response.status_code == 200
    assertContains(response, 'name="groups"')
    assertNotContains(response, 'name="is_superuser"')


def test_admin_role_cannot_make_anyone_a_superuser(client, chief):
    reporter = make_staff("Reporter")
    editors = Group.objects.get(name="Editor")

    response = client.post(
        f"/admin/auth/user/{reporter.pk}/change/",
        {
            "username": reporter.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [editors.pk],
            "date_joined_0": "2026-04-01",
            "date_joined_1": "09:00:00",
            "last_login_0": "",
            "last_login_1": "",
        },
    )

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert not reporter.is_superuser
    assert list(reporter.groups.all()) == [editors]


def test_admin_role_cannot_take_over_a_superusers_account(client, chief):
    root = get_user_model().objects.create_superuser("root", password="root-pw-123")

    response = client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "chiefs-own-Passw0rd", "password2": "chiefs-own-Passw0rd"},
    )

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("root-pw-123")


# The model's own checks


def test_author_owns_article_through_created_by(owner):
    article = make_article(created_by=owner, authors=[make_author()])

    assert article.is_owned_by(owner)


def test_author_owns_article_through_their_byline(owner):
    article = make_article(created_by=make_staff("Editor"), authors=[owner.author_profile])

    assert article.is_owned_by(owner)


def test_other_users_and_anonymous_visitors_do_not_own_an_article(owner):
    article = make_article(created_by=owner, authors=[owner.author_profile])

    assert not article.is_owned_by(make_staff("Reporter", author_name="Pia Other"))
    assert not article.is_owned_by(make_staff("Editor"))
    assert not article.is_owned_by(AnonymousUser())


@pytest.mark.parametrize("through", ["created_by", "byline"])
@pytest.mark.parametrize(
    ("state", "editable"),
    [
        ("draft", True),
        ("in_review", False),
        ("changes_requested", True),
        ("published", False),
        ("scheduled", False),
        ("unpublished", False),
        ("expired", False),
    ],
)
def test_reporter_edits_own_drafts_and_returned_articles_only(owner, through, state, editable):
    article = make_article(
        created_by=owner if through == "created_by" else None,
        authors=[owner.author_profile] if through == "byline" else [make_author()],
        **ARTICLE_STATES[state],
    )

    assert article.can_be_viewed_by(owner)
    assert article.can_be_edited_by(owner) is editable


def test_inactive_editor_can_neither_view_nor_edit(owner):
    editor = make_staff("Editor")
    editor.is_active = False
    editor.save()
    article = make_article(created_by=owner)

    assert not article.can_be_viewed_by(editor)
    assert not article.can_be_edited_by(editor)


def test_owner_without_the_reporter_role_can_neither_view_nor_edit():
    user = get_user_model().objects.create_user("intern", is_staff=True)
    article = make_article(created_by=user, status=Status.DRAFT, published_at=None)

    assert article.is_owned_by(user)
    assert not article.can_be_viewed_by(user)
    assert not article.can_be_edited_by(user)

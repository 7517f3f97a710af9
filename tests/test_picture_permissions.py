"""Who may see and change a picture in the image library, and the record of changes to
pictures in use: the permission matrix for pictures, enforced in the admin."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from images.models import Image, ImageChange

from .conftest import ARTICLE_STATES, at, make_article, make_author, make_section, make_staff
from .images_support import make_image, picture_bytes, stored_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

Status = Article.Status
IMAGES = "/admin/images/image/"

# How the owner's picture is used. Readers see the lead pictures of published stories and
# author photos; a scheduled story's will be seen; a section's default picture is shared with
# its stories; a published story's social picture is shared instead of its lead picture.
# Those five are "in use".
USAGES = {
    "unused": None,
    "draft": ARTICLE_STATES["draft"],
    "withdrawn": ARTICLE_STATES["unpublished"],
    "published": ARTICLE_STATES["published"],
    "scheduled": ARTICLE_STATES["scheduled"],
    "author": "photo",
    "default": "section default",
    "social": "social picture of a published story",
    "social-draft": "social picture of a draft",
}

# What each role may do with a picture the owner (a reporter) uploaded. "other" is another
# reporter. edit: the form opens for editing; read: it opens read-only; ok: the change is
# saved; 403: refused (403), and nothing changes.
MATRIX = """
action role   unused draft withdrawn published scheduled author default social social-draft
open   owner  edit   edit  edit      read      read      read   read    read   edit
open   other  403    403   403       read      403       read   read    read   403
open   editor edit   edit  edit      edit      edit      edit   edit    edit   edit
open   admin  edit   edit  edit      edit      edit      edit   edit    edit   edit
change owner  ok     ok    ok        403       403       403    403     403    ok
change other  403    403   403       403       403       403    403     403    403
change editor ok     ok    ok        ok        ok        ok     ok      ok     ok
change admin  ok     ok    ok        ok        ok        ok     ok      ok     ok
"""

IN_USE = {"published", "scheduled", "author", "default", "social"}


def read_matrix() -> dict[tuple[str, str, str], str]:
    """MATRIX as {(action, role, usage): expected}."""
    header, *rows = [line.split() for line in MATRIX.strip().splitlines()]
    return {
        (action, role, usage): expected
        for action, role, *outcomes in rows
        for usage, expected in zip(header[2:], outcomes, strict=True)
    }


OUTCOMES = read_matrix()

# One edit per field a picture has, as typed into its form.
EDITS = {
    "file": {"file": lambda: upload(picture_bytes((500, 400), file_format="PNG"), "new.png")},
    "alt_text": {"alt_text": lambda: "Riot police at the Narva crossing."},
    "caption": {"caption": lambda: "A different caption."},
    "credit": {"credit": lambda: "Someone Else/AP"},
    "focal_point": {"focal_x": lambda: "0.2", "focal_y": lambda: "0.8"},
}


@pytest.fixture
def owner():
    return make_staff("Reporter", author_name="Olga Owner")


def make_picture(owner, usage: str) -> Image:
    """A small picture `owner` uploaded, used as `usage` says."""
    image = make_image(
        picture_bytes((400, 300)),
        uploaded_by=owner,
        alt_text="Gleb Karakulov at the border crossing.",
        caption="The border crossing at Narva.",
        credit="Olga Owner",
    )
    if usage == "author":
        make_author(name="Nina Rossi", photo=image)
    elif usage == "default":
        make_section(name="World", slug="world", default_picture=image)
    elif usage.startswith("social"):
        make_article(
            headline="Defector reaches Berlin",
            social_picture=image,
            authors=[owner.author_profile],
            created_by=owner,
            **USAGES["draft" if usage == "social-draft" else "published"],
        )
    elif USAGES[usage] is not None:
        make_article(
            headline="Defector reaches Berlin",
            lead_picture=image,
            authors=[owner.author_profile],
            created_by=owner,
            **USAGES[usage],
        )
    return image


def acting_user(role: str, owner):
    if role == "owner":
        return owner
    return make_staff({"other": "Reporter", "editor": "Editor", "admin": "Admin"}[role])


def stored(image: Image) -> dict:
    """Everything about `image` that a change could touch."""
    return Image.objects.filter(pk=image.pk).values(
        "file", "alt_text", "caption", "credit", "focal_x", "focal_y", "width", "height"
    )[0]


def change_form(image: Image, edit: str) -> dict:
    """POST data of `image`'s change form as it opens, with the `edit` typed in."""
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
    }
    return data | {name: value() for name, value in EDITS[edit].items()}


# What each edit leaves in the database (a replaced file also gets a new stored name).
EDITED = {
    "file": {"width": 500, "height": 400},
    "alt_text": {"alt_text": "Riot police at the Narva crossing."},
    "caption": {"caption": "A different caption."},
    "credit": {"credit": "Someone Else/AP"},
    "focal_point": {"focal_x": 0.2, "focal_y": 0.8},
}


def changed(before: dict, after: dict, edit: str) -> bool:
    """Whether the edit, and nothing else, reached the database."""
    expected = before | EDITED[edit]
    if edit == "file":
        if after["file"] == before["file"]:
            return False
        expected["file"] = after["file"]
    return after == expected


@pytest.mark.parametrize(
    ("role", "usage", "expected"),
    [
        pytest.param(role, usage, expected, id=f"{role}-opens-{usage}")
        for (action, role, usage), expected in OUTCOMES.items()
        if action == "open"
    ],
)
def test_opening_a_picture_follows_the_matrix(client, owner, role, usage, expected):
    image = make_picture(owner, usage)
    client.force_login(acting_user(role, owner))

    response = client.get(f"{IMAGES}{image.pk}/change/")

    if expected == "403":
        assert response.status_code == 403
        assertNotContains(response, "Gleb Karakulov", status_code=403)
        return
    assert response.status_code == 200
    assertContains(response, "Gleb Karakulov at the border crossing.")
    if expected == "edit":
        assertContains(response, 'name="alt_text"')
        assertContains(response, 'name="_save"')
    else:
        assertNotContains(response, 'name="alt_text"')
        assertNotContains(response, 'name="_save"')


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize(
    ("role", "usage", "expected"),
    [
        pytest.param(role, usage, expected, id=f"{role}-changes-{usage}")
        for (action, role, usage), expected in OUTCOMES.items()
        if action == "change"
    ],
)
def test_changing_a_picture_follows_the_matrix(
    client, media_root, owner, role, usage, expected, edit, django_capture_on_commit_callbacks
):
    image = make_picture(owner, usage)
    user = acting_user(role, owner)
    client.force_login(user)
    before, files_before = stored(image), stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{IMAGES}{image.pk}/change/", change_form(image, edit))

    after = stored(image)
    if expected == "403":
        assert response.status_code == 403
        assert after == before
        assert stored_files(media_root) == files_before
        assert not ImageChange.objects.exists()
        return
    assert response.status_code == 302
    assert changed(before, after, edit)
    records = list(ImageChange.objects.filter(image=image))
    if usage in IN_USE:
        [record] = records
        assert record.changed_by == user
        assert set(record.changes) == set(EDITS[edit])
    else:
        assert records == []


def test_matrix_covers_every_role_usage_and_action():
    assert set(OUTCOMES) == {
        (action, role, usage)
        for action in ["open", "change"]
        for role in ["owner", "other", "editor", "admin"]
        for usage in USAGES
    }


@pytest.mark.parametrize("usage", USAGES)
@pytest.mark.parametrize("role", ["owner", "other", "editor", "admin"])
def test_model_permission_checks_agree_with_the_matrix(owner, role, usage):
    image = make_picture(owner, usage)
    user = acting_user(role, owner)

    assert image.can_be_viewed_by(user) == (OUTCOMES["open", role, usage] != "403")
    assert image.can_be_changed_by(user) == (OUTCOMES["change", role, usage] == "ok")
    assert image.is_in_use == (usage in IN_USE)
    assert (image in Image.objects.in_use()) == (usage in IN_USE)


def test_a_story_past_its_takedown_time_no_longer_keeps_its_picture_in_use(owner):
    image = make_picture(owner, "unused")
    make_article(
        lead_picture=image, published_at=at("2026-04-01 09:00"), expires_at=at("2026-04-05 11:00")
    )

    assert not image.is_in_use
    assert image.can_be_changed_by(owner)


def test_reporters_without_the_role_or_inactive_cannot_change_their_own_upload(owner):
    image = make_picture(owner, "unused")
    owner.groups.clear()
    assert not image.can_be_changed_by(owner) and not image.can_be_viewed_by(owner)

    editor = make_staff("Editor")
    editor.is_active = False
    assert not image.can_be_changed_by(editor) and not image.can_be_viewed_by(editor)


@pytest.mark.parametrize("path", ["history/", "delete/"])
def test_another_reporters_unused_upload_is_refused_on_every_screen(client, owner, path):
    image = make_picture(owner, "unused")
    client.force_login(make_staff("Reporter"))

    response = client.get(f"{IMAGES}{image.pk}/{path}")

    assert response.status_code == 403
    assertNotContains(response, "Gleb Karakulov", status_code=403)


# The image library's list


def test_library_lists_for_a_reporter_their_uploads_and_the_pictures_readers_see(client, owner):
    other = make_staff("Reporter", author_name="Pia Other")
    own = make_image(picture_bytes((400, 300)), uploaded_by=owner, caption="Own upload")
    others_unused = make_image(picture_bytes((400, 300)), uploaded_by=other, caption="Hidden 1")
    others_scheduled = make_image(picture_bytes((400, 300)), uploaded_by=other, caption="Hidden 2")
    others_draft = make_image(picture_bytes((400, 300)), uploaded_by=other, caption="Hidden 3")
    published = make_image(picture_bytes((400, 300)), uploaded_by=other, caption="Published")
    photo = make_image(picture_bytes((400, 300)), uploaded_by=other, caption="Photo")
    on_own_draft = make_image(picture_bytes((400, 300)), caption="Chosen by an editor")
    make_article(
        lead_picture=others_scheduled, **USAGES["scheduled"], authors=[other.author_profile]
    )
    make_article(lead_picture=others_draft, **USAGES["draft"], authors=[other.author_profile])
    make_article(lead_picture=published, **USAGES["published"], authors=[other.author_profile])
    make_article(lead_picture=on_own_draft, **USAGES["draft"], authors=[owner.author_profile])
    make_author(name="Nina Rossi", photo=photo)
    client.force_login(owner)

    response = client.get(IMAGES)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [on_own_draft, photo, published, own]
    for hidden in (others_unused, others_scheduled, others_draft):
        assertNotContains(response, hidden.caption)
    assert set(Image.objects.visible_to(owner)) == {on_own_draft, photo, published, own}


@pytest.mark.parametrize("role", ["Editor", "Admin"])
def test_library_lists_every_picture_for_editors(client, owner, role):
    pictures = [make_picture(owner, usage) for usage in USAGES]
    client.force_login(make_staff(role))

    response = client.get(IMAGES)

    assert set(response.context["cl"].result_list) == set(pictures)


# The record of changes to pictures in use


@pytest.fixture
def editor(client):
    user = make_staff("Editor", username="chief-photo")
    user.first_name, user.last_name = "Petra", "Desk"
    user.save()
    client.force_login(user)
    return user


def test_replacing_a_published_lead_picture_records_the_old_file_and_texts(
    client, owner, editor, django_capture_on_commit_callbacks
):
    image = make_picture(owner, "published")
    old_name = image.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{IMAGES}{image.pk}/change/",
            change_form(image, "file") | {"alt_text": "Karakulov at the crossing, at night."},
        )

    assert response.status_code == 302
    image.refresh_from_db()
    record = image.changes.get()
    assert (record.changed_by, record.changed_at) == (editor, at("2026-04-05 12:00"))
    assert record.changes == {
        "file": {"old": old_name, "new": image.file.name},
        "alt_text": {
            "old": "Gleb Karakulov at the border crossing.",
            "new": "Karakulov at the crossing, at night.",
        },
    }
    assert old_name != image.file.name


def test_saving_a_picture_in_use_unchanged_records_nothing(client, owner, editor):
    image = make_picture(owner, "author")

    response = client.post(
        f"{IMAGES}{image.pk}/change/", change_form(image, "caption") | {"caption": image.caption}
    )

    assert response.status_code == 302
    assert not ImageChange.objects.exists()


def test_save_change_records_changes_made_outside_the_admin(owner):
    image = make_picture(owner, "scheduled")
    image.credit = "Olga Owner/Reuters"

    record = image.save_change(by=None)

    assert record is not None and record.changed_by is None
    assert record.changes == {"credit": {"old": "Olga Owner", "new": "Olga Owner/Reuters"}}
    assert Image.objects.get(pk=image.pk).credit == "Olga Owner/Reuters"


def test_editors_see_the_change_record_on_the_picture_page(client, owner, editor, clock):
    image = make_picture(owner, "published")
    client.post(f"{IMAGES}{image.pk}/change/", change_form(image, "caption"))
    clock.advance(hours=1)
    client.post(
        f"{IMAGES}{image.pk}/change/",
        change_form(Image.objects.get(pk=image.pk), "credit") | {"credit": "<b>AP</b>"},
    )

    response = client.get(f"{IMAGES}{image.pk}/change/")

    assertContains(response, "Changes while in use")
    rows = response.content.decode().split('<table class="image-change-record">')[1]
    assert rows.index("Credit: “Olga Owner” → “&lt;b&gt;AP&lt;/b&gt;”") < rows.index(
        "Caption: “The border crossing at Narva.” → “A different caption.”"
    )
    assert rows.count("Petra Desk") == 2


def test_reporters_do_not_see_the_change_record(client, owner, editor):
    image = make_picture(owner, "published")
    client.post(f"{IMAGES}{image.pk}/change/", change_form(image, "caption"))
    client.force_login(owner)

    response = client.get(f"{IMAGES}{image.pk}/change/")

    assert response.status_code == 200
    assertNotContains(response, "Changes while in use")
    assertNotContains(response, "Petra Desk")

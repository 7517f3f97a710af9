"""The body's blocks as stored: what the sanitizer keeps of them, and what the article form
refuses (a clear error on the body, nothing saved)."""

import pytest
from pytest_django.asserts import assertContains

from articles.editing import save_story
from articles.embeds import BUILT_IN
from articles.models import Article, BodyPicture
from articles.richtext import sanitize_html

from .admin_forms import admin_url, autosaved, edit_form
from .conftest import make_article, make_staff
from .embeds_support import FRAME, VIDEO, embed_block
from .images_support import make_image, picture_bytes

PICTURE = (
    '<figure data-image="{pk}" data-size="inline" data-alt="Gleb Karakulov at the border." '
    'data-caption="At the crossing."></figure>'
)
PULL_QUOTE = (
    '<figure data-block="pull-quote"><blockquote><p>We had no choice.</p></blockquote>'
    "<figcaption>Gleb Karakulov</figcaption></figure>"
)
FACT_BOX = (
    '<aside data-block="fact-box"><h2>Key facts</h2><ul><li>Left in 2022.</li>'
    "<li>Served in the FSO.</li></ul></aside>"
)
READ_MORE = '<aside data-read-more="{pk}"><a href="/world/earlier/">Earlier story</a></aside>'
# The link inside "Read more", as the sanitizer writes every link.
READ_MORE_STORED = (
    '<aside data-read-more="{pk}"><a href="/world/earlier/" rel="noopener noreferrer">'
    "Earlier story</a></aside>"
)


# What the sanitizer keeps


@pytest.mark.parametrize(
    "block",
    [
        PICTURE.format(pk=42),
        '<figure data-image="42" data-size="full" data-alt="Alt"></figure>',
        embed_block(),
        PULL_QUOTE,
        '<figure data-block="pull-quote"><blockquote><p>Quote.</p></blockquote></figure>',
        FACT_BOX,
        READ_MORE_STORED.format(pk=7),
    ],
)
def test_sanitizer_keeps_each_block_of_the_contract_as_it_is(block):
    body = f"<p>Before.</p>{block}<p>After.</p>"

    assert sanitize_html(body) == body


@pytest.mark.parametrize(
    ("hostile", "kept"),
    [
        (
            '<figure data-image="42" data-alt="A" onerror="steal()" style="color:red" '
            'class="x"></figure>',
            '<figure data-image="42" data-alt="A"></figure>',
        ),
        (
            '<figure data-embed="javascript:alert(1)" data-frame="javascript:alert(1)" '
            'data-thumbnail="data:image/png;base64,AAAA"></figure>',
            "<figure></figure>",
        ),
        (
            '<figure data-embed="https://www.youtube.com/watch?v=abcdefg" '
            'data-frame=" javascript:alert(1)"></figure>',
            '<figure data-embed="https://www.youtube.com/watch?v=abcdefg"></figure>',
        ),
        ('<figure data-image="42 onerror=x" data-size="huge"></figure>', "<figure></figure>"),
        ('<aside data-read-more="-1" data-block="pull-quote"></aside>', "<aside></aside>"),
        ('<figure data-block="fact-box" data-x="1" onclick="x()"></figure>', "<figure></figure>"),
        (
            '<aside data-block="fact-box"><h2 onmouseover="x()">Key facts</h2>'
            '<ul><li><a href="javascript:steal()">Fact</a></li></ul></aside>',
            '<aside data-block="fact-box"><h2>Key facts</h2>'
            '<ul><li><a rel="noopener noreferrer">Fact</a></li></ul></aside>',
        ),
    ],
)
def test_sanitizer_removes_hostile_attributes_and_values_not_of_their_kind(hostile, kept):
    assert sanitize_html(hostile) == kept


def test_sanitizer_still_drops_frames_written_by_scripts_and_imports():
    assert sanitize_html(f'<p>A</p><iframe src="{FRAME}"></iframe><embed src="x">') == "<p>A</p>"


# The article form


@pytest.fixture
def desk():
    return make_staff("Editor")


@pytest.fixture
def story(desk):
    return make_article(status=Article.Status.DRAFT, published_at=None, created_by=desk)


def post_body(client, story, body):
    return client.post(admin_url(story), edit_form(story, headline="Changed", body=body))


def assert_refused(response, story, *messages):
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == list(messages)
    stored = Article.objects.get(pk=story.pk)
    assert (stored.headline, stored.body, stored.version) == (
        story.headline,
        story.body,
        story.version,
    )


@pytest.mark.django_db
def test_article_form_saves_every_kind_of_block(client, desk, story):
    picture = make_image(picture_bytes((400, 300)))
    earlier = make_article(headline="Earlier story")
    body = (
        f"<p>Before.</p>{PICTURE.format(pk=picture.pk)}{embed_block()}{PULL_QUOTE}{FACT_BOX}"
        f"{READ_MORE.format(pk=earlier.pk)}<p>After.</p>"
    )
    client.force_login(desk)

    response = post_body(client, story, body)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == (
        f"<p>Before.</p>{PICTURE.format(pk=picture.pk)}{embed_block()}{PULL_QUOTE}{FACT_BOX}"
        f"{READ_MORE_STORED.format(pk=earlier.pk)}<p>After.</p>"
    )
    assert list(BodyPicture.objects.values_list("article", "image")) == [(story.pk, picture.pk)]


@pytest.mark.django_db
def test_article_form_refuses_an_embed_off_the_allowlist_naming_the_providers(client, desk, story):
    client.force_login(desk)
    body = embed_block(url="https://evil.example/watch?v=1", frame="")

    response = post_body(client, story, body)

    names = ", ".join(provider.name for provider in BUILT_IN[:-1])
    assert_refused(
        response,
        story,
        "“https://evil.example/watch?v=1” is not a link embeds are allowed from. Paste the "
        f"address of a post, video or chart on {names} and {BUILT_IN[-1].name}, or add it as "
        "an ordinary link.",
    )


@pytest.mark.django_db
def test_article_form_refuses_an_embed_whose_player_is_elsewhere(client, desk, story):
    client.force_login(desk)
    body = embed_block(frame="https://evil.example/player")

    response = post_body(client, story, body)

    assert_refused(
        response,
        story,
        f"The embed of “{VIDEO}” names a player outside YouTube (https://evil.example). "
        "Insert the embed again from its address.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("element", ["iframe", "embed", "IFRAME"])
def test_article_form_refuses_a_pasted_frame_by_name(client, desk, story, element):
    client.force_login(desk)
    body = f'<p>Watch:</p><{element} src="{FRAME}"></{element}><p>After.</p>'

    response = post_body(client, story, body)

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["body"]
    assert error.startswith(f"The body contains an <{element.lower()}> element, which is not")
    assert "YouTube" in error and "insert it as an embed, by its address" in error
    assert Article.objects.get(pk=story.pk).headline == story.headline


@pytest.mark.django_db
@pytest.mark.parametrize("alt", ["", "   "])
def test_article_form_refuses_a_picture_without_alt_text(client, desk, story, alt):
    picture = make_image(picture_bytes((400, 300)))
    client.force_login(desk)

    response = post_body(
        client, story, f'<figure data-image="{picture.pk}" data-alt="{alt}"></figure>'
    )

    assert_refused(
        response,
        story,
        f"Picture {picture.pk} has no alt text. Describe what it shows for readers who can't "
        "see it.",
    )


@pytest.mark.django_db
def test_article_form_refuses_a_picture_that_does_not_exist(client, desk, story):
    client.force_login(desk)

    response = post_body(client, story, PICTURE.format(pk=999999))

    assert_refused(
        response,
        story,
        "Picture 999999 does not exist in the picture library, or you may not use it. Choose "
        "the picture again.",
    )


@pytest.mark.django_db
def test_article_form_refuses_a_reporter_a_picture_they_may_not_see(client):
    reporter = make_staff("Reporter", author_name="Rita Reporter")
    others = make_image(picture_bytes((400, 300)), uploaded_by=make_staff("Reporter"))
    own = make_image(picture_bytes((400, 300)), uploaded_by=reporter)
    story = make_article(
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        authors=[reporter.author_profile],
    )
    client.force_login(reporter)

    refused = post_body(client, story, PICTURE.format(pk=others.pk))
    assert_refused(
        refused,
        story,
        f"Picture {others.pk} does not exist in the picture library, or you may not use it. "
        "Choose the picture again.",
    )
    accepted = post_body(client, story, PICTURE.format(pk=own.pk))

    assert accepted.status_code == 302
    assert Article.objects.get(pk=story.pk).body == PICTURE.format(pk=own.pk)


@pytest.mark.django_db
def test_article_form_refuses_a_read_more_story_that_does_not_exist(client, desk, story):
    client.force_login(desk)

    response = post_body(client, story, READ_MORE.format(pk=987654))

    assert_refused(
        response,
        story,
        "The “Read more” link names story 987654, which does not exist. Choose the story again.",
    )


@pytest.mark.django_db
def test_article_form_names_a_value_not_of_its_kind(client, desk, story):
    picture = make_image(picture_bytes((400, 300)))
    client.force_login(desk)

    response = post_body(
        client,
        story,
        f'<figure data-image="{picture.pk}" data-size="huge" data-alt="Alt"></figure>',
    )

    assert_refused(response, story, "A picture has an invalid data-size (“huge”).")


@pytest.mark.django_db
def test_article_form_lists_every_problem_at_once(client, desk, story):
    client.force_login(desk)

    response = post_body(
        client,
        story,
        f'<iframe src="{FRAME}"></iframe>{READ_MORE.format(pk=987654)}'
        '<figure data-image="999999" data-alt=""></figure>',
    )

    errors = response.context["adminform"].form.errors["body"]
    assert len(errors) == 4
    assertContains(response, "does not exist in the picture library")


@pytest.mark.django_db
def test_a_read_more_story_withdrawn_since_does_not_block_saving(client, desk, story):
    withdrawn = make_article(status=Article.Status.UNPUBLISHED)
    client.force_login(desk)

    response = post_body(client, story, READ_MORE.format(pk=withdrawn.pk))

    assert response.status_code == 302


@pytest.mark.django_db
def test_autosave_keeps_a_body_the_form_would_refuse(client, desk, story):
    client.force_login(desk)
    body = f'<p>Typed.</p><iframe src="{FRAME}"></iframe>'

    kept = client.post(admin_url(story, "autosave/"), autosaved(edit_form(story, body=body)))
    form = client.get(admin_url(story))

    assert kept.status_code == 200
    assert form.status_code == 200
    assertContains(form, "You have unsaved changes to this story")


# The pictures a body uses


@pytest.mark.django_db
def test_saving_keeps_the_record_of_body_pictures_up_to_date(desk):
    first, second = make_image(), make_image()
    story = make_article(body=PICTURE.format(pk=first.pk) + PICTURE.format(pk=first.pk))
    assert list(story.body_pictures.values_list("image", flat=True)) == [first.pk]

    story.body = PICTURE.format(pk=second.pk) + '<figure data-image="999999"></figure>'
    save_story(story, record_revision=False)

    assert list(story.body_pictures.values_list("image", flat=True)) == [second.pk]

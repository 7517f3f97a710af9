"""What readers see of the body's blocks on the article page, previews and the live preview:
pictures through {% figure %}, embeds as placeholders (the frame only after a click, allowed by
the page's CSP for its providers only), pull quotes, fact boxes and "Read more" links that
follow their story; and the page cache dropping a page when a block's picture or story
changes."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.editing import save_story
from articles.models import Article
from articles.workflow import apply

from .admin_forms import CHANGELIST, admin_url, edit_form
from .cache_support import commit, served_from_cache
from .conftest import HIDDEN_STATES, make_article, make_section, make_staff
from .embeds_support import FRAME, VIDEO, embed_block
from .images_support import make_image, picture_bytes, srcset
from .test_body_blocks import FACT_BOX, PULL_QUOTE

pytestmark = pytest.mark.django_db


def picture_block(image, size: str = "inline", alt: str = "Gleb at the border.", caption=""):
    return (
        f'<figure data-image="{image.pk}" data-size="{size}" data-alt="{alt}" '
        f'data-caption="{caption}"></figure>'
    )


def read_more_block(story) -> str:
    return f'<aside data-read-more="{story.pk}"><a href="/old/">Headline at insertion</a></aside>'


def body_of(response) -> str:
    content = response.content.decode()
    return content.split('<div class="story__body">', 1)[1].split('<footer class="story__footer">')[
        0
    ]


@pytest.fixture
def picture():
    return make_image(
        picture_bytes((1600, 1200)),
        alt_text="The library's alt text.",
        caption="The library caption.",
        credit="Jane Doe/Reuters",
    )


def test_a_body_picture_is_rendered_through_the_figure_of_the_library(client, picture):
    story = make_article(
        body=f"<p>Before.</p>{picture_block(picture, 'wide', caption='Our caption.')}"
    )

    body = body_of(client.get(story.get_absolute_url()))

    assert '<figure class="figure figure--wide">' in body
    assert f'srcset="{srcset(picture, "full", "jpg", [320, 640, 960, 1280, 1600])}"' in body
    assert 'sizes="(min-width: 48rem) 48rem, 100vw"' in body
    assert 'width="960" height="720"' in body
    assert 'alt="Gleb at the border."' in body
    assert 'loading="lazy"' in body
    assert 'Our caption. <span class="credit">Photo: Jane Doe/Reuters</span>' in body


@pytest.mark.parametrize(
    ("size", "sizes"),
    [("inline", "18rem"), ("full", "(min-width: 76rem) 76rem, 100vw")],
)
def test_each_picture_size_has_its_class_and_sizes(client, picture, size, sizes):
    story = make_article(body=picture_block(picture, size))

    body = body_of(client.get(story.get_absolute_url()))

    assert f'<figure class="figure figure--{size}">' in body
    assert f'sizes="{sizes}"' in body


def test_a_body_picture_without_its_own_caption_shows_the_librarys_and_its_credit_kind(
    client, picture
):
    picture.credit_kind = "illustration"
    picture.save()
    story = make_article(body=picture_block(picture))

    body = body_of(client.get(story.get_absolute_url()))

    assert 'The library caption. <span class="credit">Illustration: Jane Doe/Reuters</span>' in body


def test_a_picture_that_no_longer_exists_shows_nothing(client):
    story = make_article(body='<p>Text.</p><figure data-image="999999" data-alt="A"></figure>')

    body = body_of(client.get(story.get_absolute_url()))

    assert "<figure" not in body
    assert "Text." in body


def test_an_embed_is_a_placeholder_loading_nothing_from_the_provider(client):
    story = make_article(body=f"<p>Watch.</p>{embed_block()}")

    response = client.get(story.get_absolute_url())

    body = body_of(response)
    assert f'<figure class="embed" data-embed-frame="{FRAME}"' in body
    assert f'<a href="{VIDEO}">Defector speaks at the border</a>' in body
    assert "YouTube · The Courier Video" in body
    assert '<button type="button" class="embed__show" hidden>' in body
    # Nothing the browser fetches by itself points at the provider: no frame, no thumbnail.
    assert "<iframe" not in body and "<img" not in body and "ytimg" not in body
    assertContains(response, '<script src="/static/js/embeds.js" defer></script>')


def test_the_page_allows_frames_from_its_embeds_providers_only(client):
    with_embed = make_article(body=embed_block())
    without = make_article()

    policy = client.get(with_embed.get_absolute_url())["Content-Security-Policy"]
    other = client.get(without.get_absolute_url())["Content-Security-Policy"]

    assert "frame-src https://www.youtube-nocookie.com;" in policy + ";"
    assert "frame-src" not in other
    assertNotContains(client.get(without.get_absolute_url()), "embeds.js")


def test_the_cached_copy_of_a_page_keeps_its_frame_policy(client):
    story = make_article(body=embed_block())
    commit()
    made = client.get(story.get_absolute_url())

    assert served_from_cache(client, story.get_absolute_url())
    served = client.get(story.get_absolute_url())

    assert served["Content-Security-Policy"] == made["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in served["Content-Security-Policy"]


def test_an_embed_whose_player_is_elsewhere_is_a_link_without_a_button(client):
    # Stored before a provider's frame origin changed, say: the page never frames it.
    story = make_article(body=embed_block())
    Article.objects.filter(pk=story.pk).update(
        body=story.body.replace(FRAME, "https://evil.example/frame")
    )

    response = client.get(story.get_absolute_url())

    assertNotContains(response, "evil.example")
    assertNotContains(response, "embed__show")
    assert "frame-src" not in response["Content-Security-Policy"]


def test_an_embed_off_the_allowlist_since_is_a_plain_link(client, settings):
    story = make_article(body=embed_block())
    settings.NEWSROOM_EMBED_PROVIDERS = [
        {
            "name": "YouTube",
            "patterns": [r"https://never\.example/.*"],
            "endpoint": "https://never.example/oembed",
            "frame_origins": [],
        }
    ]

    body = body_of(client.get(story.get_absolute_url()))

    assert f'<p><a href="{VIDEO}">Defector speaks at the border</a></p>' in body
    assert "embed__show" not in body


def test_pull_quote_and_fact_box_are_styled_semantic_html(client):
    story = make_article(body=f"<p>Text.</p>{PULL_QUOTE}{FACT_BOX}")

    body = body_of(client.get(story.get_absolute_url()))

    assert (
        '<figure class="pull-quote"><blockquote><p>We had no choice.</p></blockquote>'
        "<figcaption>Gleb Karakulov</figcaption></figure>"
    ) in body
    assert '<aside class="fact-box"><h2>Key facts</h2><ul><li>Left in 2022.</li>' in body


def test_read_more_shows_the_storys_current_headline_and_address(client):
    target = make_article(headline="Defector reaches Berlin")
    story = make_article(body=f"<p>Text.</p>{read_more_block(target)}")
    target.headline = "Defector reaches Berlin, asks for asylum"
    target.save()

    body = body_of(client.get(story.get_absolute_url()))

    assert (
        '<aside class="read-more"><p><span class="read-more__label">Read more</span> '
        f'<a href="{target.get_absolute_url()}">Defector reaches Berlin, asks for asylum</a>'
    ) in body
    assert "Headline at insertion" not in body


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_read_more_to_a_story_readers_may_not_see_shows_nothing(client, state):
    target = make_article(headline="Hidden target", **HIDDEN_STATES[state])
    story = make_article(body=f"<p>Text.</p>{read_more_block(target)}<p>More.</p>")

    body = body_of(client.get(story.get_absolute_url()))

    assert "read-more" not in body
    assert "Hidden target" not in body and "Headline at insertion" not in body
    assert "<p>More." in body


def test_blocks_show_in_the_preview_and_the_live_preview(client, picture):
    desk = make_staff("Editor")
    client.force_login(desk)
    story = make_article(status="draft", published_at=None, body=picture_block(picture))
    typed = edit_form(story, body=f"{picture_block(picture)}{PULL_QUOTE}")

    preview = client.get(admin_url(story, "preview/"))
    live = client.post(admin_url(story, "live-preview/"), typed)
    new = client.post(f"{CHANGELIST}live-preview/", typed)

    for response in (preview, live, new):
        assertContains(response, '<figure class="figure figure--inline">')
    assertContains(live, '<figure class="pull-quote">')


def test_hostile_attributes_never_reach_the_page(client, picture):
    story = make_article(
        body=(
            f'<figure data-image="{picture.pk}" data-alt="x&quot; onerror=&quot;steal()" '
            'onerror="steal()" style="position:fixed"></figure>'
            '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ" '
            'data-title="&lt;script&gt;steal()&lt;/script&gt;" '
            'data-frame="javascript:steal()"></figure>'
        )
    )

    content = client.get(story.get_absolute_url()).content.decode()

    body = content.split('<div class="story__body">', 1)[1].split('<footer class="story__footer">')[
        0
    ]
    assert 'onerror="' not in body and "javascript:" not in body and "style=" not in body
    assert "<script>steal" not in content
    assert 'alt="x&quot; onerror=&quot;steal()"' in body


# The page cache


def test_changing_a_body_pictures_credit_drops_the_cached_page(client, picture):
    story = make_article(body=picture_block(picture))
    commit()
    client.get(story.get_absolute_url())
    assert served_from_cache(client, story.get_absolute_url())

    picture.credit = "John Roe/AP"
    picture.save_change()
    commit()

    assert not served_from_cache(client, story.get_absolute_url())
    assertContains(client.get(story.get_absolute_url()), "Photo: John Roe/AP")


def test_withdrawing_a_read_more_story_drops_the_cached_page(client):
    target = make_article(headline="Defector reaches Berlin")
    story = make_article(body=read_more_block(target))
    commit()
    assertContains(client.get(story.get_absolute_url()), "Defector reaches Berlin")
    assert served_from_cache(client, story.get_absolute_url())

    apply(target, "unpublish", make_staff("Editor"), comment="Not confirmed.")
    commit()

    assertNotContains(client.get(story.get_absolute_url()), "Defector reaches Berlin")


def test_republishing_a_read_more_story_brings_it_back(client):
    target = make_article(headline="Defector reaches Berlin", status="unpublished")
    story = make_article(body=read_more_block(target), section=make_section())
    commit()
    assertNotContains(client.get(story.get_absolute_url()), "Defector reaches Berlin")
    assert served_from_cache(client, story.get_absolute_url())

    target.status = Article.Status.PUBLISHED
    save_story(target)
    commit()

    assertContains(client.get(story.get_absolute_url()), "Defector reaches Berlin")

"""The picture and figure template tags, and the image library in the admin."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from pytest_django.asserts import assertContains, assertHTMLEqual, assertNotContains

from images.models import Image

from .images_support import make_image, picture_bytes, srcset

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/images/image/"


def render(source: str, **context) -> str:
    return Template("{% load images %}" + source).render(Context(context))


# picture


def test_picture_has_webp_and_jpeg_srcsets_with_size_attributes():
    image = make_image(alt_text="Rescuers carry a man from the rubble.")  # 2400 × 1600
    widths = [320, 640, 960, 1280, 1920]

    html = render(
        '{% picture image ratio="16:9" sizes="(min-width: 60rem) 40rem, 100vw" %}', image=image
    )

    assertHTMLEqual(
        html,
        f"""
        <picture>
          <source type="image/webp" srcset="{srcset(image, "16x9", "webp", widths)}"
                  sizes="(min-width: 60rem) 40rem, 100vw">
          <img src="/images/{image.pk}/{image.content_key}/16x9/960.jpg"
               srcset="{srcset(image, "16x9", "jpg", widths)}"
               sizes="(min-width: 60rem) 40rem, 100vw" width="960" height="540"
               alt="Rescuers carry a man from the rubble." loading="lazy" decoding="async">
        </picture>
        """,
    )


def test_picture_offers_only_widths_the_picture_has():
    image = make_image(picture_bytes((1000, 1000)))

    html = render('{% picture image ratio="1:1" %}', image=image)

    assert re.findall(r"/(\d+)\.webp", html) == ["320", "640", "960", "1000"]
    assert 'width="960" height="960"' in html


def test_uncropped_picture_keeps_the_picture_proportions():
    image = make_image(picture_bytes((1200, 800)))

    html = render("{% picture image %}", image=image)

    assert "/full/960.jpg" in html
    assert 'width="960" height="640"' in html
    assert 'sizes="100vw"' in html


def test_lead_picture_loads_first():
    image = make_image()

    html = render(
        '{% picture image ratio="16:9" loading="eager" fetchpriority="high" %}', image=image
    )

    assert 'loading="eager"' in html
    assert 'fetchpriority="high"' in html


def test_alt_text_is_escaped():
    image = make_image(alt_text='The "Dawn" <b>ferry</b>')

    html = render("{% picture image %}", image=image)

    assert 'alt="The &quot;Dawn&quot; &lt;b&gt;ferry&lt;/b&gt;"' in html


def test_no_image_renders_nothing():
    assert render('{% picture image ratio="16:9" %}{% figure image %}', image=None).strip() == ""


@pytest.mark.parametrize(
    "tag",
    [
        '{% picture image ratio="5:4" %}',
        '{% picture image ratio="wide" %}',
        '{% picture image loading="soon" %}',
        '{% figure image fetchpriority="urgent" %}',
    ],
)
def test_template_mistakes_are_reported(tag):
    with pytest.raises(TemplateSyntaxError):
        render(tag, image=make_image())


def test_tags_run_no_queries(django_assert_num_queries):
    images = [make_image() for _ in range(5)]
    loaded = list(Image.objects.all())
    assert len(loaded) == len(images)

    with django_assert_num_queries(0):
        html = render(
            '{% for image in images %}{% picture image ratio="16:9" %}'
            '{% figure image ratio="1:1" caption="Hero" %}{% endfor %}',
            images=loaded,
        )

    assert html.count("<picture>") == 10


# figure


def test_figure_shows_the_caption_with_the_credit():
    image = make_image(caption="Rescue work in Antakya.", credit="Jane Doe/Reuters")

    html = render('{% figure image ratio="16:9" %}', image=image)

    assert html.startswith('<figure class="figure">')
    assert "<picture>" in html
    assertHTMLEqual(
        re.search(r"<figcaption.*</figcaption>", html, re.S).group(0),
        '<figcaption class="figure__caption">Rescue work in Antakya. '
        '<span class="credit">Photo: Jane Doe/Reuters</span></figcaption>',
    )


def test_figure_caption_can_be_replaced_and_the_credit_labelled_by_its_kind():
    image = make_image(caption="Library caption.", credit="The Courier")
    image.credit_kind = Image.CreditKind.ILLUSTRATION

    html = render(
        "{% figure image caption=own_caption css_class='lead' %}",
        image=image,
        own_caption="The story's own caption.",
    )

    assert '<figure class="figure lead">' in html
    assert "The story's own caption." in html or "The story&#x27;s own caption." in html
    assert "Library caption." not in html
    assert '<span class="credit">Illustration: The Courier</span>' in html


def test_figure_without_caption_or_credit_has_no_figcaption():
    image = make_image(caption="", credit="")

    assert "figcaption" not in render("{% figure image %}", image=image)


# The image library in the admin


def test_changelist_shows_thumbnails_and_searches_caption_credit_and_alt_text(admin_client):
    match = make_image(caption="Flood in Valencia", credit="Ana Ruiz/EFE")
    other = make_image(caption="Budget talks", credit="Staff", alt_text="Ministers at a table")

    response = admin_client.get(CHANGELIST)
    assertContains(response, f'src="/images/{match.pk}/{match.content_key}/full/320.webp"')
    assertContains(response, "2400 × 1600")

    for term in ["valencia", "EFE", "ministers"]:
        response = admin_client.get(CHANGELIST, {"q": term})
        found = list(response.context["cl"].result_list)
        assert found == ([other] if term == "ministers" else [match])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"shape": "portrait"}, "tall"),
        ({"shape": "landscape"}, "wide"),
        ({"has_credit": "no"}, "tall"),
    ],
)
def test_changelist_filters_by_shape_and_credit(admin_client, query, expected):
    pictures = {
        "wide": make_image(picture_bytes((400, 200)), credit="Staff"),
        "tall": make_image(picture_bytes((200, 400)), credit=""),
    }

    response = admin_client.get(CHANGELIST, query)

    assert list(response.context["cl"].result_list) == [pictures[expected]]


def test_change_form_has_the_focal_point_picker_and_read_only_size(admin_client):
    image = make_image(focal_x=0.25, focal_y=0.75)

    response = admin_client.get(f"/admin/images/image/{image.pk}/change/")

    assertContains(response, "data-focal-point-picker")
    # focal_point.js places the marker from the fields (the CSP forbids style attributes).
    assertContains(response, '<span class="focal-point-picker__marker" hidden></span>', html=True)
    assertContains(response, 'name="focal_x" value="0.25"')
    assertContains(response, 'name="focal_y" value="0.75"')
    assertContains(response, "admin/images/focal_point.js")
    assertContains(response, 'name="focal_x"')
    assertNotContains(response, 'name="width"')
    assertContains(response, "2400")


def test_changing_the_focal_point_keeps_the_file(admin_client):
    image = make_image()
    name = image.file.name

    response = admin_client.post(
        f"/admin/images/image/{image.pk}/change/",
        {
            "alt_text": image.alt_text,
            "caption": image.caption,
            "credit": image.credit,
            "focal_x": "0.2",
            "focal_y": "0.9",
        },
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y, image.file.name) == (0.2, 0.9, name)


def test_image_can_be_deleted_from_the_admin(admin_client, django_capture_on_commit_callbacks):
    image = make_image()
    delete_url = f"/admin/images/image/{image.pk}/delete/"

    assertContains(admin_client.get(delete_url), "Are you sure")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert not image.file.storage.exists(image.file.name)

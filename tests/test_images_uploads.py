"""The image library's uploads: which files are refused and why, and what is stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from PIL import ExifTags, ImageCms, ImageFile, PngImagePlugin
from PIL import Image as PILImage
from pytest_django.asserts import assertContains, assertRedirects

from images.demo import SCENES, draw_scene, make_demo_image
from images.forms import ImageForm
from images.models import Image

from .images_support import (
    BLUE,
    RED,
    camera_exif,
    content,
    half_red_half_blue,
    make_image,
    noisy_jpeg,
    open_served,
    picture_bytes,
    png_header,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

ADD = "/admin/images/image/add/"


def form_data(**fields) -> dict:
    return {
        "alt_text": "Rescuers carry a man from the rubble.",
        "caption": "Rescue work in Antakya.",
        "credit": "Jane Doe/Reuters",
        "focal_x": "0.5",
        "focal_y": "0.5",
    } | fields


def file_errors(data: bytes, name: str = "photo.jpg") -> list[str]:
    form = ImageForm(data=form_data(), files={"file": upload(data, name)})
    assert not form.is_valid()
    return form.errors["file"]


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_each_demo_scene_is_its_own_described_picture(scene):
    drawing = draw_scene(scene, seed=1, size=(600, 400))

    assert drawing.picture.size == (600, 400)
    assert drawing.description
    assert 0 <= drawing.focal_point[0] <= 1 and 0 <= drawing.focal_point[1] <= 1
    others = [draw_scene(other, seed=1, size=(600, 400)) for other in SCENES if other != scene]
    assert all(drawing.picture.tobytes() != other.picture.tobytes() for other in others)
    assert draw_scene(scene, seed=2, size=(600, 400)).picture.tobytes() != drawing.picture.tobytes()


# Refused files


def truncated_jpeg() -> bytes:
    data = noisy_jpeg()
    return data[: len(data) * 6 // 10]


def corrupt_png() -> bytes:
    data = bytearray(picture_bytes((64, 64), file_format="PNG"))
    data[40:60] = b"\x00" * 20  # the compressed pixels, behind an intact header
    return bytes(data)


def bmp() -> bytes:
    return picture_bytes((40, 30), file_format="BMP")


def tiff() -> bytes:
    return picture_bytes((40, 30), file_format="TIFF")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.jpg", "The file is empty."),
        (
            b"Hello, this is a text file.\n",
            "notes.jpg",
            "This file is not a JPEG, PNG, WebP or GIF picture",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "scan.jpg", "This file is a PDF document"),
        (bmp(), "photo.jpg", "This file is a BMP image"),
        (tiff(), "photo.jpg", "This file is a TIFF image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "IMG_0001.jpg", "an HEIC photo"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "an SVG drawing"),
        (truncated_jpeg(), "photo.jpg", "The file is damaged or incomplete"),
        (corrupt_png(), "chart.png", "The file is damaged or incomplete"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, "photo.jpg", "damaged or incomplete"),
    ],
    ids=[
        "zero bytes",
        "text",
        "pdf named jpg",
        "bmp named jpg",
        "tiff named jpg",
        "heic named jpg",
        "svg",
        "truncated jpeg",
        "corrupt png",
        "jpeg header then garbage",
    ],
)
def test_bad_file_is_refused_with_a_specific_message(media_root, data, name, message):
    errors = file_errors(data, name)

    assert len(errors) == 1
    assert message in errors[0]
    assert not media_root.exists() or stored_files(media_root) == []


def test_file_over_the_size_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    data = noisy_jpeg()
    assert len(data) > 10_000

    (error,) = file_errors(data)

    assert "pictures can be at most 9.8" in error
    assert error.startswith(f"The file is {len(data) / 1024:.1f}")


def test_picture_over_the_pixel_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000

    (error,) = file_errors(picture_bytes((1250, 1000)))

    assert error == (
        "The picture is 1,250 × 1,000 pixels (1.25 megapixels); the limit is 1 megapixel. "
        "Scale it down before uploading."
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [(8_000, 7_000), (10_000, 10_000), (30_000, 30_000)],
    ids=["over our limit", "over Pillow's warning", "over Pillow's error"],
)
def test_decompression_bomb_is_refused_without_decoding(monkeypatch, width, height):
    def refuse_to_decode(image):
        raise AssertionError("a decompression bomb was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)

    (error,) = file_errors(png_header(width, height), "small.png")

    assert "too many pixels" in error or "the limit is 50 megapixels" in error


def test_animation_over_the_pixel_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100_000
    frames = [PILImage.new("RGB", (200, 200), colour) for colour in (RED, BLUE, RED)]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:])

    (error,) = file_errors(output.getvalue(), "loop.gif")

    assert error.startswith("The animation's 3 frames add up to 0.12 megapixels")


def test_admin_upload_shows_the_refusal_on_the_file_field(admin_client, media_root):
    response = admin_client.post(
        ADD, form_data(file=upload(b"%PDF-1.4 not a picture", "photo.jpg"))
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["file"]
    assertContains(response, "This file is a PDF document")
    assert Image.objects.count() == 0
    assert not media_root.exists() or stored_files(media_root) == []


def test_script_saving_a_bad_file_is_refused_and_stores_nothing(media_root):
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        make_image(truncated_jpeg())

    assert Image.objects.count() == 0
    assert not media_root.exists() or stored_files(media_root) == []


# What is stored


def test_admin_upload_stores_the_picture_and_who_uploaded_it(admin_client, admin_user):
    response = admin_client.post(
        ADD, form_data(file=upload(picture_bytes((1200, 800)), "Rescue in Antakya.JPG"))
    )

    image = Image.objects.get()
    assertRedirects(response, "/admin/images/image/")
    assert image.uploaded_by == admin_user
    assert (image.width, image.height) == (1200, 800)
    assert image.file.name.startswith("images/")
    assert image.file.name.endswith(".jpg")
    assert "rescue-in-antakya-" in image.file.name


def test_file_type_comes_from_the_content_not_the_name():
    image = make_image(picture_bytes((300, 200), file_format="PNG"), name="photo.jpg")

    assert image.file.name.endswith(".png")
    assert image.get_absolute_url().endswith("/original.png")


@pytest.mark.parametrize("file_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_accepted_format_is_stored_in_its_own_format(client, file_format):
    image = make_image(picture_bytes((300, 200), file_format=file_format), name="picture")

    served = open_served(client.get(image.get_absolute_url()))

    assert served.format == file_format
    assert served.size == (300, 200)


def test_camera_multi_picture_jpeg_is_accepted_as_a_jpeg(client):
    first, second = PILImage.new("RGB", (320, 240), RED), PILImage.new("RGB", (320, 240), BLUE)
    output = io.BytesIO()
    first.save(output, "MPO", save_all=True, append_images=[second])

    image = make_image(output.getvalue(), name="IMG_2001.JPG")
    served = open_served(client.get(image.get_absolute_url()))

    assert served.format == "JPEG"
    assert getattr(served, "n_frames", 1) == 1
    assert served.convert("RGB").getpixel((10, 10))[0] > 200


@pytest.mark.parametrize("orientation", [1, 6])
def test_served_original_and_renditions_carry_no_exif_or_gps(client, orientation):
    data = half_red_half_blue(exif=camera_exif(orientation), comment=b"Shot at home")
    assert b"Exif" in data and b"PhoneCam" in data
    image = make_image(data)

    for url in [image.get_absolute_url(), image.rendition_url(None, image.width, "jpg")]:
        response = client.get(url)
        served = open_served(response)
        body = content(response)
        assert dict(served.getexif()) == {}
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(served.info)
        assert b"Exif" not in body and b"PhoneCam" not in body and b"Shot at home" not in body


def test_exif_orientation_is_applied_to_what_is_served(client):
    # Orientation 6: the camera was turned a quarter clockwise, so the left edge is the top.
    image = make_image(half_red_half_blue((300, 200), exif=camera_exif(6)))

    assert (image.width, image.height) == (200, 300)
    for url in [image.get_absolute_url(), image.picture().src]:
        served = open_served(client.get(url)).convert("RGB")
        width, height = served.size
        assert height > width
        top, bottom = (
            served.getpixel((width // 2, height // 4)),
            served.getpixel((width // 2, height * 3 // 4)),
        )
        assert top[0] > 150 and top[2] < 100, top
        assert bottom[2] > 150 and bottom[0] < 100, bottom


def test_png_metadata_is_stripped_and_transparency_kept(client):
    details = PngImagePlugin.PngInfo()
    details.add_text("Location", "52.52 N, 13.40 E")
    data = picture_bytes((200, 100), (255, 0, 0, 0), "PNG", pnginfo=details, exif=camera_exif())
    image = make_image(data, name="chart.png")

    served = open_served(client.get(image.get_absolute_url()))

    assert served.text == {}
    assert "exif" not in served.info
    assert served.mode == "RGBA"
    assert served.getpixel((5, 5))[3] == 0


def test_colour_profiles_are_converted_and_removed(client):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for profile in [srgb, b"not a colour profile"]:
        image = make_image(picture_bytes((200, 100), icc_profile=profile, exif=camera_exif(3)))

        served = open_served(client.get(image.get_absolute_url()))

        assert "icc_profile" not in served.info


def test_animated_gif_stays_animated(client):
    frames = [PILImage.new("RGB", (120, 80), colour) for colour in (RED, BLUE, RED)]
    output = io.BytesIO()
    frames[0].save(
        output, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0
    )
    image = make_image(output.getvalue(), name="loop.gif")

    original = open_served(client.get(image.get_absolute_url()))
    webp = open_served(client.get(image.rendition_url(None, 120, "webp")))
    jpeg = open_served(client.get(image.rendition_url(None, 120, "jpg")))

    assert (original.format, original.n_frames) == ("GIF", 3)
    original.seek(1)
    assert original.info["duration"] == 200
    assert (webp.format, webp.n_frames) == ("WEBP", 3)
    assert (jpeg.format, getattr(jpeg, "n_frames", 1)) == ("JPEG", 1)


# Focal point


@pytest.mark.parametrize("value", ["-0.1", "1.5"])
def test_focal_point_must_lie_inside_the_picture(value):
    form = ImageForm(
        data=form_data(focal_x=value, focal_y=value),
        files={"file": upload(picture_bytes((200, 100)))},
    )

    assert not form.is_valid()
    assert set(form.errors) == {"focal_x", "focal_y"}


def test_database_refuses_a_focal_point_outside_the_picture():
    image = make_image()

    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.filter(pk=image.pk).update(focal_y=1.01)


# Describing an image


def test_str_is_the_caption_or_else_the_alt_text():
    assert str(make_image(caption="Rescue work in Antakya.")) == "Rescue work in Antakya."
    assert str(make_image(caption="", alt_text="A man on a stretcher.")) == "A man on a stretcher."
    assert len(str(make_image(caption="Word " * 40))) == 80


def test_demo_picture_is_a_described_credited_landscape():
    image = make_demo_image("Harbour at dawn", seed=3)
    again = make_demo_image("Harbour at dawn", seed=3)
    other = make_demo_image("Harbour at dawn", seed=4)

    assert (image.width, image.height) == (2400, 1600)
    assert image.caption == "Harbour at dawn"
    assert image.alt_text.startswith("Drawing of layered hills")
    assert image.credit
    assert image.credit_kind == Image.CreditKind.ILLUSTRATION
    assert 0 < image.focal_x < 1 and 0 < image.focal_y < 1
    assert image.file.read() == again.file.read()
    image.file.seek(0)
    assert image.file.read() != other.file.read()


def test_orientation_8_is_turned_upright_and_its_tag_dropped(client):
    data = half_red_half_blue((200, 300), exif=camera_exif(8))
    image = make_image(data)

    served = open_served(client.get(image.get_absolute_url()))

    assert served.size == (300, 200)
    assert ExifTags.Base.Orientation not in served.getexif()


# What kind of picture it is


@pytest.mark.parametrize(
    "sent, kept", [({}, "photo"), ({"credit_kind": "illustration"}, "illustration")]
)
def test_an_upload_is_credited_as_a_photo_unless_the_form_says_otherwise(admin_client, sent, kept):
    response = admin_client.post(ADD, form_data(file=upload(noisy_jpeg()), **sent))

    assert response.status_code == 302
    assert Image.objects.get().credit_kind == kept


def test_an_unknown_kind_of_picture_is_refused(admin_client):
    response = admin_client.post(ADD, form_data(file=upload(noisy_jpeg()), credit_kind="meme"))

    assert response.status_code == 200
    assert not Image.objects.exists()


def test_a_change_of_kind_is_kept_and_a_form_without_it_keeps_the_kind(admin_client):
    image = make_image(credit_kind="illustration")
    address = f"/admin/images/image/{image.pk}/change/"

    admin_client.post(address, form_data(caption="Edited."))
    assert Image.objects.get(pk=image.pk).credit_kind == "illustration"

    admin_client.post(address, form_data(credit_kind="graphic"))
    assert Image.objects.get(pk=image.pk).credit_kind == "graphic"

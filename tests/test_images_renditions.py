"""Renditions: crop geometry, sizes and formats, reuse, addresses, storage and concurrency."""

import contextlib
import io
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.test import Client
from PIL import Image as PILImage

from images import models as image_models
from images.models import Crop, Image, Rendition
from images.processing import Ratio, crop_box, rendition_widths

from .images_support import (
    RED,
    WHITE,
    content,
    make_image,
    open_served,
    picture_bytes,
    stored_files,
)

pytestmark = pytest.mark.django_db

WEBP_MAGIC = (b"RIFF", b"WEBP")
JPEG_MAGIC = b"\xff\xd8\xff"


@pytest.fixture
def count_renditions_made(monkeypatch):
    """Count the renditions made, each taking long enough for rivals to arrive meanwhile."""
    made = []
    real_make = image_models.make_rendition

    def slow_make(*args, **kwargs):
        made.append(kwargs["width"])
        time.sleep(0.3)
        return real_make(*args, **kwargs)

    monkeypatch.setattr(image_models, "make_rendition", slow_make)
    return made


# Crop geometry


@pytest.mark.parametrize(
    ("size", "ratio", "focal", "box"),
    [
        ((1600, 900), None, (0.9, 0.1), (0, 0, 1600, 900)),
        ((1600, 900), Ratio(16, 9), (0.9, 0.1), (0, 0, 1600, 900)),
        ((1600, 900), Ratio(1, 1), (0.5, 0.5), (350, 0, 1250, 900)),
        ((1600, 900), Ratio(1, 1), (0.0, 0.0), (0, 0, 900, 900)),
        ((1600, 900), Ratio(1, 1), (1.0, 1.0), (700, 0, 1600, 900)),
        ((1600, 900), Ratio(1, 1), (0.6, 0.5), (510, 0, 1410, 900)),
        ((900, 1600), Ratio(16, 9), (0.5, 0.0), (0, 0, 900, 506)),
        ((900, 1600), Ratio(16, 9), (0.5, 1.0), (0, 1094, 900, 1600)),
        ((900, 1600), Ratio(16, 9), (0.5, 0.3), (0, 227, 900, 733)),
        ((1000, 1000), Ratio(4, 3), (0.5, 0.5), (0, 125, 1000, 875)),
    ],
)
def test_crop_box_is_centred_on_the_focal_point_and_clamped_inside(size, ratio, focal, box):
    assert crop_box(*size, ratio, *focal) == box


@pytest.mark.parametrize(
    ("size", "ratio", "widths"),
    [
        ((2400, 1600), None, [320, 640, 960, 1280, 1920]),
        ((1920, 1080), None, [320, 640, 960, 1280, 1920]),
        ((1000, 800), None, [320, 640, 960, 1000]),
        ((2400, 1600), Ratio(1, 1), [320, 640, 960, 1280, 1600]),
        ((3000, 1000), Ratio(1, 1), [320, 640, 960, 1000]),
        ((200, 100), None, [200]),
    ],
)
def test_widths_are_never_upscaled(size, ratio, widths):
    assert rendition_widths(*size, ratio, [320, 640, 960, 1280, 1920]) == widths


def test_crop_keeps_the_focal_point_in_the_picture(client):
    # A white picture with a red square near its top right corner.
    picture = PILImage.new("RGB", (1600, 900), WHITE)
    picture.paste(RED, (1300, 100, 1400, 200))
    output = io.BytesIO()
    picture.save(output, "PNG")
    image = make_image(output.getvalue(), name="square.png", focal_x=1350 / 1600, focal_y=150 / 900)
    centred = make_image(output.getvalue(), name="square.png")

    def has_red(image: Image) -> bool:
        served = open_served(client.get(image.rendition_url(Ratio(1, 1), 320, "jpg")))
        assert served.size == (320, 320)
        # The square sits at x 600–700, y 100–200 of the 900 × 900 crop from x = 700.
        return any(
            red > 180 and green < 90 and blue < 90
            for _count, (red, green, blue) in served.convert("RGB").getcolors(320 * 320)
        )

    assert has_red(image)
    pixel = open_served(client.get(image.rendition_url(Ratio(1, 1), 320, "jpg"))).getpixel(
        (round(650 * 320 / 900), round(150 * 320 / 900))
    )
    assert pixel[0] > 180 and pixel[1] < 90
    assert not has_red(centred)


# Sizes and formats


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (None, {320: 213, 640: 427, 960: 640, 1280: 853, 1920: 1280}),
        ("16:9", {320: 180, 640: 360, 960: 540, 1280: 720, 1920: 1080}),
        ("4:3", {320: 240, 640: 480, 960: 720, 1280: 960, 1920: 1440}),
        ("1:1", {320: 320, 640: 640, 960: 960, 1280: 1280, 1600: 1600}),
    ],
)
def test_renditions_have_the_size_and_format_they_are_named_for(client, ratio, expected):
    image = make_image()  # 2400 × 1600
    crop = Ratio.parse(ratio)

    assert image.rendition_widths(crop) == list(expected)
    for width, height in expected.items():
        for file_format in ["webp", "jpg"]:
            response = client.get(image.rendition_url(crop, width, file_format))
            body = content(response)
            assert PILImage.open(io.BytesIO(body)).size == (width, height)
            if file_format == "webp":
                assert (body[:4], body[8:12]) == WEBP_MAGIC
                assert response["Content-Type"] == "image/webp"
            else:
                assert body[:3] == JPEG_MAGIC
                assert response["Content-Type"] == "image/jpeg"


def test_small_picture_comes_in_its_own_width_and_no_larger(client):
    image = make_image(picture_bytes((500, 400)))

    assert image.rendition_widths(None) == [320, 500]
    assert open_served(client.get(image.rendition_url(None, 500, "jpg"))).size == (500, 400)
    assert client.get(image.rendition_url(None, 640, "jpg")).status_code == 404


def absolute(path: str) -> str:
    return f"https://news.example{path}"


def client_gets_jpeg_of_size(crop: Crop, size: tuple[int, int]) -> bool:
    response = Client().get(crop.url.removeprefix("https://news.example"))
    return response["Content-Type"] == crop.content_type and open_served(response).size == size


def test_crops_are_the_narrowest_renditions_at_least_as_wide_as_asked(
    django_assert_num_queries,
):
    image = make_image(picture_bytes((2000, 1500)))

    with django_assert_num_queries(0):
        crops = image.crops(["16:9", "1:1"], 1000, absolute)

    assert crops == [
        Crop(
            ratio=ratio,
            url=absolute(image.rendition_url(Ratio.parse(ratio), 1280, "jpg")),
            width=1280,
            height=height,
            alt=image.alt_text,
        )
        for ratio, height in [("16:9", 720), ("1:1", 1280)]
    ]
    assert client_gets_jpeg_of_size(crops[0], (1280, 720))


def test_crops_of_a_small_picture_are_its_widest_renditions():
    image = make_image(picture_bytes((800, 600)))

    [crop] = image.crops(["16:9"], 1200, absolute)

    assert (crop.width, crop.height) == (800, 450)
    assert client_gets_jpeg_of_size(crop, (800, 450))


def test_sharing_crops_are_16_9_4_3_and_1_1_at_least_1200_wide():
    image = make_image(picture_bytes((2400, 1600)))

    crops = image.sharing_crops(absolute)

    assert [(crop.ratio, crop.width, crop.height) for crop in crops] == [
        ("16:9", 1280, 720),
        ("4:3", 1280, 960),
        ("1:1", 1280, 1280),
    ]


def test_rendition_is_served_to_be_cached_forever(client):
    image = make_image()

    response = client.get(image.rendition_url(Ratio(16, 9), 640, "webp"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert int(response["Content-Length"]) == len(content(response))


# Reuse and addresses


def test_second_request_makes_nothing_new(client, count_renditions_made, media_root):
    image = make_image()
    url = image.rendition_url(Ratio(16, 9), 640, "webp")

    first = content(client.get(url))
    files = stored_files(media_root)
    second = content(client.get(url))

    assert first == second
    assert count_renditions_made == [640]
    assert Rendition.objects.count() == 1
    assert stored_files(media_root) == files


def test_moving_the_focal_point_gives_new_addresses_and_keeps_the_old_ones_working(client):
    image = make_image()
    old_url = image.rendition_url(Ratio(1, 1), 320, "jpg")
    old = content(client.get(old_url))

    image.focal_x = 0.1
    image.save()
    new_url = image.rendition_url(Ratio(1, 1), 320, "jpg")

    assert new_url != old_url
    assert content(client.get(old_url)) == old
    assert client.get(new_url).status_code == 200
    # An old address that was never made is gone for good.
    assert client.get(old_url.replace("/320.jpg", "/640.jpg")).status_code == 404


def test_replacing_the_file_removes_the_old_file_and_renditions(
    client, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    old_url = image.rendition_url(None, 320, "webp")
    client.get(old_url)
    old_files = stored_files(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(picture_bytes((1200, 900), RED), name="new.jpg")
        image.save()

    assert (image.width, image.height) == (1200, 900)
    assert client.get(old_url).status_code == 404
    assert image.renditions.count() == 0
    assert stored_files(media_root) == [image.file.name]
    assert image.file.name not in old_files


def test_deleting_images_deletes_their_files(media_root, django_capture_on_commit_callbacks):
    first, second, kept = make_image(), make_image(), make_image()
    for image in (first, second, kept):
        image.rendition(None, 320, "webp")

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
        Image.objects.filter(pk=second.pk).delete()

    assert stored_files(media_root) == sorted([kept.file.name, kept.renditions.get().file.name])


def test_manager_has_no_delete_all():
    assert not hasattr(Image.objects, "delete")


@pytest.mark.parametrize(
    "path",
    [
        "/images/{pk}/{key}/16x9/640.png",
        "/images/{pk}/{key}/16x9/641.webp",
        "/images/{pk}/{key}/16x9/99999999999999999999.webp",
        "/images/{pk}/{key}/7x5/640.webp",
        "/images/{pk}/{key}/16-9/640.webp",
        "/images/{pk}/{key}/full/0.jpg",
        "/images/{pk}/0123456789ab/16x9/640.webp",
        "/images/{pk}/{key}X/16x9/640.webp",
        "/images/{pk}/{key}/original.gif",
        "/images/{pk}/0123456789ab/original.jpg",
        "/images/0/{key}/16x9/640.webp",
        "/images/99999999999999999999999/{key}/16x9/640.webp",
        "/images/99999999999999999999999/{key}/original.jpg",
    ],
)
def test_unknown_addresses_are_404(client, path):
    image = make_image()

    response = client.get(path.format(pk=image.pk, key=image.content_key))

    assert response.status_code == 404


def test_rendition_of_a_missing_file_is_404(client, media_root):
    image = make_image()
    image.file.storage.delete(image.file.name)

    assert client.get(image.rendition_url(None, 320, "jpg")).status_code == 404
    assert client.get(image.get_absolute_url()).status_code == 404


def test_only_get_and_head_are_answered(client):
    image = make_image()
    url = image.rendition_url(None, 320, "jpg")

    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


# Storage


def test_renditions_use_only_the_storage_api(client, settings):
    # In-memory storage has no file system paths: anything using os paths would fail here.
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }
    image = make_image()

    assert open_served(client.get(image.rendition_url(Ratio(16, 9), 640, "webp"))).size == (
        640,
        360,
    )
    assert open_served(client.get(image.get_absolute_url())).size == (2400, 1600)


def test_storage_with_its_own_web_address_is_still_served_from_the_site(
    client, settings, media_root
):
    # Pictures load from the site only (Content-Security-Policy), never from the storage's host.
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media_root, "base_url": "https://media.example.com/"},
        }
    }
    image = make_image()

    response = client.get(image.rendition_url(None, 320, "webp"))

    assert open_served(response).size == (320, 213)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


# A burst of first requests
#
# These tests commit for real, so that threads see each other's rows. serialized_rollback
# restores what data migrations made (the workflow's role groups) after the flush that ends
# them; without it, later tests would find those rows gone.


def fetch_together(url: str, threads: int = 8) -> list:
    """GET `url` from `threads` threads released at the same moment; each answer or error."""
    start = threading.Barrier(threads)
    answers = [None] * threads

    def fetch(index: int) -> None:
        try:
            start.wait()
            response = Client().get(url)
            answers[index] = (response.status_code, content(response))
        except Exception as error:  # noqa: BLE001 - reported by the test
            answers[index] = error
        finally:
            connections.close_all()

    workers = [threading.Thread(target=fetch, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_burst_of_first_requests_makes_the_rendition_once(count_renditions_made, media_root):
    image = make_image()
    url = image.rendition_url(Ratio(16, 9), 640, "webp")

    answers = fetch_together(url)

    assert [answer[0] for answer in answers] == [200] * len(answers), answers
    assert len({answer[1] for answer in answers}) == 1
    assert count_renditions_made == [640]
    assert Rendition.objects.count() == 1
    assert len(stored_files(media_root / "renditions")) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_burst_across_app_servers_makes_the_rendition_once(
    count_renditions_made, media_root, monkeypatch
):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks; it serves one app server only")
    # Without the per-process lock, each thread stands for a request on its own app server.
    monkeypatch.setattr(image_models, "MAKER_LOCKS", [contextlib.nullcontext()])
    image = make_image()
    url = image.rendition_url(None, 960, "jpg")

    answers = fetch_together(url)

    assert [answer[0] for answer in answers] == [200] * len(answers), answers
    assert len({answer[1] for answer in answers}) == 1
    assert count_renditions_made == [960]
    assert Rendition.objects.count() == 1
    assert len(stored_files(media_root / "renditions")) == 1

"""Media in S3-compatible object storage (MEDIA_STORAGE_URL), against moto's S3 server on this
machine: never a real cloud."""

import secrets
from dataclasses import dataclass

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured

from images.models import Image, Rendition
from images.processing import Ratio
from newsroom.settings import media_storage
from tests.appserver_support import BIN, AppServer, free_port, manage, server_env
from tests.images_support import make_image, open_served, picture_bytes, upload

pytestmark = pytest.mark.django_db

REGION = "eu-central-1"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    command = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with AppServer(command, server_env(), port, log) as server:
        yield server.url


@dataclass
class Bucket:
    s3: object
    name: str

    def keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch) -> Bucket:
    """An empty bucket that the media storage points at, as MEDIA_STORAGE_URL says."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsroom-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsroom-test-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    name = f"media-{secrets.token_hex(4)}"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    url = f"s3://{name}?endpoint_url={s3_endpoint}&region={REGION}"
    settings.STORAGES = settings.STORAGES | {"default": media_storage(url)}
    return Bucket(s3, name)


def test_a_picture_uploaded_in_the_admin_is_stored_in_the_bucket(admin_client, bucket):
    response = admin_client.post(
        "/admin/images/image/add/",
        {
            "file": upload(picture_bytes((1200, 800)), "Rescue in Antakya.jpg"),
            "alt_text": "Rescuers carry a man from the rubble.",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert bucket.keys() == [image.file.name]


def test_a_rendition_is_made_once_stored_in_the_bucket_and_served_by_the_site(client, bucket):
    image = make_image()
    url = image.rendition_url(Ratio(16, 9), 640, "webp")

    first, second = client.get(url), client.get(url)

    assert open_served(first).size == (640, 360)
    assert open_served(second).size == (640, 360)
    rendition = Rendition.objects.get()
    assert bucket.keys() == sorted([image.file.name, rendition.file.name])


def test_deleting_a_picture_removes_its_objects_once_committed(
    admin_client, bucket, django_capture_on_commit_callbacks
):
    image = make_image()
    for width in (320, 640):
        assert admin_client.get(image.rendition_url(None, width, "jpg")).status_code == 200
    assert len(bucket.keys()) == 3

    with django_capture_on_commit_callbacks() as on_commit:
        deleted = admin_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
        assert deleted.status_code == 302
        assert len(bucket.keys()) == 3  # nothing is deleted before the commit
    for callback in on_commit:
        callback()

    assert bucket.keys() == []


def test_media_storage_url_names_bucket_prefix_endpoint_and_region():
    storage = media_storage(
        "s3://newsroom-media/production?endpoint_url=https://s3.example.net&region=eu-west-3"
    )

    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "location": "production",
            "endpoint_url": "https://s3.example.net",
            "region_name": "eu-west-3",
            "file_overwrite": False,
        },
    }


def test_without_media_storage_url_files_stay_on_the_local_disk():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    "url",
    ["https://newsroom-media.s3.amazonaws.com", "s3://", "s3://media?acl=public-read"],
)
def test_a_media_storage_url_we_cannot_use_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL"):
        media_storage(url)


def test_the_site_stores_media_where_media_storage_url_says():
    printed = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.files.storage import default_storage as s; print(s.bucket_name)",
        env=server_env(MEDIA_STORAGE_URL="s3://newsroom-media?region=eu-central-1"),
    )

    assert printed.strip() == "newsroom-media"

"""Every kind of public page is valid HTML, as the Nu Html Checker (vnu.jar) judges it.

The checker is the W3C's, from the npm package `vnu-jar` (`npm ci` installs it into
node_modules/), run offline with the system's Java. Without either the test is skipped;
REQUIRE_VNU=1 (as CI sets) makes that a failure.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from articles import workflow
from articles.demo import DEMO_STORY_ID
from articles.models import Article, Correction, Page, PreviewLink, RelatedStory

from .conftest import make_staff

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


@pytest.fixture
def vnu() -> list[str]:
    """How to start the checker here, or a skip (a failure with REQUIRE_VNU=1) saying why not."""
    java = shutil.which("java")
    missing = [
        *([] if java else ["Java (apt-get install default-jre-headless)"]),
        *([] if VNU_JAR.exists() else [f"{VNU_JAR.relative_to(settings.BASE_DIR)} (npm ci)"]),
    ]
    if missing:
        message = f"The Nu Html Checker needs {' and '.join(missing)}"
        if os.environ.get("REQUIRE_VNU") == "1":
            pytest.fail(f"{message}; REQUIRE_VNU=1 makes that a failure")
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]


def check(vnu: list[str], files: list[Path]) -> list[dict]:
    """The checker's messages on `files`, from one run (the JVM is slow to start)."""
    finished = subprocess.run([*vnu, *map(str, files)], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)["messages"]


def describe(message: dict) -> str:
    where = Path(message.get("url", "")).name
    line = message.get("lastLine", "?")
    extract = message.get("extract", "").strip()
    return f"{where}:{line}: {message['message']}" + (f"\n    {extract}" if extract else "")


@pytest.fixture
def newsroom():
    """The demo newsroom, its story corrected after publication, another story taken down and
    an expired share-preview link: every piece a public page can show."""
    call_command("load_demo", articles=4, stdout=StringIO())
    story = Article.objects.get(external_id=DEMO_STORY_ID)
    # Published three hours ago and corrected now, so the page shows when it was updated.
    Article.objects.filter(pk=story.pk).update(
        created_at=F("created_at") - timedelta(hours=3),
        published_at=F("published_at") - timedelta(hours=3),
    )
    Correction.objects.create(
        article=story, text="An earlier version gave the wrong rank for Gleb Karakulov."
    )
    # Its own texts for search and sharing, and a related story an editor picked.
    Article.objects.filter(pk=story.pk).update(
        seo_title="Kremlin guard engineer defects & talks",
        meta_description="Gleb Karakulov on the president's identical offices.",
        social_title="He built the Kremlin's secret offices. Now he talks.",
        social_description="An engineer of the guard on what he saw.",
    )
    others = Article.objects.published().exclude(pk__in=[story.pk, story.translation_of_id])
    RelatedStory.objects.create(article=story, related=others.last())
    withdrawn = Article.objects.published().exclude(external_id__startswith="kremlin").first()
    workflow.apply(withdrawn, "unpublish", make_staff("Editor"), comment="Legal takedown")
    expired = PreviewLink.objects.create(article=story, expires_at=timezone.now())
    story.refresh_from_db()
    return story, withdrawn, expired


def test_public_pages_are_valid_html(vnu, client, newsroom, tmp_path):
    story, withdrawn, expired_preview = newsroom
    pages = {
        "home": ("/", 200),
        "section": (story.section.get_absolute_url(), 200),
        "article": (story.get_absolute_url(), 200),
        "original": (story.translation_of.get_absolute_url(), 200),
        "author": (story.ordered_authors()[0].get_absolute_url(), 200),
        "tag": ("/tag/kremlin/", 200),
        "source": ("/source/dossier-center/", 200),
        "search": ("/search/?q=Kremlin", 200),
        "policy-page": (Page.objects.first().get_absolute_url(), 200),
        "not-found": ("/no-such-section/no-such-story/", 404),
        "gone": (withdrawn.get_absolute_url(), 410),
        "expired-preview": (expired_preview.get_absolute_url(), 410),
    }
    files = []
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("text/html"), url
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    # Pages with every piece: the search found something, the story shows its update time.
    assert b"<mark" in (tmp_path / "search.html").read_bytes()
    assert b"story__updated" in (tmp_path / "article.html").read_bytes()
    assert (
        b"<title>Kremlin guard engineer defects &amp; talks"
        in (tmp_path / "article.html").read_bytes()
    )

    messages = check(vnu, files)

    errors = [message for message in messages if message["type"] != "info"]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(map(describe, errors))

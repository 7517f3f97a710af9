"""The interface's own text in English and German: complete catalogues, used by article pages."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

from .conftest import at, make_article, make_section

LOCALES = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(LOCALES / language / "LC_MESSAGES" / "django.po")

    assert len(catalogue) > 50
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_matches_its_source(language):
    catalogue = polib.pofile(LOCALES / language / "LC_MESSAGES" / "django.po")

    with translation.override(language):
        for entry in catalogue:
            if entry.msgid_plural:
                assert (
                    translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                    == (entry.msgstr_plural[0])
                )
            elif entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.fixture
def german_story(db):
    return make_article(
        headline="Kontrollverlust im Kreml",
        language="de",
        type_of_work=Article.TypeOfWork.ANALYSIS,
        section=make_section(name="Politik", slug="politik"),
        published_at=at("2026-04-05 10:00"),
        tags=["Kreml"],
    )


def test_german_article_page_speaks_german(client, german_story):
    response = client.get(german_story.get_absolute_url())

    assert response["Content-Language"] == "de"
    assertContains(response, '<html lang="de">')
    for german in ["Startseite", "Von", "Veröffentlicht", "Themen", "Analyse", "5. April 2026"]:
        assertContains(response, german)
    for english in [">Home page<", "By <a", "Published <time", ">Topics<"]:
        assertNotContains(response, english)


def test_english_pages_stay_english(client, german_story):
    response = client.get("/latest/")

    assert response.status_code == 200
    assertContains(response, '<html lang="en">')
    assertContains(response, "Latest news")
    assertNotContains(response, "Neueste Nachrichten")

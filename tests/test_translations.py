"""Translations: the interface's own text in English and German (complete catalogues, used by
article pages), and a story and its translations linking each other for readers and machines."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

from .conftest import HIDDEN_STATES, at
from .head_support import HeadParser, article_object, page_of
from .stories import defector_story, german_original

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
    return german_original(
        type_of_work=Article.TypeOfWork.ANALYSIS,
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


# A story and its translations link each other

URL = "http://testserver/europe/defector-reaches-berlin/"
GERMAN_URL = "http://testserver/politik/kontrollverlust-im-kreml/"


@pytest.fixture
def original(db, clock):
    return german_original(published_at=at("2026-04-05 08:00"))


@pytest.fixture
def english_translation(clock, original):
    return defector_story(
        language="en", translation_of=original, published_at=at("2026-04-05 09:00")
    )


@pytest.mark.parametrize("url", [URL, GERMAN_URL])
def test_translations_link_each_other_and_themselves_with_hreflang(
    client, original, english_translation, url
):
    alternates = page_of(client, url).hrefs("alternate")

    assert {lang: href for lang, href in alternates.items() if lang} == {
        "en": URL,
        "de": GERMAN_URL,
    }


def test_translation_shows_also_in_deutsch(client, original, english_translation):
    response = client.get(URL)

    assertContains(
        response,
        'Also in:\n  <a href="/politik/kontrollverlust-im-kreml/" hreflang="de" lang="de">'
        "Deutsch</a>",
    )


def test_original_shows_auch_auf_english(client, original, english_translation):
    response = client.get(GERMAN_URL)

    assertContains(
        response,
        'Auch auf:\n  <a href="/europe/defector-reaches-berlin/" hreflang="en" lang="en">'
        "English</a>",
    )


def test_structured_data_links_the_translation_and_its_original(
    client, original, english_translation
):
    assert article_object(client, URL)["translationOfWork"] == {"@id": f"{GERMAN_URL}#article"}
    assert article_object(client, GERMAN_URL)["workTranslation"] == [{"@id": f"{URL}#article"}]


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("hide", ["original", "translation"])
def test_hidden_translation_or_original_is_never_linked(
    client, original, english_translation, state, hide
):
    Article.objects.filter(
        pk={"original": original, "translation": english_translation}[hide].pk
    ).update(**HIDDEN_STATES[state])
    visible_url = GERMAN_URL if hide == "translation" else URL

    response = client.get(visible_url)
    page = HeadParser(response.content.decode())

    assert [lang for lang in page.hrefs("alternate") if lang] == []
    assertNotContains(response, "story__translations")
    data = article_object(client, visible_url)
    assert not {"translationOfWork", "workTranslation"} & data.keys()


def test_article_without_translations_has_no_hreflang(client, db, clock):
    defector_story(published_at=at("2026-04-05 09:00"))

    assert [lang for lang in page_of(client, URL).hrefs("alternate") if lang] == []

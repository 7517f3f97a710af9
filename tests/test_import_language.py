"""The language of imported wire copy: detected from the text, then the author line's label;
`--language` overrides it, and the command says which it is and how it was told."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.wirecopy import detect_language, import_parsed_story, parse_story, read_story_file

from .wirecopy_support import DEMO_STORY, STORIES, wire

GERMAN_STORY = STORIES / "kremlin-defection.de.txt"
# The English translation kept the German author line, "Von: Jens Kiffmeier".
ENGLISH_STORY = DEMO_STORY

# The demo's German story, shortened.
SHORT_GERMAN_STORY = wire(
    crumbs=("- Startseite", "- Politik"),
    header=("Erstellt: 05.04.2023, 10:15", "Von: Jens Kiffmeier"),
    headline="Kontrollverlust im Kreml: Top-Beamte fliehen aus Russland. Das Regime reagiert.",
    body=(
        "Moskau – Für viele Russinnen und Russen gibt es genug Gründe zur Flucht. Das gilt "
        "auch für Beamtinnen und Beamte, die nicht mehr bleiben wollen.",
        "Der Kreml hat bereits reagiert und ihre Freiheit eingeschränkt. (jkf)",
    ),
)
# Too few words to tell the language by.
SHORT_TEXT = {"headline": "Kremlin: Karakulov, Putin. Moskau.", "body": ("Moskau – Karakulov.",)}


def detected(text: str) -> tuple[str, str]:
    language = detect_language(parse_story(text))
    return language.code, language.evidence


def test_german_story_is_detected_as_german_from_its_text():
    assert detected(SHORT_GERMAN_STORY) == ("de", "detected from the text")
    assert detect_language(read_story_file(GERMAN_STORY)).code == "de"


def test_english_translation_with_a_german_author_line_is_english():
    assert detect_language(read_story_file(ENGLISH_STORY)).code == "en"


@pytest.mark.parametrize("label", ["Von", "von", "VON"])
def test_short_text_goes_by_the_german_author_line(label):
    story = wire(header=(f"{label}: Jens Kiffmeier",), **SHORT_TEXT)

    assert detected(story) == ("de", f'detected from the author line "{label}:"')


def test_short_text_goes_by_the_english_author_line():
    story = wire(header=("By: Jane Doe",), **SHORT_TEXT)

    assert detected(story) == ("en", 'detected from the author line "By:"')


def test_german_text_under_an_english_author_line_is_german():
    story = SHORT_GERMAN_STORY.replace("Von: Jens Kiffmeier", "By: Jens Kiffmeier")

    assert detected(story) == ("de", "detected from the text")


def test_text_mixing_both_languages_evenly_goes_by_the_author_line():
    body = (
        "Berlin – The vote was close, and the budget passed after a night of talks. It is the "
        "first budget of the coalition, which had been at odds about it for a month.",
        "Die Abstimmung war knapp, und der Haushalt wurde nach einer Nacht beschlossen. Es ist "
        "der erste Haushalt der Koalition, die sich einen Monat lang nicht einig war.",
    )
    story = wire(header=("Von: Jens Kiffmeier",), body=body)

    assert detected(story) == ("de", 'detected from the author line "Von:"')


def test_language_the_site_does_not_publish_in_is_never_detected(settings):
    settings.LANGUAGES = [("en", "English")]

    assert detected(SHORT_GERMAN_STORY) == (
        "en",
        "the site's default: neither the text nor the author line tells",
    )


@pytest.mark.django_db
def test_importing_stores_the_detected_language():
    article = import_parsed_story(parse_story(SHORT_GERMAN_STORY), external_id="kreml").article

    article.refresh_from_db()
    assert article.language == "de"


@pytest.mark.django_db
def test_importing_again_corrects_a_story_stored_in_the_wrong_language():
    import_parsed_story(parse_story(SHORT_GERMAN_STORY), external_id="kreml", language="en")

    result = import_parsed_story(parse_story(SHORT_GERMAN_STORY), external_id="kreml")

    assert result.outcome == "updated"
    assert Article.objects.get().language == "de"


# The import_story command


def import_story(tmp_path, text: str, *options: str) -> str:
    path = tmp_path / "kreml.txt"
    path.write_text(text, encoding="utf-8")
    stdout = StringIO()
    call_command("import_story", str(path), *options, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


@pytest.mark.django_db
def test_command_stores_german_story_as_german_and_says_so(tmp_path):
    stdout = import_story(tmp_path, SHORT_GERMAN_STORY)

    assert Article.objects.get().language == "de"
    assert "[draft] /politik/kontrollverlust-im-kreml-top-beamte-fliehen-aus-russland/ " in stdout
    assert stdout.endswith("(language: de, detected from the text)\n")


@pytest.mark.django_db
def test_command_language_option_overrides_the_detected_language(tmp_path):
    stdout = import_story(tmp_path, SHORT_GERMAN_STORY, "--language", "en")

    assert Article.objects.get().language == "en"
    assert stdout.endswith("(language: en, given with --language)\n")


@pytest.mark.django_db
def test_command_prints_the_language_of_each_story(tmp_path):
    german, english = tmp_path / "kreml.de.txt", tmp_path / "kreml.txt"
    german.write_text(GERMAN_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    english.write_text(ENGLISH_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    stdout = StringIO()

    call_command("import_story", str(german), str(english), stdout=stdout, stderr=StringIO())

    reports = [line for line in stdout.getvalue().splitlines() if "(language:" in line]
    assert [(line.split(":")[0], line.split("(language: ")[1]) for line in reports] == [
        (str(german), "de, detected from the text)"),
        (str(english), "en, detected from the text)"),
    ]
    assert dict(Article.objects.values_list("external_id", "language")) == {
        "kreml.de": "de",
        "kreml": "en",
    }

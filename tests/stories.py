"""The story the tests tell most: "Defector reaches Berlin", translated from the German
original "Kontrollverlust im Kreml", with everything a reader is shown of it."""

from articles.models import Article, Author, Citation, Source

from .conftest import make_article, make_author, make_section, make_source


def jens_kiffmeier() -> Author:
    """The correspondent who wrote both the story and its German original."""
    author, _ = Author.objects.get_or_create(
        slug="jens-kiffmeier",
        defaults={"name": "Jens Kiffmeier", "initials": "jkf", "job_title": "Correspondent"},
    )
    return author


def defector_story(**overrides) -> Article:
    """ "Defector reaches Berlin": an analysis from Moscow in Europe (under World) by Jens
    Kiffmeier and Anna Brandt, tagged Putin and Kremlin, citing an interview Reuters
    published (with its link) and Gleb Karakulov himself.

    Published an hour ago, as `make_article()` makes it, unless `overrides` say otherwise.
    """
    if "section" not in overrides:
        world = make_section(name="World", slug="world")
        overrides["section"] = make_section(name="Europe", slug="europe", parent=world)
    if "authors" not in overrides:
        brandt = make_author(name="Anna Brandt", slug="anna-brandt", initials="ab")
        overrides["authors"] = [jens_kiffmeier(), brandt]
    if "sources" not in overrides:
        reuters = make_source(name="Reuters", slug="reuters", homepage_url="https://reuters.com/")
        karakulov = make_source(name="Gleb Karakulov", slug="karakulov", kind=Source.Kind.PERSON)
        overrides["sources"] = [
            Citation(
                source=reuters,
                note="interview with the colonel",
                url="https://example.com/interview",
            ),
            karakulov,
        ]
    fields = {
        "slug": "defector-reaches-berlin",
        "kicker": "Exclusive",
        "headline": "Defector reaches Berlin",
        "standfirst": "A colonel of the security service has crossed into the EU.",
        "dateline": "Moscow",
        "body": "<p>First paragraph.</p><h2>The escape route</h2><p>Last paragraph.</p>",
        "type_of_work": Article.TypeOfWork.ANALYSIS,
        "tags": ["Putin", "Kremlin"],
    }
    return make_article(**(fields | overrides))


def german_original(**overrides) -> Article:
    """ "Kontrollverlust im Kreml", the German original, in Politik, by Jens Kiffmeier."""
    if "section" not in overrides:
        overrides["section"] = make_section(name="Politik", slug="politik")
    if "authors" not in overrides:
        overrides["authors"] = [jens_kiffmeier()]
    fields = {
        "slug": "kontrollverlust-im-kreml",
        "headline": "Kontrollverlust im Kreml",
        "language": "de",
    }
    return make_article(**(fields | overrides))

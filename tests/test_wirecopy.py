"""Reading wire copy: the parser takes a story file apart into section, authors, headline,
standfirst, dateline and body, and refuses a file it cannot read, naming file and line.
(Saving what it read and the import_story command: test_import.py.)"""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from articles.wirecopy import Block, StoryFormatError, parse_story, read_story_file

from .conftest import at
from .wirecopy_support import DEMO_STORY, wire

DEMO_SUBHEADINGS = [
    "Because of the Ukraine war: Top officials from the Kremlin Guard flee from Putin from Russia",
    "Escape from Russia: Putin has officials remove the passport and issue a travel ban",
    "Gleb Karakulov: Kremlin critic used trip abroad to escape from Putin in Ukraine war",
    "For fear of poor health: Putin has been isolating for years – Insider unpacks",
]


def demo_body_lines() -> list[str]:
    """The lines after the headline in the demo story file, as written."""
    lines = [line.strip() for line in DEMO_STORY.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    headline_index = next(i for i, line in enumerate(lines) if line.startswith("Loss of control"))
    return lines[headline_index + 1 :]


# The demo story


def test_demo_story_header_gives_section_author_headline_standfirst_and_dateline():
    story = read_story_file(DEMO_STORY)

    assert story.path == str(DEMO_STORY)
    assert story.section_path == ["Politics"]
    assert story.authors == ["Jens Kiffmeier"]
    assert story.initials == ["jkf"]
    assert story.headline == (
        "Loss of control in the Kremlin: Top officials are increasingly fleeing Putin’s "
        "mischief from Russia"
    )
    assert story.standfirst == (
        "The Moscow regime is therefore massively restricting freedom of travel."
    )
    assert story.dateline == "Moscow"
    assert story.published_at is None


def test_demo_story_keeps_every_paragraph_of_the_file():
    story = read_story_file(DEMO_STORY)
    file_lines = demo_body_lines()
    assert set(DEMO_SUBHEADINGS) <= set(file_lines)
    file_paragraphs = [line for line in file_lines if line not in DEMO_SUBHEADINGS]

    assert len(story.paragraphs) == len(file_paragraphs) == 11
    assert story.paragraphs[0].startswith("A dictatorship, a war of aggression")
    assert story.paragraphs[0] == file_paragraphs[0].removeprefix("Moscow – ")
    assert story.paragraphs[-1].endswith("attempted assassination in France.")
    assert story.paragraphs[-1] == file_paragraphs[-1].removesuffix(" (jkf)")
    assert story.paragraphs[1:-1] == file_paragraphs[1:-1]


def test_demo_story_keeps_its_subheadings_in_order_between_paragraphs():
    story = read_story_file(DEMO_STORY)
    file_lines = demo_body_lines()

    assert story.subheadings == DEMO_SUBHEADINGS
    assert len(story.blocks) == len(file_lines)
    for block, line in zip(story.blocks[1:-1], file_lines[1:-1], strict=True):
        assert (block.kind, block.text) == ("h2" if line in DEMO_SUBHEADINGS else "p", line)


# Rendering parsed blocks


def test_body_html_escapes_text_of_paragraphs_and_subheadings():
    body = ("Profits & losses <script>alert(1)</script>.", "Q&A <today>", "The end.")
    story = parse_story(wire(body=body))

    assert story.body_html() == (
        "<p>Profits &amp; losses &lt;script&gt;alert(1)&lt;/script&gt;.</p>"
        "<h2>Q&amp;A &lt;today&gt;</h2><p>The end.</p>"
    )


# Parser behaviours


@pytest.mark.parametrize("created", ["05.04.2023, 10:15", "2023-04-05 10:15", "2023-04-05T10:15"])
def test_parse_reads_created_time_in_current_time_zone(created):
    with timezone.override("America/New_York"):
        story = parse_story(wire(header=(f"Created: {created}", "By: Jane Doe")))

        assert timezone.is_aware(story.published_at)
        assert story.published_at == at("2023-04-05 10:15")


def test_parse_keeps_offset_of_iso_created_time():
    story = parse_story(wire(header=("Created: 2023-04-05T10:15:00+00:00", "By: Jane Doe")))

    assert story.published_at == datetime(2023, 4, 5, 10, 15, tzinfo=UTC)


@pytest.mark.parametrize("line", ["By: Anna Berg and Carl Dahl", "Von: Anna Berg, Carl Dahl"])
def test_parse_splits_several_authors(line):
    story = parse_story(wire(header=(line,)))

    assert story.authors == ["Anna Berg", "Carl Dahl"]


def test_parse_reads_nested_breadcrumbs_without_home_page():
    story = parse_story(wire(crumbs=("- Home page", "- World", "- Europe")))

    assert story.section_path == ["World", "Europe"]


def test_parse_headline_without_second_sentence_has_empty_standfirst():
    story = parse_story(wire(headline="Parliament passes the budget."))

    assert story.headline == "Parliament passes the budget"
    assert story.standfirst == ""


def test_parse_does_not_split_headline_after_abbreviation():
    story = parse_story(wire(headline="Dr. Smith resigns as minister. Her deputy takes over."))

    assert story.headline == "Dr. Smith resigns as minister"
    assert story.standfirst == "Her deputy takes over."


def test_parse_first_paragraph_without_place_has_no_dateline():
    story = parse_story(wire(body=("The first paragraph has no place.", "The end.")))

    assert story.dateline == ""
    assert story.paragraphs[0] == "The first paragraph has no place."


def test_parse_takes_no_dateline_from_an_ordinary_clause_before_a_dash():
    story = parse_story(wire(body=("The Kremlin reacted – like in the old days.", "The end.")))

    assert story.dateline == ""
    assert story.paragraphs[0] == "The Kremlin reacted – like in the old days."


def test_parse_reads_a_place_name_of_several_words_as_dateline():
    story = parse_story(wire(body=("Frankfurt am Main – The bank said no.", "The end.")))

    assert story.dateline == "Frankfurt am Main"


def test_parse_keeps_the_final_dot_of_an_abbreviation_in_the_headline():
    story = parse_story(wire(headline="Talks with the U.S."))

    assert story.headline == "Talks with the U.S."


def test_parse_does_not_split_lines_at_unicode_line_separators():
    story = parse_story(wire(body=("Berlin – One paragraph\u2028still the same.", "The end.")))

    assert story.paragraphs[0] == "One paragraph\u2028still the same."


def test_parse_rejects_a_section_name_longer_than_the_field():
    with pytest.raises(StoryFormatError) as caught:
        parse_story(wire(crumbs=("- Home page", "- " + "x" * 101)), "long.txt")

    assert (caught.value.path, caught.value.line) == ("long.txt", 2)
    assert "longer than 100 characters" in caught.value.message


def test_parse_rejects_an_author_name_longer_than_the_field():
    with pytest.raises(StoryFormatError) as caught:
        parse_story(wire(header=("By: " + "y" * 151,)), "long.txt")

    assert (caught.value.path, caught.value.line) == ("long.txt", 3)


def test_parse_reads_several_signoff_initials():
    story = parse_story(wire(body=("Berlin – Only paragraph. (jd/ab)",)))

    assert story.initials == ["jd", "ab"]
    assert story.paragraphs == ["Only paragraph."]


def test_parse_short_lines_at_start_and_end_of_body_are_paragraphs():
    body = ("A short opening line", "A full paragraph.", "A subheading", "More.", "A short end")
    story = parse_story(wire(body=body))

    assert story.blocks == [
        Block("p", "A short opening line"),
        Block("p", "A full paragraph."),
        Block("h2", "A subheading"),
        Block("p", "More."),
        Block("p", "A short end"),
    ]


# Bad inputs


def parse_error(text: str, path: str = "story.txt") -> StoryFormatError:
    with pytest.raises(StoryFormatError) as raised:
        parse_story(text, path)
    assert raised.value.path == path
    assert str(raised.value) == f"{path}, line {raised.value.line}: {raised.value.message}"
    return raised.value


@pytest.mark.parametrize("text", ["", "\n  \n\t\n"])
def test_parse_rejects_empty_file(text):
    error = parse_error(text, "empty.txt")

    assert error.line == 1
    assert "empty" in error.message


def test_parse_rejects_story_without_breadcrumbs():
    error = parse_error(wire(crumbs=()))

    assert error.line == 1
    assert "breadcrumb" in error.message


def test_parse_rejects_breadcrumb_with_only_home_page():
    error = parse_error("\n" + wire(crumbs=("- Home page",)))

    assert error.line == 2
    assert "no section" in error.message


def test_parse_rejects_story_without_author_line():
    error = parse_error(wire(header=("Created: 05.04.2023, 10:15",)))

    assert error.line == 4
    assert 'expected the author line ("By: …" or "Von: …")' in error.message


@pytest.mark.parametrize("line", ["By:", "Von:  ", "By: , and"])
def test_parse_rejects_author_line_without_name(line):
    error = parse_error(wire(header=("Created:", line)))

    assert error.line == 4
    assert "names no author" in error.message


def test_parse_rejects_unreadable_created_time():
    error = parse_error(wire(header=("Created: yesterday afternoon", "By: Jane Doe")))

    assert error.line == 3
    assert 'cannot read the time "yesterday afternoon"' in error.message


@pytest.mark.parametrize(
    "created", ["01.01.0001, 00:00", "9999-12-31 23:59", "0001-01-01T00:00+14:00"]
)
def test_parse_rejects_created_time_out_of_range(created):
    error = parse_error(wire(header=(f"Created: {created}", "By: Jane Doe")))

    assert error.line == 3
    assert error.message == (
        f'the time "{created}" is out of range. Enter a time between the years 2 and 9998.'
    )


def test_parse_rejects_headline_without_body():
    error = parse_error(wire(body=()))

    assert error.line == 5
    assert "no text after the headline" in error.message


def test_parse_rejects_story_ending_before_headline():
    error = parse_error("- Home page\n- Politics\nBy: Jane Doe\n\n")

    assert error.line == 3
    assert "ends before its headline" in error.message


def test_parse_rejects_headline_longer_than_300_characters():
    error = parse_error(wire(headline="Word " * 61 + "end. Standfirst."))

    assert error.line == 5
    assert "longer than 300 characters" in error.message


def test_read_story_file_rejects_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.txt"
    text = wire(header=("Created:", "Von: Jürgen Müller"), body=("Only paragraph.",))
    path.write_bytes(text.encode("latin-1"))

    with pytest.raises(StoryFormatError) as raised:
        read_story_file(path)

    assert raised.value.path == str(path)
    assert raised.value.line == 4
    assert "not UTF-8" in raised.value.message

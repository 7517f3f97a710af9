"""Importing wire copy: saving a parsed story (all or nothing; again, unchanged or updated)
and the import_story command, whose --publish goes through the workflow like any
publication, recorded as by the system. (Reading the file: test_wirecopy.py.)"""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from pytest_django.asserts import assertContains

from articles import workflow
from articles.models import Article, Author, Byline, Section, StatusChange
from articles.wirecopy import import_parsed_story, parse_story, read_story_file

from .admin_forms import admin_url
from .conftest import at, make_author, make_section, make_staff
from .wirecopy_support import DEMO_STORY, wire

pytestmark = pytest.mark.django_db

Status = Article.Status


# Saving a parsed story


def test_importing_creates_section_author_and_draft_article():
    result = import_parsed_story(parse_story(wire()), external_id="budget-vote")

    article = Article.objects.get()
    section = Section.objects.get()
    author = Author.objects.get()
    assert result.outcome == "created"
    assert result.article == article
    assert result.created_sections == [section]
    assert (section.name, section.slug, section.parent) == ("Politics", "politics", None)
    assert (author.name, author.initials) == ("Jane Doe", "jd")
    assert article.external_id == "budget-vote"
    assert article.status == Article.Status.DRAFT
    assert article.headline == "Parliament passes the budget"
    assert article.standfirst == "The vote was close."
    assert article.dateline == "Berlin"
    assert article.body == "<p>The first paragraph.</p><p>The last paragraph.</p>"
    assert article.slug == "parliament-passes-the-budget"
    assert article.section == section
    assert article.ordered_authors() == [author]


def test_importing_creates_nested_sections_under_their_parent():
    story = parse_story(wire(crumbs=("- Home page", "- World", "- Europe")))

    result = import_parsed_story(story, external_id="europe-story")

    world = Section.objects.get(name="World")
    europe = Section.objects.get(name="Europe")
    assert europe.parent == world
    assert result.created_sections == [world, europe]
    assert result.article.section == europe


def test_importing_sets_publication_time_from_created_line():
    story = parse_story(wire(header=("Created: 05.04.2023, 10:15", "By: Jane Doe")))

    article = import_parsed_story(story, external_id="budget-vote").article

    article.refresh_from_db()
    assert article.published_at == at("2023-04-05 10:15")
    assert article.status == Article.Status.DRAFT


def test_importing_again_is_unchanged():
    story = read_story_file(DEMO_STORY)
    first = import_parsed_story(story, external_id="kremlin-defection").article
    updated_at = Article.objects.get().updated_at

    result = import_parsed_story(read_story_file(DEMO_STORY), external_id="kremlin-defection")

    assert result.outcome == "unchanged"
    assert result.created_sections == []
    assert Article.objects.get().pk == first.pk
    assert Article.objects.get().updated_at == updated_at
    assert (Section.objects.count(), Author.objects.count()) == (1, 1)


def test_importing_with_quotes_again_is_unchanged():
    body = ('Berlin – "It\'s done," she said.', "The last paragraph. (jd)")
    import_parsed_story(parse_story(wire(body=body)), external_id="quotes")

    result = import_parsed_story(parse_story(wire(body=body)), external_id="quotes")

    assert result.outcome == "unchanged"


def test_importing_with_changed_paragraph_updates_article():
    import_parsed_story(parse_story(wire()), external_id="budget-vote")
    slug = Article.objects.get().slug
    body = ("Berlin – The first paragraph, corrected.", "The last paragraph. (jd)")

    result = import_parsed_story(parse_story(wire(body=body)), external_id="budget-vote")

    article = Article.objects.get()
    assert result.outcome == "updated"
    assert article.slug == slug
    assert article.body == "<p>The first paragraph, corrected.</p><p>The last paragraph.</p>"


def test_importing_with_new_headline_keeps_slug():
    import_parsed_story(parse_story(wire()), external_id="budget-vote")

    result = import_parsed_story(
        parse_story(wire(headline="Budget passes after all-night session.")),
        external_id="budget-vote",
    )

    article = Article.objects.get()
    assert result.outcome == "updated"
    assert article.headline == "Budget passes after all-night session"
    assert article.slug == "parliament-passes-the-budget"


def test_importing_matches_existing_section_case_insensitively():
    politics = make_section(name="politics", slug="politik")

    result = import_parsed_story(parse_story(wire()), external_id="budget-vote")

    assert result.article.section == politics
    assert result.created_sections == []
    assert Section.objects.count() == 1


def test_importing_avoids_reserved_section_slugs():
    result = import_parsed_story(
        parse_story(wire(crumbs=("- Search",))), external_id="search-story"
    )

    assert result.created_sections[0].slug == "search-2"


def test_importing_keeps_initials_of_existing_author():
    jane = make_author(name="Jane Doe", slug="jane-doe", initials="jdo")

    result = import_parsed_story(parse_story(wire()), external_id="budget-vote")

    jane.refresh_from_db()
    assert jane.initials == "jdo"
    assert result.article.ordered_authors() == [jane]
    assert Author.objects.count() == 1


def test_importing_keeps_byline_order():
    story = parse_story(wire(header=("By: Carl Dahl and Anna Berg",)))

    article = import_parsed_story(story, external_id="two-authors").article

    assert [author.name for author in article.ordered_authors()] == ["Carl Dahl", "Anna Berg"]


def test_importing_lists_a_repeated_author_once():
    story = parse_story(wire(header=("By: Jane Doe and jane doe",)))

    article = import_parsed_story(story, external_id="repeated-author").article

    assert [author.name for author in article.ordered_authors()] == ["Jane Doe"]


def test_importing_is_all_or_nothing(monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("bylines could not be saved")

    monkeypatch.setattr(Byline.objects, "bulk_create", fail)

    with pytest.raises(IntegrityError):
        import_parsed_story(parse_story(wire()), external_id="budget-vote")

    assert (Article.objects.count(), Section.objects.count(), Author.objects.count()) == (0, 0, 0)


# The import_story command


def import_stories(*args: str) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_story", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_imports_story_and_prints_its_url(tmp_path):
    path = tmp_path / "budget-vote.txt"
    path.write_text(wire(), encoding="utf-8")

    stdout, stderr = import_stories(str(path))

    article = Article.objects.get(external_id="budget-vote")
    assert article.status == Article.Status.DRAFT
    assert article.get_absolute_url() == "/politics/parliament-passes-the-budget/"
    assert article.get_absolute_url() in stdout
    assert "Created section Politics (/politics/)" in stdout
    assert stderr == ""


def test_command_publish_option_publishes_story(tmp_path):
    path = tmp_path / "budget-vote.txt"
    path.write_text(wire(header=("Created: 05.04.2023, 10:15", "By: Jane Doe")), encoding="utf-8")

    stdout, _ = import_stories(str(path), "--publish")

    article = Article.objects.get(external_id="budget-vote")
    assert list(Article.objects.published()) == [article]
    assert article.published_at == at("2023-04-05 10:15")
    assert "published" in stdout


def test_command_reports_bad_file_and_imports_good_one(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        wire(crumbs=("- Science",), header=("By: Bad Writer",), body=()), encoding="utf-8"
    )
    good = tmp_path / "good.txt"
    good.write_text(wire(), encoding="utf-8")
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 of 2 stories could not be imported"):
        call_command("import_story", str(bad), str(good), stdout=stdout, stderr=stderr)

    assert f"{bad}, line 3: the story has no text after the headline" in stderr.getvalue()
    assert str(good) not in stderr.getvalue()
    assert not Article.objects.filter(external_id="bad").exists()
    assert not Section.objects.filter(name="Science").exists()
    assert not Author.objects.filter(name="Bad Writer").exists()
    assert Article.objects.filter(external_id="good").exists()


def test_command_reports_created_time_out_of_range_with_file_and_line(tmp_path):
    path = tmp_path / "budget-vote.txt"
    path.write_text(wire(header=("Created: 01.01.0001, 00:00", "By: Jane Doe")), encoding="utf-8")
    stderr = StringIO()

    with pytest.raises(CommandError, match="1 of 1 stories could not be imported"):
        call_command("import_story", str(path), stdout=StringIO(), stderr=stderr)

    assert stderr.getvalue() == (
        f'Error: {path}, line 3: the time "01.01.0001, 00:00" is out of range. '
        "Enter a time between the years 2 and 9998.\n"
    )
    assert (Article.objects.count(), Section.objects.count(), Author.objects.count()) == (0, 0, 0)


def test_command_leaves_nothing_of_story_that_fails_to_save(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise ValidationError({"authors": ["The byline could not be saved."]})

    monkeypatch.setattr(Byline.objects, "bulk_create", fail)
    path = tmp_path / "budget-vote.txt"
    path.write_text(wire(), encoding="utf-8")
    stderr = StringIO()

    with pytest.raises(CommandError):
        call_command("import_story", str(path), stdout=StringIO(), stderr=stderr)

    assert "budget-vote.txt: the story is not valid: authors:" in stderr.getvalue()
    assert (Article.objects.count(), Section.objects.count(), Author.objects.count()) == (0, 0, 0)


# --publish: through the workflow, by the system


def import_wire(tmp_path, created: str, *options: str) -> Article:
    """Import the budget story, created at `created`, with the command's `options`."""
    path = tmp_path / "budget-vote.txt"
    path.write_text(wire(header=(f"Created: {created}", "By: Jane Doe")), encoding="utf-8")
    import_stories(str(path), *options)
    return Article.objects.get(external_id="budget-vote")


def test_importing_with_publish_records_the_publication_by_the_system(client, clock, tmp_path):
    article = import_wire(tmp_path, "05.04.2026, 10:15", "--publish")
    client.force_login(make_staff("Editor"))

    history = client.get(admin_url(article, "history/"))

    change = StatusChange.objects.get(article=article)
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.DRAFT,
        Status.PUBLISHED,
        None,
    )
    assert (article.status, article.published_at) == (Status.PUBLISHED, at("2026-04-05 10:15"))
    assertContains(history, "Draft → <strong>Published</strong> by the system</li>")
    assertContains(history, "<td>the system</td>", html=True)  # who saved the import


def test_importing_with_publish_schedules_a_story_timed_in_the_future(clock, tmp_path):
    article = import_wire(tmp_path, "06.04.2026, 09:00", "--publish")

    assert article.is_scheduled
    assert article.published_at == at("2026-04-06 09:00")
    assert StatusChange.objects.get(article=article).changed_by is None


def test_importing_with_publish_does_not_bring_back_a_withdrawn_story(clock, tmp_path):
    article = import_wire(tmp_path, "05.04.2026, 10:15", "--publish")
    workflow.apply(
        article, "unpublish", make_staff("Editor"), comment="The source withdrew the claim."
    )

    with pytest.raises(CommandError):
        import_wire(tmp_path, "05.04.2026, 10:15", "--publish")

    assert Article.objects.get(pk=article.pk).status == Status.UNPUBLISHED
    assert StatusChange.objects.filter(article=article).count() == 2

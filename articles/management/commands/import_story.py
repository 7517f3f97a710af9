from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles import workflow
from articles.wirecopy import (
    StoryFormatError,
    detect_language,
    import_parsed_story,
    read_story_file,
)


class Command(BaseCommand):
    help = (
        "Import plain-text wire stories (see articles/wirecopy.py for the layout). Each file is "
        "one article, identified by its file name: importing it again updates that article. "
        "Stories arrive as drafts unless --publish is given; the workflow records them as "
        "published by the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--publish", action="store_true", help="Publish each story once it is imported."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            help="The stories' language (default: detected from each story's text, or its "
            'author line\'s "Von:" or "By:").',
        )

    def handle(self, *args, files, publish, language, **options):
        failures = 0
        for name in files:
            try:
                self.import_file(Path(name), publish, language)
            except (StoryFormatError, ValidationError, DatabaseError, OSError) as error:
                failures += 1
                self.stderr.write(self.describe_error(name, error))
        if failures:
            raise CommandError(
                f"{failures} of {len(files)} stories could not be imported; nothing of them was "
                "saved."
            )

    @transaction.atomic
    def import_file(self, path: Path, publish: bool, language: str | None) -> None:
        story = read_story_file(path)
        detected = None if language else detect_language(story)
        result = import_parsed_story(
            story, external_id=path.stem, language=language or detected.code
        )
        article = result.article
        if publish and not article.is_published:
            self.publish(article)
            result.outcome = "published"
        for section in result.created_sections:
            self.stdout.write(f"Created section {section.name} ({section.get_absolute_url()})")
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {result.outcome} “{article.headline}” ")
            + f"[{article.get_status_display().lower()}] {article.get_absolute_url()} "
            + f"(language: {article.language}, "
            + (f"{detected.evidence})" if detected else "given with --language)")
        )

    def publish(self, article) -> None:
        """Publish through the workflow, at the wire's time if it has one (a time still to
        come schedules the story)."""
        moment = article.published_at
        step = "schedule" if moment and moment > timezone.now() else "publish"
        workflow.apply(article, step, workflow.SYSTEM, at=moment)

    def describe_error(self, name: str, error: Exception) -> str:
        if isinstance(error, StoryFormatError):
            return f"Error: {error}"
        if isinstance(error, ValidationError) and not hasattr(error, "error_dict"):
            return f"Error: {name}: {' '.join(error.messages)}"
        if isinstance(error, ValidationError):
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            return f"Error: {name}: the story is not valid: {problems}"
        if isinstance(error, OSError):
            return f"Error: {name}: {error.strerror or error}"
        return f"Error: {name}: the database refused the story: {error}"

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import Autosave


class Command(BaseCommand):
    help = (
        "Delete the article form's autosaves older than NEWSROOM_AUTOSAVE_DAYS. The form never "
        "offers them again anyway, and every autosave purges them too; run this daily from "
        "cron so that they also go when nobody types."
    )

    def handle(self, *args, **options) -> None:
        deleted, _ = Autosave.objects.expired().delete()
        self.stdout.write(
            f"Deleted {deleted} autosave(s) older than {settings.NEWSROOM_AUTOSAVE_DAYS} days."
        )

from django.core.management.base import BaseCommand

from articles import demo


class Command(BaseCommand):
    help = (
        "Build the demo newsroom: sections, staff logins, sources, the Kremlin-defection story "
        "and generated stories. Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=60,
            metavar="N",
            help="How many generated stories the demo has (default: 60).",
        )

    def handle(self, *args, articles, **options):
        demo.build(articles=max(articles, 0), log=self.stdout.write)

from django.apps import AppConfig
from django.db.models.signals import post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from images import uses
        from images.models import Image

        from . import embeds  # noqa: F401 - registers the check of the embed providers
        from .pictures import NEWSROOM_PICTURES

        uses.register(NEWSROOM_PICTURES)

        # The cached publication settings hold a copy of the site's default picture, whose
        # rendition addresses change with its file and focal point. As django.contrib.sites
        # does for its cache: a saved picture clears it (pictures are saved rarely).
        post_save.connect(
            forget_publication_settings, sender=Image, dispatch_uid="articles.publication"
        )


def forget_publication_settings(sender, **kwargs) -> None:
    from .models import Publication

    Publication.objects.clear_cache()

"""The newsroom's uses of the picture library's pictures, registered with it at start-up
(see images.uses): lead, social and body pictures of stories, author photos, default pictures."""

from django.db.models import Exists, OuterRef, Q

from images.uses import PictureUses

from .caching import invalidate, surrogate_key
from .models import Article, Author, BodyPicture, Publication, Section


def shown_with(stories) -> Q:
    """Pictures shown with `stories` (lead, social and in the body), with every author and the
    sections' and site's defaults."""
    return (
        Exists(stories.filter(lead_picture=OuterRef("pk")))
        | Exists(stories.filter(social_picture=OuterRef("pk")))
        # From the picture's rows to their stories by key, not through every listed story.
        | Exists(
            BodyPicture.objects.filter(image=OuterRef("pk")).filter(
                Exists(stories.filter(pk=OuterRef("article_id")))
            )
        )
        | Exists(Author.objects.filter(photo=OuterRef("pk")))
        | Exists(Section.objects.filter(default_picture=OuterRef("pk")))
        | Exists(Publication.objects.filter(default_picture=OuterRef("pk")))
    )


def in_use() -> Q:
    return shown_with(Article.objects.published() | Article.objects.scheduled())


def known_to(user) -> Q:
    return shown_with(Article.objects.readable_by(user))


def changed(image) -> None:
    # Every page, feed and API item showing the picture names its key; a new file or focal
    # point changes the addresses they hold, a new caption or credit their text.
    invalidate([surrogate_key(image)])


NEWSROOM_PICTURES = PictureUses(in_use=in_use, known_to=known_to, changed=changed)

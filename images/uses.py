"""Where pictures are used, as the apps that use them declare it.

The picture library sits at the bottom of the import order: it knows nothing of stories,
authors or pages. An app that shows pictures registers its uses when it starts (the articles
app in `ArticlesConfig.ready()`), and the library's rules — which pictures are in use, which a
user may know of, who must hear of a change — ask the registered uses.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from .models import Image


@dataclass(frozen=True)
class PictureUses:
    """One app's uses of pictures."""

    # The pictures readers see or are about to (a condition on Image).
    in_use: Callable[[], Q]
    # The pictures `user` may know of through what the app lets them see.
    known_to: Callable[[object], Q]
    # Told after a picture was saved, inside its transaction.
    changed: Callable[["Image"], None] = lambda image: None


_registered: list[PictureUses] = []


def register(uses: PictureUses) -> None:
    """Add an app's uses of pictures (once, when the app starts)."""
    if uses not in _registered:
        _registered.append(uses)


def in_use() -> Q:
    """The condition on Image for pictures any app shows readers, or is about to."""
    return _any(uses.in_use() for uses in _registered)


def known_to(user) -> Q:
    """The condition on Image for pictures `user` may know of through any app."""
    return _any(uses.known_to(user) for uses in _registered)


def picture_changed(image: "Image") -> None:
    """Tell every app that shows pictures that `image` changed."""
    for uses in _registered:
        uses.changed(image)


def _any(conditions) -> Q:
    return reduce(operator.or_, conditions, NONE)


NONE = Q(pk__in=[])  # with no app registered, no picture is in use

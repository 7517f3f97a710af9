from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Page, Section


def site(request) -> dict:
    """The publication's name, navigation and policy pages, for every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_TAGLINE,
        # Lazy: only pages that draw them look them up, and then mostly from the cache.
        "navigation_sections": SimpleLazyObject(Section.objects.navigation),
        "policy_pages": SimpleLazyObject(lambda: list(Page.objects.policies().values())),
    }

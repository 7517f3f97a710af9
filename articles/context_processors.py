from django.conf import settings

from .models import Section


def site(request) -> dict:
    """The publication's name and its navigation, for every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_TAGLINE,
        # Lazy: evaluated only by templates that draw the navigation.
        "navigation_sections": Section.objects.filter(parent__isnull=True),
    }

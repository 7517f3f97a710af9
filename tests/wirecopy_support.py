"""Wire copy for the importer's tests."""

from pathlib import Path

import articles

STORIES = Path(articles.__file__).parent / "stories"
DEMO_STORY = STORIES / "kremlin-defection.txt"  # the demo's story, in English


def wire(
    *,
    crumbs: tuple[str, ...] = ("- Home page", "- Politics"),
    header: tuple[str, ...] = ("Created:", "By: Jane Doe"),
    headline: str = "Parliament passes the budget. The vote was close.",
    body: tuple[str, ...] = ("Berlin – The first paragraph.", "The last paragraph. (jd)"),
) -> str:
    """A story in the wire layout: line 1-2 breadcrumbs, 3-4 header, 5 headline, 6+ body."""
    return "\n".join([*crumbs, *header, headline, *body]) + "\n"

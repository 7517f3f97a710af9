"""Which module may import which (docs/architecture.md): each rule in one place, and no module
reaching into another's internals."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ARTICLES = Path(settings.BASE_DIR) / "articles"


def imports(path: Path) -> set[str]:
    """The modules `path` imports anywhere, also inside functions, relative ones made absolute
    ("articles.models")."""
    package = ".".join(path.relative_to(settings.BASE_DIR).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_search_imports_no_models():
    # models.py imports search.py; an import back would be a cycle.
    assert not {name for name in imports(ARTICLES / "search.py") if name.startswith("articles")}


@pytest.mark.parametrize("path", sorted(ARTICLES.rglob("*.py")), ids=lambda path: path.name)
def test_articles_use_the_images_app_through_its_models(path):
    assert "images.processing" not in imports(path)


def test_sitemaps_take_their_xml_helpers_from_syndication_not_from_the_feeds():
    assert "articles.feeds" not in imports(ARTICLES / "sitemaps.py")


def test_models_write_no_markup():
    assert not {"django.utils.html", "django.utils.safestring"} & imports(ARTICLES / "models.py")


@pytest.mark.parametrize(
    "path",
    sorted((Path(settings.BASE_DIR) / "inbox").rglob("*.py")),
    ids=lambda path: path.name,
)
def test_the_inbox_knows_nothing_of_stories(path):
    # articles/notifications.py tells the inbox what to say; the inbox never asks articles.
    assert not {name for name in imports(path) if name.startswith("articles")}


@pytest.mark.parametrize(
    "path",
    sorted((Path(settings.BASE_DIR) / "images").rglob("*.py")),
    ids=lambda path: str(path.relative_to(settings.BASE_DIR)),
)
def test_the_picture_library_knows_nothing_of_stories(path):
    # The articles app registers its uses of pictures (images/uses.py); images never asks articles.
    assert not {name for name in imports(path) if name.startswith("articles")}

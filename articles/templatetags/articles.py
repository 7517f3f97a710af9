import re
from datetime import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles import blocks, bylines, caching, reading, structured_data, timestamps
from articles.models import Article
from articles.search import MATCH_END, MATCH_START

register = template.Library()

MATCH = re.compile(f"{MATCH_START}([^{MATCH_START}{MATCH_END}]*){MATCH_END}")

# Each author with what comes before their name: the page's byline links the names.
register.filter("byline_parts", bylines.byline_parts)
# The minutes a story's body takes to read ("4 min read").
register.filter("reading_minutes", reading.reading_minutes)


@register.simple_tag
def article_body(article: Article) -> SafeString:
    """The article's body with the dateline leading the first paragraph, the sign-off closing
    the last and its blocks (pictures, embeds, pull quotes…) as readers see them."""
    body = article.body
    if article.dateline:
        dateline = format_html('<span class="dateline">{}</span> – ', article.dateline)
        body = re.sub(r"^<p>", lambda match: "<p>" + dateline, body, count=1)
    if signoff := article.signoff():
        closing = format_html(' <span class="signoff">({})</span>', signoff)
        if body.endswith("</p>"):
            body = body[: -len("</p>")] + closing + "</p>"
        else:
            body += f"<p>{closing.strip()}</p>"
    body = blocks.render_blocks(body, blocks.loaded_blocks(article))
    return mark_safe(body)  # noqa: S308 - the body was sanitized when it was saved


@register.simple_tag
def shows(*things) -> str:
    """Name what the partial shows (articles, sections, authors, pictures…) for the page cache:
    a cached page is dropped when one of them changes. Outputs nothing."""
    caching.shows(*things)
    return ""


@register.simple_tag
def teaser(article: Article, variant: str = "", level: int = 2, loading: str = "") -> SafeString:
    """A story in a list (articles/_teaser.html): variant "" (a list page), "lead", "top",
    "card", "compact" or "commentary"; level, its headline's heading level. Rendered once for
    readers until the story, its section, authors or pictures change (caching.fragment())."""
    context = {"article": article, "variant": variant, "level": level, "loading": loading}
    name = f"teaser:{article.pk}:{variant}:{level}:{loading}:{get_language()}"
    return caching.fragment(name, lambda: render_to_string("articles/_teaser.html", context))


@register.filter
def highlight_matches(text: str) -> SafeString:
    """A search snippet as HTML: its text escaped, the matches search marked in <mark>."""
    marked = MATCH.sub(r"<mark>\1</mark>", escape(text))
    # A marker without its partner (one the text itself held) marks nothing.
    return mark_safe(marked.replace(MATCH_START, "").replace(MATCH_END, ""))  # noqa: S308


@register.simple_tag(takes_context=True)
def article_structured_data(context, article: Article) -> str:
    """The article's JSON-LD in a <script> element (no queries beyond what the page loaded)."""
    absolute = context["request"].build_absolute_uri
    graph = structured_data.article_graph(
        article,
        absolute,
        images=context.get("structured_images", []),
        translations=context.get("translations", []),
    )
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(structured_data.to_script(graph)),  # noqa: S308 - escaped for <script>
    )


@register.filter
def machine_time(moment: datetime | None) -> str:
    """`moment` as ISO 8601 to the whole second, for `<time datetime>`, meta tags and sitemaps."""
    return timestamps.machine_time(moment or None)

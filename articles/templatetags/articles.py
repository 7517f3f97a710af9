from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import structured_data, timestamps
from articles.models import Article

register = template.Library()


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

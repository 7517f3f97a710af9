from django import template

from images.models import Image

register = template.Library()

LOADING = ("lazy", "eager")
FETCH_PRIORITIES = ("", "high", "low", "auto")


def picture_context(
    image: Image | None,
    ratio: str | None,
    sizes: str,
    loading: str,
    fetchpriority: str,
    css_class: str,
) -> dict:
    if image is None:
        return {"image": None}
    if loading not in LOADING or fetchpriority not in FETCH_PRIORITIES:
        raise template.TemplateSyntaxError(
            f"picture: loading must be one of {LOADING} and fetchpriority one of "
            f"{FETCH_PRIORITIES}; got {loading!r} and {fetchpriority!r}."
        )
    try:
        picture = image.picture(ratio)
    except ValueError as error:
        raise template.TemplateSyntaxError(f"picture: {error}") from error
    return {
        "image": image,
        "picture": picture,
        "sizes": sizes,
        "loading": loading,
        "fetchpriority": fetchpriority,
        "css_class": css_class,
        "alt": "",  # the picture's own alt text
    }


@register.inclusion_tag("images/_picture.html")
def picture(
    image: Image | None,
    ratio: str | None = None,
    sizes: str = "100vw",
    loading: str = "lazy",
    fetchpriority: str = "",
    css_class: str = "",
) -> dict:
    """A responsive <picture> of `image` (WebP and JPEG srcsets), cropped to `ratio` around its
    focal point; nothing when `image` is None. Runs no database query.

    Use loading="eager" fetchpriority="high" for the picture at the top of a page.
    """
    return picture_context(image, ratio, sizes, loading, fetchpriority, css_class)


@register.inclusion_tag("images/_figure.html")
def figure(
    image: Image | None,
    ratio: str | None = None,
    sizes: str = "100vw",
    loading: str = "lazy",
    fetchpriority: str = "",
    css_class: str = "",
    caption: str = "",
    alt: str = "",
) -> dict:
    """The picture in a <figure> with its caption (or `caption`, when given) and its credit,
    labelled by its kind in the language being rendered (“Photo: …”, “Foto: …”); `alt`, when
    given, replaces the picture's alt text (a story's own, for its context)."""
    context = picture_context(image, ratio, sizes, loading, fetchpriority, "")
    if image is not None:
        context |= {
            "alt": alt,
            "figure_class": css_class,
            "caption": caption or image.caption,
            "credit": image.credit,
            "credit_label": image.get_credit_kind_display(),
        }
    return context

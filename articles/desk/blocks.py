"""What the body editor's blocks ask the server (see the blocks contract): pictures to choose or
upload, the metadata of an embed, stories for a "Read more" link. JSON in, JSON out, behind the
admin's login (urls.py) and the article form's permission: a user who may add or change
stories. Each answer tells only of what the user may see."""

import json

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from images.forms import ImageForm
from images.models import Image

from .. import embeds
from ..models import Article
from ..timestamps import machine_time

PICTURES_SHOWN = 24
STORIES_SHOWN = 20
# The picture form's fields as the editor's upload names them.
UPLOAD_FIELDS = {"alt": "alt_text"}


def _may_write_stories(request: HttpRequest) -> None:
    user = request.user
    if not (user.has_perm("articles.add_article") or user.has_perm("articles.change_article")):
        raise PermissionDenied


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:200]


@require_http_methods(["GET", "HEAD", "POST"])
def body_pictures(request: HttpRequest) -> JsonResponse:
    """GET: the pictures the user may use matching ?q=, newest first. POST: upload one."""
    _may_write_stories(request)
    if request.method == "POST":
        return _upload(request)
    pictures = Image.objects.visible_to(request.user)
    for word in _query(request).split():
        pictures = pictures.filter(
            Q(caption__icontains=word) | Q(alt_text__icontains=word) | Q(credit__icontains=word)
        )
    return JsonResponse({"results": [picture_result(image) for image in pictures[:PICTURES_SHOWN]]})


def _upload(request: HttpRequest) -> JsonResponse:
    """A picture uploaded from the editor, through the library's own form and checks."""
    if not request.user.has_perm("images.add_image"):
        raise PermissionDenied
    data = request.POST.copy()
    for name, field in UPLOAD_FIELDS.items():
        if name in data:
            data[field] = data.pop(name)[-1]
    # The focal point is chosen later, in the library; a new picture starts centred.
    data.setdefault("focal_x", "0.5")
    data.setdefault("focal_y", "0.5")
    form = ImageForm(data, request.FILES)
    if not form.is_valid():
        renamed = {field: name for name, field in UPLOAD_FIELDS.items()}
        errors = {renamed.get(name, name): messages for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    image = form.save(commit=False)
    image.uploaded_by = request.user
    image.save()
    return JsonResponse(picture_result(image), status=201)


def picture_result(image: Image) -> dict:
    """A picture as the editor's picker lists it."""
    width = image.rendition_widths(None)[0]
    return {
        "id": image.pk,
        "title": str(image),
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "thumbnail": image.rendition_url(None, width, "webp"),
        "width": image.width,
        "height": image.height,
    }


@require_POST
def embed(request: HttpRequest) -> JsonResponse:
    """The attributes of an embed of the posted `url` (form field or JSON), from its
    provider's oEmbed metadata; 400 with the reason when it cannot be embedded."""
    _may_write_stories(request)
    url = request.POST.get("url")
    if url is None and request.content_type == "application/json":
        try:
            posted = json.loads(request.body)
        except ValueError:
            posted = None
        url = posted.get("url") if isinstance(posted, dict) else None
    if not isinstance(url, str) or not url.strip():
        message = "Paste the address of the post, video or chart."
        return JsonResponse({"error": message}, status=400)
    try:
        found = embeds.fetch(url)
    except embeds.EmbedError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"attrs": found.attrs(), "card": found.card()})


@require_safe
def read_more(request: HttpRequest) -> JsonResponse:
    """Published stories whose headline matches ?q=, newest first."""
    _may_write_stories(request)
    stories = Article.objects.published().select_related("section").order_by("-published_at", "-pk")
    for word in _query(request).split():
        stories = stories.filter(headline__icontains=word)
    return JsonResponse(
        {
            "results": [
                {
                    "id": story.pk,
                    "headline": story.headline,
                    "section": story.section.name,
                    "url": story.get_absolute_url(),
                    "published_at": machine_time(story.published_at),
                }
                for story in stories[:STORIES_SHOWN]
            ]
        }
    )

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest


def paginate(request: HttpRequest, object_list, per_page: int | None = None) -> Page:
    """The page of `object_list` named by ?page=; a page that doesn't exist is a 404."""
    paginator = Paginator(object_list, per_page or settings.NEWSROOM_ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error

"""The newsroom's admin site: Django's, with two of its site-wide views limited to what the
user may see, and the user's inbox (the inbox app) in every page's header.

- "View on site" (`/admin/r/<content type>/<id>/`) redirects only to objects the user may
  open in the admin; anything else is 404, so addresses (and the headlines in them) of
  other people's drafts can't be read off sequential ids.
- The autocomplete searches what the user may choose for the field (`get_choices_queryset()`
  on the model admin, where it has one), which for articles is more than the list they may
  open, or, for a related story, only published ones.
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from articles.models import EARLIEST_YEAR, LATEST_YEAR
from inbox import urls as inbox_urls
from inbox.views import unread_count


class NewsroomAdminSite(admin.AdminSite):
    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *inbox_urls.urlpatterns(self), *urls]

    def each_context(self, request: HttpRequest) -> dict:
        # A callable, which templates call: counted only when a page's header shows it.
        return super().each_context(request) | {"inbox_unread": partial(unread_count, request)}

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        """Django's shortcut to an object's public address, for objects the user may open."""
        obj = self._object_for(content_type_id, object_id)
        try:
            model_admin = self.get_model_admin(type(obj))
        except NotRegistered:
            raise Http404("There is nothing to view on the site here.") from None
        if not model_admin.has_view_permission(request, obj):
            raise Http404("There is nothing to view on the site here.")
        return shortcut(request, content_type_id, object_id)

    def _object_for(self, content_type_id: str, object_id: str) -> Model:
        """The object the shortcut names; 404 for anything unknown or malformed."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
            if model is not None:
                return model._base_manager.get(pk=object_id)
        except (ObjectDoesNotExist, OverflowError, ValidationError, ValueError):
            pass
        raise Http404("There is nothing to view on the site here.")

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return ChoicesAutocompleteView.as_view(admin_site=self)(request)


class ChoicesAutocompleteView(AutocompleteJsonView):
    """Django's autocomplete, searching what the user may choose for the field rather than
    what they may open, when the model admin tells the two apart."""

    def get_queryset(self):
        get_choices = getattr(self.model_admin, "get_choices_queryset", None)
        if get_choices is None:
            return super().get_queryset()
        choices = get_choices(self.request, self.source_field).complex_filter(
            self.source_field.get_limit_choices_to()
        )
        found, may_repeat = self.model_admin.get_search_results(self.request, choices, self.term)
        return found.distinct() if may_repeat else found


class BoundedDateDrillDown:
    """For a model admin with `date_hierarchy`: a drill-down year the database cannot store
    (`?published_at__year=1`, `…=9999`, typed or forged) is an invalid filter, which the
    admin answers like any other bad filter, not a server error."""

    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList


class BoundedDateChangeList(ChangeList):
    def get_filters(self, request):
        years = self.params.get(f"{self.date_hierarchy}__year") if self.date_hierarchy else None
        if years is not None:
            year = years[-1] if isinstance(years, list) else years
            if not (year.isdigit() and EARLIEST_YEAR <= int(year) <= LATEST_YEAR):
                raise IncorrectLookupParameters(f"Nothing can be dated in the year {year}.")
        return super().get_filters(request)

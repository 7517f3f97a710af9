"""The desk's screen for merging duplicates (sources, tags, authors entered twice): the admin's
"Merge…" action sends the chosen ones here, this page asks which to keep and shows what will
change, and the model's `merge_into()` does the rest. Editors only: the model admin's
`has_merge_permission()` says who may, and anyone else gets 403."""

from django import forms
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..forms import StorableModelChoiceField, StorableModelMultipleChoiceField


class MergeForm(forms.Form):
    """Which of the chosen objects to keep."""

    keep = StorableModelChoiceField(queryset=None, empty_label=None, widget=forms.RadioSelect)

    def __init__(self, candidates: QuerySet, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = candidates
        self.fields["keep"].error_messages["required"] = "Choose the one to keep."


def merge(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    """GET: the chosen objects (`?ids=…`), what each is used by, and which to keep; POST: merge."""
    if not model_admin.has_merge_permission(request):
        raise PermissionDenied
    opts = model_admin.opts
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    candidates = _chosen(model_admin.model, request)
    if len(candidates) < 2:
        messages.error(request, f"Choose at least two {opts.verbose_name_plural} to merge.")
        return redirect(changelist)
    form = MergeForm(candidates, request.POST if request.method == "POST" else None)
    if form.is_valid():
        keep = form.cleaned_data["keep"]
        try:
            chosen = candidates.model.objects.filter(pk__in=[c.pk for c in candidates])
            stories = chosen.merge_into(keep)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            merged = len(candidates) - 1
            kind = opts.verbose_name if merged == 1 else opts.verbose_name_plural
            messages.success(
                request,
                f"Merged {merged} {kind} into “{keep}”; "
                f"{stories} {'story' if stories == 1 else 'stories'} changed.",
            )
            return redirect(changelist)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": f"Merge {opts.verbose_name_plural}",
        "candidates": candidates,
        "form": form,
        "changelist": changelist,
    }
    return TemplateResponse(request, "admin/articles/merge.html", context)


def _chosen(model, request: HttpRequest) -> QuerySet:
    """The objects the request names (`ids`, repeated), with what uses them."""
    ids = (request.POST if request.method == "POST" else request.GET).getlist("ids")
    try:
        chosen = StorableModelMultipleChoiceField(model.objects.all(), required=False).clean(ids)
    except ValidationError:
        return model.objects.none()
    return chosen.with_story_count().order_by("pk")

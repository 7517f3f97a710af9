from django.urls import reverse_lazy
from taggit.forms import TagWidget


class TagAutocompleteWidget(TagWidget):
    """The comma-separated tag field, with suggestions of existing tags as one types.

    Suggestions come from the admin's own permission-checked autocomplete view, so the
    field stays a plain text input that works without JavaScript.
    """

    class Media:
        js = ["admin/articles/tag_autocomplete.js"]

    def __init__(self, attrs=None):
        super().__init__(
            {"data-tag-autocomplete": reverse_lazy("admin:autocomplete"), **(attrs or {})}
        )

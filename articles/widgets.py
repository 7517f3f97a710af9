import json
from datetime import datetime

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.text import get_text_list
from django.utils.translation import gettext
from taggit.forms import TagWidget

from .models import validate_storable_time

# The moment a format hint writes in each format a date or time may be typed in.
EXAMPLE_MOMENT = datetime(2026, 11, 26, 14, 30)


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


class NewsroomDateTimeWidget(AdminSplitDateTime):
    """The admin's date and time inputs with their calendar and clock, naming the newsroom's
    time zone beside the time ("Europe/Berlin, CET") and the formats a date may be typed in.

    Like every admin form, a page showing it loads the admin's JavaScript catalogue
    (`admin:jsi18n`) first.
    """

    template_name = "admin/widgets/newsroom_split_datetime.html"

    class Media:
        # In one list, as their order matters: the calendar needs core.js, which a page of
        # the desk's own has no other reason to load, and time_zone.js replaces a note
        # DateTimeShortcuts.js would add.
        js = [
            "admin/js/core.js",
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "admin/articles/time_zone.js",
        ]
        css = {"all": ["admin/articles/date_time.css"]}

    def id_for_label(self, id_: str) -> str:
        # The field's label names the date input (Django's multi-input widgets name none).
        return f"{id_}_0" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        zone = TimeZoneLabel(_moment_shown(value))
        context |= {"time_zone": zone, "format_hint": input_format_hint()}
        if field_id:
            described_by = context["widget"]["attrs"].get("aria-describedby", "")
            date_input, time_input = context["widget"]["subwidgets"]
            date_input["attrs"]["aria-describedby"] = _ids(described_by, f"{field_id}_hint")
            time_input["attrs"]["aria-describedby"] = _ids(
                f"{field_id}_zone", described_by, f"{field_id}_hint"
            )
        return context


class TimeZoneLabel:
    """The newsroom's time zone as shown beside a time: its name and the abbreviation in use
    at `moment` (or now), with the abbreviations around it for the browser to follow a date
    the user picks ("CET" in winter, "CEST" in summer)."""

    def __init__(self, moment: datetime | None = None) -> None:
        local = timezone.localtime(moment)
        self.name = timezone.get_current_timezone_name()
        self.abbreviation = local.tzname()
        zone = local.tzinfo
        year = min(local.year, 9998)
        samples = [
            datetime(year + years, month, 15, 12, tzinfo=zone)
            for years in (0, 1)
            for month in range(1, 13)
        ]
        self.abbreviations_by_offset = json.dumps(
            {int(sample.utcoffset().total_seconds()): sample.tzname() for sample in samples}
        )

    def __str__(self) -> str:
        return f"{self.name}, {self.abbreviation}"


def input_format_hint() -> str:
    """How a date and a time may be typed, in the formats of the active language."""
    dates = [EXAMPLE_MOMENT.strftime(form) for form in get_format("DATE_INPUT_FORMATS")]
    times = [
        EXAMPLE_MOMENT.strftime(form)
        for form in get_format("TIME_INPUT_FORMATS")
        if "%f" not in form  # fractions of a second are accepted, not worth suggesting
    ]
    return gettext("Date as %(dates)s, time as %(times)s.") % {
        "dates": get_text_list(dates),
        "times": get_text_list(times),
    }


def _moment_shown(value) -> datetime | None:
    """The time the inputs show: a saved one, or what was typed if it is a valid time."""
    if isinstance(value, datetime):
        return value
    try:
        moment = forms.SplitDateTimeField(required=False).clean(value)
        if moment is not None:
            validate_storable_time(moment)
    except ValidationError:
        return None
    return moment


def _ids(*ids: str) -> str:
    return " ".join(filter(None, ids))

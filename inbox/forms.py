from django import forms

from .models import Notification

Kind = Notification.Kind

# What each kind of notification tells, as the email settings ask: "Email me when…"
WHEN = {
    Kind.SUBMITTED: "a story is submitted for review (editors)",
    Kind.CHANGES_REQUESTED: "an editor asks for changes to my story",
    Kind.PUBLISHED: "my story is published",
    Kind.SCHEDULED: "my story is scheduled",
    Kind.CORRECTED: "a correction is added to my story",
    Kind.UNPUBLISHED: "my story is unpublished",
    Kind.COMMENTED: "someone comments on my story or answers in a discussion I took part in",
    Kind.MENTIONED: "someone mentions me (@username) in a comment",
}


class EmailSettingsForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        label="Email me when",
        choices=[(kind.value, WHEN[kind]) for kind in Kind],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Everything is in your inbox either way.",
    )

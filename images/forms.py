from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from .models import Image
from .processing import NormalizedFile, normalize_upload
from .validation import max_bytes


class PictureUploadField(forms.FileField):
    """A file field that accepts only real JPEG, PNG, WebP and GIF pictures within the limits,
    cleaning them to a NormalizedFile; each refusal is a specific error on the field."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    default_error_messages = {"empty": "The file is empty. Choose the picture again."}

    def to_python(self, data: UploadedFile | None) -> NormalizedFile | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return normalize_upload(upload)


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "credit_kind", "focal_x", "focal_y"]
        field_classes = {"file": PictureUploadField}
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "credit_kind" in self.fields:
            # A form sent without it (a script, a screen that predates it) keeps the picture's
            # kind, a new picture's being a photo.
            self.fields["credit_kind"].required = False
        if "file" in self.fields:  # not when the admin shows the picture read-only
            self.fields["file"].help_text += f" At most {filesizeformat(max_bytes())}."

    def clean_credit_kind(self) -> str:
        return self.cleaned_data["credit_kind"] or self.instance.credit_kind

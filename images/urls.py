from django.urls import path, register_converter

from . import views


class KeyConverter:
    regex = "[0-9a-f]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RatioConverter(KeyConverter):
    regex = "full|[0-9]{1,2}x[0-9]{1,2}"


class RenditionFormatConverter(KeyConverter):
    regex = "webp|jpg"


class OriginalExtensionConverter(KeyConverter):
    regex = "jpg|png|webp|gif"


register_converter(KeyConverter, "image_key")
register_converter(RatioConverter, "image_ratio")
register_converter(RenditionFormatConverter, "rendition_format")
register_converter(OriginalExtensionConverter, "image_extension")

app_name = "images"

urlpatterns = [
    path(
        "<int:pk>/<image_key:key>/<image_ratio:ratio>/<int:width>.<rendition_format:file_format>",
        views.rendition,
        name="rendition",
    ),
    path(
        "<int:pk>/<image_key:key>/original.<image_extension:extension>",
        views.original,
        name="original",
    ),
]

"""Security headers beyond Django's own: the admin's Content-Security-Policy and Permissions-Policy.

Every page gets the policy in settings.CONTENT_SECURITY_POLICY (or its _REPORT_ONLY twin):
everything from this site, no inline code. Pages under the admin additionally allow exactly
the two inline pieces its rich-text editor brings, by their hashes.
"""

import base64
import hashlib
import re
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django_prose_editor.widgets import prose_editor_admin_media

# django-prose-editor's Tiptap injects its base style sheet (`.ProseMirror { position:
# relative; … }`) as a <style> element. The hash pins that text: an upgrade that changes it
# makes the editor journey fail, and Chromium's message there names the new hash.
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"

_INLINE_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.DOTALL)


def source_hash(text: str) -> str:
    """A CSP hash source ('sha256-…') allowing one inline <script> or <style> with this text."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def editor_import_map_hash() -> str:
    """The hash of the rich-text editor's inline import map, as the admin renders it.

    Computed for each response, since it names the static files' (hashed) addresses.
    """
    (rendered,) = prose_editor_admin_media.render_importmap()
    return source_hash(_INLINE_SCRIPT.fullmatch(rendered).group(1))


def admin_policy_additions() -> dict[str, list[str]]:
    """What the admin's pages need beyond the public policy: the editor's import map and style."""
    return {"script-src": [editor_import_map_hash()], "style-src": [TIPTAP_STYLE_HASH]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the admin's needs to the policy of pages under /admin/."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            update = dict(parts.update or {})
            for directive, sources in admin_policy_additions().items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The Permissions-Policy header for {feature: allowed origins}; an empty list turns it off."""

    def allowlist(origins: list[str]) -> str:
        return " ".join(origin if origin == "self" else f'"{origin}"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header of every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy(settings.PERMISSIONS_POLICY))
        return response

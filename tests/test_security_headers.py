"""Content-Security-Policy and Permissions-Policy on every response (newsroom/security_headers.py).

The browser journeys prove the policies in Chromium; these tests pin the headers themselves.
"""

import re

import pytest
from django.urls import reverse

from newsroom.security_headers import permissions_policy, source_hash

from .conftest import make_article, make_staff
from .images_support import make_image
from .test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
# Inline code a strict policy refuses: <script> that isn't a JSON-LD data block, <style>,
# style="" and on…="" attributes.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def directives(header: str) -> dict[str, list[str]]:
    """The policy as {directive: [sources]}."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.DOTALL)


@pytest.fixture
def story():
    return make_article(tags=["Russia"], lead_picture=make_image())


@pytest.fixture
def public_addresses(story) -> list[str]:
    author = story.authors.get()
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:tag", args=["russia"]),
        reverse("articles:search") + "?q=Headline",
    ]


def test_every_response_carries_both_policies(client, story, public_addresses):
    addresses = [
        *public_addresses,
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        "/sitemap.xml",
        "/robots.txt",
        reverse("articles:api_articles"),
        reverse("articles:api_article", args=[story.pk]),
        reverse("admin:login"),
        "/no-such-section/no-such-story/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == (404 if "no-such" in address else 200), address
        assert "default-src 'self'" in response["Content-Security-Policy"], address
        assert "camera=()" in response["Permissions-Policy"], address


def test_public_policy_allows_only_this_site_and_no_inline_code(client):
    policy = directives(client.get("/")["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not UNSAFE & {source for sources in policy.values() for source in sources}


def test_public_pages_contain_no_inline_code(client, public_addresses):
    for address in [*public_addresses, "/no-such-section/no-such-story/"]:
        html = client.get(address).content.decode()
        assert not INLINE_CODE.findall(html), address


def test_admin_policy_allows_exactly_the_editors_inline_import_map(client):
    client.force_login(make_staff("Editor"))

    response = client.get(reverse("admin:articles_article_add"))

    policy = directives(response["Content-Security-Policy"])
    scripts = inline_scripts(response.content.decode())
    assert scripts, "the rich-text editor's import map"
    assert policy["script-src"] == ["'self'", *(source_hash(script) for script in scripts)]
    assert policy["style-src"][0] == "'self'"
    assert len(policy["style-src"]) == 2  # and the hash of Tiptap's style sheet
    assert policy["frame-ancestors"] == ["'none'"]
    assert not UNSAFE & {source for sources in policy.values() for source in sources}


def test_admin_forms_contain_no_inline_style_or_handlers(client, story):
    client.force_login(make_staff("Editor"))
    addresses = [
        reverse("admin:index"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:images_image_change", args=[story.lead_picture.pk]),
    ]
    for address in addresses:
        html = client.get(address).content.decode()
        inline = INLINE_CODE.findall(html)
        # The one inline script is the import map the policy allows by its hash.
        assert inline in ([], ['<script type="importmap">']), (address, inline)


def test_report_only_setting_reports_instead_of_blocking(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    client.force_login(make_staff("Editor"))

    for address in ["/", reverse("admin:articles_article_add")]:
        response = client.get(address)
        assert "Content-Security-Policy" not in response, address
        policy = directives(response["Content-Security-Policy-Report-Only"])
        assert policy["default-src"] == ["'self'"], address
    assert len(policy["script-src"]) == 2  # the admin's import map, in report-only too


def test_environment_switches_to_report_only_with_a_report_address():
    result = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from csp.utils import build_policy; print(repr(build_policy()));"
        "print(build_policy(report_only=True))",
        DATABASE_URL="sqlite:///:memory:",
        CSP_REPORT_ONLY="1",
        CSP_REPORT_URI="https://reports.example.com/csp",
    )
    assert result.returncode == 0, result.stderr
    enforced, report_only = result.stdout.splitlines()
    assert enforced == "''"
    assert "default-src 'self'" in report_only
    assert directives(report_only)["report-uri"] == ["https://reports.example.com/csp"]


def test_production_upgrades_insecure_requests_and_development_does_not():
    show = "from csp.utils import build_policy; print(build_policy())"
    production = manage("shell", "--verbosity=0", "-c", show, **PRODUCTION_ENV)
    development = manage("shell", "--verbosity=0", "-c", show, DATABASE_URL="sqlite:///:memory:")

    assert production.returncode == development.returncode == 0
    assert "upgrade-insecure-requests" in production.stdout
    assert "upgrade-insecure-requests" not in development.stdout
    assert "report-uri" not in production.stdout


def test_permissions_policy_turns_off_features_the_site_does_not_use(client):
    header = client.get("/")["Permissions-Policy"]

    features = dict(feature.split("=") for feature in header.split(", "))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]:
        assert features[feature] == "()", feature
    assert "interest-cohort" not in features  # obsolete: browsers warn about it


def test_permissions_policy_quotes_origins():
    header = permissions_policy({"fullscreen": ["self", "https://player.example"], "usb": []})

    assert header == 'fullscreen=(self "https://player.example"), usb=()'

"""The security headers in a real browser: the Content-Security-Policy blocks injected code
and the admin's widgets work under it (every journey fails on a violation: see `visit` in
conftest.py); the Permissions-Policy switches features off."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Section

from ..conftest import make_article, make_section, make_staff
from ..images_support import make_image
from .test_editor_journeys import log_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_public_pages_refuse_injected_inline_script_and_style(visit, csp_violations):
    make_article(headline="A story with structured data")
    page = visit()
    page.goto("/")
    page.get_by_role("link", name="A story with structured data").click()
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    assert csp_violations == []  # the JSON-LD data block is not code and breaks no rule

    refused = page.evaluate(
        """() => new Promise((resolve) => {
          const refused = [];
          setTimeout(() => resolve(refused.sort()), 5000);
          document.addEventListener("securitypolicyviolation", (event) => {
            refused.push(event.effectiveDirective);
            if (refused.length === 2) resolve(refused.sort());
          });
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "background: red");
        })"""
    )

    assert refused == ["script-src-elem", "style-src-attr"]
    assert page.evaluate("window.injected") is None
    expect(page.locator("body")).not_to_have_css("background-color", "rgb(255, 0, 0)")
    # The fixture saw them too (its listener runs first), so any other test fails on them.
    assert len([v for v in csp_violations if v.startswith("enforce:")]) == 2
    csp_violations.clear()


def test_permissions_policy_switches_off_features_chromium_knows(visit, settings):
    page = visit()
    page.goto("/")

    known = page.evaluate("document.featurePolicy.features()")
    for feature in settings.PERMISSIONS_POLICY:
        assert feature in known, f"Chromium ignores the unknown feature {feature!r}"
        assert not page.evaluate(f"document.featurePolicy.allowsFeature({feature!r})"), feature


def test_editor_sets_the_focal_point_by_clicking_the_picture(visit, settings):
    make_staff("Editor", username="editor")
    image = make_image(alt_text="A crowd on the square")
    page = log_in(visit, "editor")
    page.goto(f"/admin/images/image/{image.pk}/change/")

    preview = page.get_by_role("img", name=f"Preview of {image}")
    marker = page.locator(".focal-point-picker__marker")
    expect(marker).to_be_visible()
    expect(page.locator(".focal-point-crop")).to_have_count(len(settings.NEWSROOM_IMAGE_RATIOS))
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    expect(page.get_by_label("Focal point across:")).to_have_value(re.compile(r"^0\.2[45]\d$"))
    expect(page.get_by_label("Focal point down:")).to_have_value(re.compile(r"^0\.7[45]\d$"))
    expect(marker).to_have_attribute("style", re.compile(r"left: 2[45][.\d]*%"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    image.refresh_from_db()
    assert image.focal_x == pytest.approx(0.25, abs=0.01)
    assert image.focal_y == pytest.approx(0.75, abs=0.01)


def test_editor_uses_the_article_forms_popup_date_pickers_and_tag_suggestions(visit):
    make_staff("Editor", username="editor")
    make_section(name="Politics", slug="politics")
    make_article(tags=["Russia"])
    page = log_in(visit, "editor")
    page.goto("/admin/articles/article/add/")

    # A section that doesn't exist yet, added in the "+" popup without leaving the story.
    with page.expect_popup() as opening:
        page.locator("#add_id_section").click()
    popup = opening.value
    popup.get_by_label("Name:").fill("Culture")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_section option:checked")).to_have_text("Culture")
    assert Section.objects.filter(name="Culture").exists()

    # The calendar and the clock next to the publication time.
    page.locator("#calendarlink0").click()
    page.locator("#calendarbox0").get_by_role("link", name="Today").click()
    page.locator("#clocklink0").click()
    page.locator("#clockbox0").get_by_role("link", name="Now").click()
    expect(page.locator("#id_published_at_0")).to_have_value(re.compile(r"\d"))
    expect(page.locator("#id_published_at_1")).to_have_value(re.compile(r"\d"))

    # Suggestions of existing tags as one types.
    page.get_by_label("Tags:").fill("Rus")
    expect(page.locator("#id_tags-suggestions option")).to_have_attribute("value", "Russia")

"""The policy pages: their own pages, the links every page gives to them, and their roles,
one table on `Page.Role` that the footer, the structured data and the content API all read,
in the same order."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles import ninjs, structured_data
from articles.models import Page

from .conftest import NOW, make_article, make_section
from .head_support import article_object
from .stories import defector_story

pytestmark = pytest.mark.django_db

TRUST_INDICATOR = "http://cv.iptc.org/newscodes/trustindicator/"
URL = "http://testserver/europe/defector-reaches-berlin/"
SLUGS = ["publishing-principles", "corrections-policy", "masthead"]


def absolute(path: str) -> str:
    return f"https://news.example{path}"


@pytest.fixture
def story(clock):
    return defector_story(published_at=NOW)


def test_each_role_names_its_schema_org_property_and_iptc_trust_indicator():
    assert [(role, role.schema_property, role.trust_indicator) for role in Page.Role] == [
        ("publishing_principles", "publishingPrinciples", TRUST_INDICATOR + "editorialPolicy"),
        ("corrections_policy", "correctionsPolicy", TRUST_INDICATOR + "correctionsPolicy"),
        ("masthead", "masthead", TRUST_INDICATOR + "partyInfo"),
    ]
    assert Page.Role.MASTHEAD.label == "Masthead"
    assert Page._meta.get_field("role").choices == [
        ("publishing_principles", "Publishing principles"),
        ("corrections_policy", "Corrections policy"),
        ("masthead", "Masthead"),
    ]


def test_policies_come_in_the_roles_order(policies):
    assert list(Page.objects.policies()) == list(Page.Role)


def test_structured_data_and_content_api_name_each_policy_page_by_its_role(policies):
    publisher = structured_data.publisher(absolute)
    indicators = ninjs.trust_indicators(absolute)

    assert {
        key: publisher[key] for key in ["publishingPrinciples", "correctionsPolicy", "masthead"]
    } == {
        "publishingPrinciples": "https://news.example/pages/publishing-principles/",
        "correctionsPolicy": "https://news.example/pages/corrections-policy/",
        "masthead": "https://news.example/pages/masthead/",
    }
    assert indicators == [
        {
            "role": TRUST_INDICATOR + "editorialPolicy",
            "title": "Standards",
            "href": "https://news.example/pages/publishing-principles/",
        },
        {
            "role": TRUST_INDICATOR + "correctionsPolicy",
            "title": "Corrections",
            "href": "https://news.example/pages/corrections-policy/",
        },
        {
            "role": TRUST_INDICATOR + "partyInfo",
            "title": "About us",
            "href": "https://news.example/pages/masthead/",
        },
    ]


def test_footer_lists_the_policy_pages_in_the_roles_order(client, policies):
    content = client.get("/").content.decode()

    footer = content[content.index('<ul class="site-footer__links">') :]
    positions = [
        footer.index(f'href="/pages/{slug}/"')
        for slug in ["publishing-principles", "corrections-policy", "masthead"]
    ]
    assert positions == sorted(positions)


# Links to the policy pages


def test_policy_pages_are_linked_from_every_article(client, story, policies):
    other = make_article(section=make_section(), published_at=NOW)

    for url in [URL, other.get_absolute_url()]:
        response = client.get(url)
        assertContains(response, '<p class="story__standards">Our standards:')
        for slug in SLUGS:
            assertContains(response, f'href="/pages/{slug}/"', count=2)  # standards and footer


def test_policy_pages_are_linked_from_the_footer_of_every_page(client, story, policies):
    for url in ["/", "/europe/", "/author/jens-kiffmeier/", "/pages/masthead/"]:
        response = client.get(url)
        assertContains(response, '<ul class="site-footer__links">')
        for slug in SLUGS:
            assertContains(response, f'href="/pages/{slug}/"')


def test_site_without_policy_pages_shows_no_empty_standards_line(client, story):
    response = client.get(URL)

    assertNotContains(response, "story__standards")
    assertNotContains(response, "site-footer__links")


def test_new_policy_page_is_linked_at_once(client, story):
    client.get(URL)  # fills the site-wide cache

    Page.objects.create(title="Masthead", slug="masthead", role=Page.Role.MASTHEAD)

    assertContains(client.get(URL), 'href="/pages/masthead/"', count=2)
    assert "masthead" in article_object(client, URL)["publisher"]


def test_policy_page_shows_its_title_and_body(client, clock):
    Page.objects.create(
        title="Our principles",
        slug="principles",
        role=Page.Role.PUBLISHING_PRINCIPLES,
        body="<p>We check every fact.</p><script>alert(1)</script>",
    )

    response = client.get(reverse("articles:page", kwargs={"slug": "principles"}))

    assert response.status_code == 200
    assertContains(response, '<h1 class="story__headline">Our principles</h1>', html=True)
    assertContains(response, "<p>We check every fact.</p>", html=True)
    assertNotContains(response, "<script>alert")


@pytest.mark.parametrize("slug", ["no-such-page", "UPPER", "x" * 200])
def test_unknown_policy_page_is_404(client, policies, slug):
    assert client.get(f"/pages/{slug}/").status_code == 404

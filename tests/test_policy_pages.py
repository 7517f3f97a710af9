"""The policy pages' roles: one table on `Page.Role` that the footer, the structured data and
the content API all read, in the same order."""

import pytest

from articles import ninjs, structured_data
from articles.models import Page

pytestmark = pytest.mark.django_db

TRUST_INDICATOR = "http://cv.iptc.org/newscodes/trustindicator/"


def absolute(path: str) -> str:
    return f"https://news.example{path}"


@pytest.fixture
def policies():
    """A page for each role, made in an order (and with titles) other than the roles'."""
    for role, title in [
        (Page.Role.MASTHEAD, "About us"),
        (Page.Role.PUBLISHING_PRINCIPLES, "Standards"),
        (Page.Role.CORRECTIONS_POLICY, "Corrections"),
    ]:
        Page.objects.create(title=title, slug=role.replace("_", "-"), role=role)


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

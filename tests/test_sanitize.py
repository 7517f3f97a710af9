import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Page
from articles.richtext import sanitize_html, validate_keeps_text
from tests.admin_forms import admin_url, edit_form
from tests.conftest import at, make_article

PAYLOAD = (
    '<p onclick="steal()">Safe opening.</p>'
    "<script>stealCookies()</script>"
    '<img src="x.png" onerror="steal()">'
    '<p><a href="jav&#x09;ascript:steal()">Harmless link text</a></p>'
    '<iframe src="https://evil.example/frame"></iframe>'
    '<p style="position:fixed">Styled closing.</p>'
)
CLEANED_PAYLOAD = (
    "<p>Safe opening.</p>"
    '<p><a rel="noopener noreferrer">Harmless link text</a></p>'
    "<p>Styled closing.</p>"
)
PAYLOAD_TRACES = ["steal", "onclick", "onerror", "javascript", "<script", "<img", "<iframe"]
PAYLOAD_TRACES += ["evil.example", "position:fixed", "style="]


@pytest.mark.parametrize(
    ("html", "cleaned"),
    [
        ("<p>Before</p><script>alert(1)</script><p>After</p>", "<p>Before</p><p>After</p>"),
        ("<p>Text<script>document.cookie</script></p>", "<p>Text</p>"),
        ("<style>p { display: none }</style><p>Text</p>", "<p>Text</p>"),
        ('<iframe src="https://evil.example">fallback</iframe><p>Text</p>', "<p>Text</p>"),
        ('<object data="x.swf"><embed src="x.swf"></object><p>Text</p>', "<p>Text</p>"),
        ('<embed src="x.swf"><p>Text</p>', "<p>Text</p>"),
        ("<svg><script>alert(1)</script><text>Label</text></svg><p>Text</p>", "<p>Text</p>"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
        ("<template><p>Hidden</p></template><p>Text</p>", "<p>Text</p>"),
        ("<p>Text<!-- <script>alert(1)</script> --></p>", "<p>Text</p>"),
    ],
)
def test_sanitize_removes_dangerous_elements_with_their_content(html, cleaned):
    assert sanitize_html(html) == cleaned


@pytest.mark.parametrize(
    ("html", "cleaned"),
    [
        ('<p onclick="alert(1)">Text</p>', "<p>Text</p>"),
        ('<p>A<img src="x" onerror="alert(1)">B</p>', "<p>AB</p>"),
        ('<strong onmouseover="alert(1)">Bold</strong>', "<strong>Bold</strong>"),
        ('<p style="color: red">Text</p>', "<p>Text</p>"),
        ('<h2 style="display:none" class="x" id="y">Heading</h2>', "<h2>Heading</h2>"),
    ],
)
def test_sanitize_removes_event_handlers_and_styles(html, cleaned):
    assert sanitize_html(html) == cleaned


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "ftp://files.example.com/",
    ],
)
def test_sanitize_removes_links_with_disallowed_schemes(href):
    cleaned = sanitize_html(f'<p><a href="{href}">Click</a></p>')

    assert cleaned == '<p><a rel="noopener noreferrer">Click</a></p>'


@pytest.mark.parametrize(
    "href",
    ["https://example.com/story?id=1", "http://example.com/", "mailto:desk@example.com"],
)
def test_sanitize_keeps_links_with_allowed_schemes(href):
    cleaned = sanitize_html(f'<p><a href="{href}">Link</a></p>')

    assert cleaned == f'<p><a href="{href}" rel="noopener noreferrer">Link</a></p>'


def test_sanitize_keeps_link_title_and_replaces_target():
    html = '<a href="https://example.com/" title="Source" target="_blank" rel="opener">Link</a>'

    assert sanitize_html(html) == (
        '<a href="https://example.com/" title="Source" rel="noopener noreferrer">Link</a>'
    )


def test_sanitize_keeps_editor_markup():
    html = (
        "<h2>Subheading</h2><h3>Smaller heading</h3>"
        "<p>Some <strong>bold</strong> and <em>italic</em> text.<br>New line.</p>"
        "<ul><li>One</li><li>Two</li></ul>"
        "<ol><li>First</li><li>Second</li></ol>"
        "<blockquote><p>A quotation.</p></blockquote>"
    )

    assert sanitize_html(html) == html


def test_sanitize_unwraps_unknown_tags_but_keeps_their_text():
    html = '<div class="box"><span>Kept text</span></div><h1>Big</h1>'

    assert sanitize_html(html) == "Kept textBig"


def test_sanitize_escapes_text_that_looks_like_markup():
    assert sanitize_html("<p>1 &lt; 2 &amp; 3 &gt; 2</p>") == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"


@pytest.mark.parametrize("html", ["", None, "<p></p>", "<p><br></p>", "  <script>x</script> "])
def test_sanitize_treats_empty_editor_as_empty_body(html):
    assert sanitize_html(html) == ""


def test_sanitize_removes_whole_payload():
    assert sanitize_html(PAYLOAD) == CLEANED_PAYLOAD


@pytest.mark.django_db
def test_saving_article_stores_sanitized_body():
    article = make_article(body=PAYLOAD, published_at=at("2026-04-05 10:00"))

    article.refresh_from_db()
    assert article.body == CLEANED_PAYLOAD


@pytest.mark.django_db
def test_saving_existing_article_sanitizes_changed_body():
    article = make_article(published_at=at("2026-04-05 10:00"))

    article.body = '<p>Update</p><script>alert("again")</script>'
    article.save()

    assert Article.objects.get(pk=article.pk).body == "<p>Update</p>"


@pytest.mark.django_db
def test_article_page_does_not_contain_payload(client):
    article = make_article(body=PAYLOAD, dateline="Moscow", published_at=at("2026-04-05 10:00"))

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "articles/article_detail.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Safe opening." in content
    assert "Harmless link text" in content
    assert "Styled closing." in content
    body = content.split('<div class="story__body">', 1)[1].split("</div>", 1)[0]
    for trace in PAYLOAD_TRACES:
        assert trace not in body.lower(), trace
    for trace in ["steal", "onclick", "onerror", "javascript:", "evil.example", "<iframe"]:
        assert trace not in content.lower(), trace
    # The page's only scripts are its structured data.
    assert content.count("<script") == content.count('<script type="application/ld+json">') == 1


@pytest.mark.django_db
def test_article_page_escapes_dateline(client):
    article = make_article(
        dateline='<img src=x onerror="steal()">', published_at=at("2026-04-05 10:00")
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert '<span class="dateline">&lt;img src=x onerror=&quot;steal()&quot;&gt;</span>' in content
    assert "<img src=x" not in content


# Text inside elements the allowlist leaves out, and elements left open

AFTER = "<p>After one.</p><p>After two.</p>"
# Event handlers and addresses of the payloads below; none may survive sanitizing.
PAYLOAD_PARTS = ["onreadystatechange", "onerror", "onload", "onclick", "alert", "data=", "src="]


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ("<object data=/ onreadystatechange=alert(1)>", ""),
        ('<object data="x.swf">Fallback text', "Fallback text"),
        ("<embed src=x onerror=alert(1)>", ""),
        ("<foo onclick=alert(1)>Unknown element's text", "Unknown element's text"),
        ('<div onload=alert(1)><span class="x">Nested text', "Nested text"),
    ],
)
def test_unclosed_container_outside_the_allowlist_keeps_its_text_and_what_follows(opening, kept):
    html = f"<p>Before.</p>{opening}{AFTER}"

    cleaned = sanitize_html(html)

    assert cleaned == f"<p>Before.</p>{kept}{AFTER}"
    assert not any(part in cleaned for part in PAYLOAD_PARTS)
    validate_keeps_text(html)  # nothing is lost, so nothing to refuse


def test_closed_object_keeps_its_fallback_text():
    html = '<object data="x.swf"><param name="movie" value="x.swf"><p>Fallback</p></object>'

    assert sanitize_html(html) == "<p>Fallback</p>"


@pytest.mark.parametrize(
    "element",
    [
        "script",
        "style",
        "iframe",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "textarea",
        "title",
        "xmp",
        "plaintext",
    ],
)
def test_unclosed_element_that_would_swallow_the_rest_is_refused_by_name(element):
    html = f'<p>Before.</p><{element.upper()} class="x" onload="alert(1)">{AFTER}'

    with pytest.raises(ValidationError) as refused:
        validate_keeps_text(html)

    assert refused.value.messages == [
        f"The body contains an unclosed <{element}> element; everything after it would be "
        "lost when it is saved. Close or remove it."
    ]
    # Why: saved, the paragraphs after it would be gone, or shown as "<p>…" markup.
    assert "<p>After one.</p>" not in sanitize_html(html)


def test_unclosed_comment_is_refused():
    with pytest.raises(ValidationError, match=r"an unclosed comment \(<!--\)"):
        validate_keeps_text(f"<p>Before.</p><!-- a note to the desk {AFTER}")


def test_tag_cut_short_is_refused():
    with pytest.raises(ValidationError, match="an unclosed tag, element or comment"):
        validate_keeps_text(f'<p>Before.</p><a href="https://example.com/{AFTER}')


def test_unclosed_element_after_a_closed_one_is_the_one_named():
    html = f"<p>Before.</p><script>if (a<b) go()</script><p>Middle.</p><style>p {{}}{AFTER}"

    with pytest.raises(ValidationError, match="unclosed <style> element"):
        validate_keeps_text(html)


@pytest.mark.parametrize(
    ("html", "name"),
    [
        (f"<p>Before.</p><svg onload=alert(1)><text>Chart label</text>{AFTER}", "svg"),
        ("<p>Before.</p><svg><title>Chart</title></svg><p>After.</p>", "svg"),
        ("<p>The formula <math><mi>x</mi><mo>=</mo><mn>2</mn></math> holds.</p>", "math"),
    ],
)
def test_svg_and_mathml_whose_text_would_be_dropped_are_refused(html, name):
    with pytest.raises(ValidationError) as refused:
        validate_keeps_text(html)

    assert refused.value.messages == [
        f"The body contains SVG or MathML (<{name}>), which saving removes with all the text "
        "inside. Remove it, and type any text it holds as ordinary text."
    ]


@pytest.mark.parametrize(
    "html",
    [
        "",
        PAYLOAD,  # closed <script> and <iframe>: code, dropped as such
        "<p>Some <strong>bold</strong> text</p><blockquote><p>A quotation.</p></blockquote>",
        "<p>The tags &lt;svg&gt; and &lt;script&gt; are written as text.</p>",
        "<p>Unclosed <strong>bold is closed by the parser",
    ],
)
def test_bodies_that_lose_no_text_are_accepted(html):
    validate_keeps_text(html)


# The admin forms


@pytest.mark.django_db
def test_article_form_keeps_every_paragraph_after_an_unclosed_object(editor_client):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    body = f"<p>Before.</p><object data=/ onreadystatechange=alert(1)>{AFTER}"

    response = editor_client.post(admin_url(article), edit_form(article, body=body))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == f"<p>Before.</p>{AFTER}"


@pytest.mark.django_db
@pytest.mark.parametrize("element", ["script", "iframe", "template"])
def test_article_form_refuses_a_body_with_an_unclosed_element_and_saves_nothing(
    editor_client, element
):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    body = f"<p>Before.</p><{element}>{AFTER}"

    response = editor_client.post(
        admin_url(article), edit_form(article, headline="Changed", body=body)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        f"The body contains an unclosed <{element}> element; everything after it would be "
        "lost when it is saved. Close or remove it."
    ]
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.body, stored.version) == (
        article.headline,
        article.body,
        article.version,
    )


@pytest.mark.django_db
def test_page_form_refuses_a_body_with_an_unclosed_element(admin_client):
    response = admin_client.post(
        "/admin/articles/page/add/",
        {"title": "About us", "slug": "about", "role": "", "body": f"<p>Hi.</p><style>{AFTER}"},
    )

    assert response.status_code == 200
    assert "unclosed <style> element" in response.context["adminform"].form.errors["body"][0]
    assert not Page.objects.exists()

import pytest

from articles.models import Article
from articles.richtext import sanitize_html
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

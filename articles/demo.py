"""The demo newsroom that `manage.py load_demo` builds: people, sections, sources and stories."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from images.demo import make_demo_image
from images.models import Image

from . import editing, workflow
from .models import (
    Article,
    Author,
    Byline,
    Citation,
    Page,
    Publication,
    Section,
    Source,
    Tag,
    TaggedArticle,
)
from .roles import ensure_roles
from .wirecopy import read_story_file, save_story

DEMO_PASSWORD = "newsroom-demo"
DEMO_STORY = Path(__file__).parent / "stories" / "kremlin-defection.txt"
DEMO_STORY_ID = "kremlin-defection"

SECTIONS = [
    # (name, slug, parent slug, description)
    ("Politics", "politics", None, "Government, parliament and the people who hold power."),
    ("World", "world", None, "Reporting from our correspondents abroad."),
    ("Europe", "europe", "world", "The European Union and its neighbours."),
    ("Business", "business", None, "Companies, markets and the economy."),
    ("Science", "science", None, "Research, technology, health and the climate."),
    ("Culture", "culture", None, "Books, film, music, art and ideas."),
    ("Sport", "sport", None, "Results, analysis and the business of sport."),
]


# The roles are groups made by the migration articles/0003_roles.
ROLE_GROUPS = {"admin": "Admin", "editor": "Editor", "reporter": "Reporter"}


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    initials: str
    job_title: str
    role: str
    bio: str


STAFF = [
    StaffMember(
        "chief",
        "Maria Hoffmann",
        "mho",
        "Editor-in-chief",
        "admin",
        "Maria Hoffmann leads the newsroom. She was a foreign correspondent in Warsaw "
        "and Kyiv before she became editor-in-chief.",
    ),
    StaffMember(
        "editor",
        "Daniel Okafor",
        "dok",
        "Managing editor",
        "editor",
        "Daniel Okafor runs the news desk and edits the politics and business pages.",
    ),
    StaffMember(
        "jkiffmeier",
        "Jens Kiffmeier",
        "jkf",
        "Political correspondent",
        "reporter",
        "Jens Kiffmeier covers Russia, Eastern Europe and security policy.",
    ),
    StaffMember(
        "lbrandt",
        "Lena Brandt",
        "lbr",
        "Science reporter",
        "reporter",
        "Lena Brandt writes about research, health and the climate.",
    ),
    StaffMember(
        "smarques",
        "Sofia Marques",
        "sma",
        "Business reporter",
        "reporter",
        "Sofia Marques reports on companies, markets and labour.",
    ),
]

SOURCES = [
    (
        "Dossier Center",
        "dossier-center",
        Source.Kind.INVESTIGATIVE,
        "https://dossier.center/",
        "A London-based investigative project funded by the exiled Kremlin critic Mikhail "
        "Khodorkovsky; it researches the Russian state apparatus.",
    ),
    (
        "Financial Times",
        "financial-times",
        Source.Kind.PUBLICATION,
        "https://www.ft.com/",
        "A British daily newspaper on business and economics.",
    ),
    (
        "The Moscow Times",
        "the-moscow-times",
        Source.Kind.PUBLICATION,
        "https://www.themoscowtimes.com/",
        "An independent English-language news outlet, since 2022 published from Amsterdam.",
    ),
    ("CNN", "cnn", Source.Kind.BROADCASTER, "https://edition.cnn.com/", "A US news broadcaster."),
    (
        "British secret service",
        "british-secret-service",
        Source.Kind.GOVERNMENT,
        "https://www.gov.uk/government/organisations/ministry-of-defence",
        "British intelligence, whose assessments of the war in Ukraine the Ministry of Defence "
        "publishes as regular updates.",
    ),
    (
        "Verstka",
        "verstka",
        Source.Kind.INVESTIGATIVE,
        "https://verstka.media/",
        "An independent Russian news portal (in German transliteration: Wjorstka).",
    ),
]

DEMO_STORY_CITATIONS = [
    ("dossier-center", "Interview with Gleb Karakulov", "https://dossier.center/"),
    ("verstka", "Report on staff leaving the Moscow City Administration, October 2022", ""),
    ("british-secret-service", "Intelligence update on travel bans for officials, March 2023", ""),
    ("financial-times", "Dmitry Peskov on the tightened travel rules", ""),
    ("the-moscow-times", "Report on Karakulov's escape via Kazakhstan", ""),
    ("cnn", "Interview with Vladimir Osechkin", ""),
]
DEMO_STORY_TAGS = ["Russia", "Vladimir Putin", "Kremlin", "Ukraine war", "Defectors"]
DEMO_ORIGINAL = Path(__file__).parent / "stories" / "kremlin-defection.de.txt"
DEMO_ORIGINAL_ID = "kremlin-defection.de"
DEMO_PICTURE_CAPTIONS = {
    "en": "Dawn over the Moskva: the Kremlin's guard is losing people it cannot replace.",
    "de": "Morgen über der Moskwa: Der Kreml-Garde laufen Leute davon, die sie nicht "
    "ersetzen kann.",
}
# Demo pictures are generated, and found again by their caption.
PICTURE_CAPTIONS = [
    "Illustration: sunrise over the hills east of Moscow",
    *(f"Illustration: landscape {number}" for number in range(1, 9)),
]
# Stories without a picture of their own are shared with this one (2400 × 1600).
DEFAULT_PICTURE_SEED = 50
POLICY_PAGES = [
    (
        Page.Role.PUBLISHING_PRINCIPLES,
        "Publishing principles",
        "publishing-principles",
        "<p>We report what we can verify, say how we know it and name our sources wherever "
        "we can. Every story is read by an editor before it is published.</p>"
        "<h2>Sources</h2><p>Each story lists the sources it cites. Where a source cannot be "
        "named, we say why, and an editor knows who it is.</p>"
        "<h2>Opinion and analysis</h2><p>Opinion, analysis and explainers are labelled as "
        "such above the headline, so readers can tell them from news reporting.</p>",
    ),
    (
        Page.Role.CORRECTIONS_POLICY,
        "Corrections policy",
        "corrections-policy",
        "<p>When we get something wrong, we correct it openly. Corrections, updates and "
        "clarifications appear at the foot of the story with the time they were made, and the "
        "story shows when it was last updated.</p><p>Write to the desk to tell us about an "
        "error; an editor answers every message.</p>",
    ),
    (
        Page.Role.MASTHEAD,
        "Masthead",
        "masthead",
        "<p><strong>Editor-in-chief:</strong> Maria Hoffmann</p>"
        "<p><strong>Managing editor:</strong> Daniel Okafor</p>"
        "<p><strong>Reporters:</strong> Jens Kiffmeier (politics, Eastern Europe), Lena Brandt "
        "(science), Sofia Marques (business)</p>",
    ),
]
DEMO_STORY_KICKER = "Kremlin defection"

# Building blocks of the generated stories, per section: subjects, what they do, to what.
TOPICS = {
    "politics": (
        [
            "Coalition",
            "Opposition",
            "Finance ministry",
            "Parliament",
            "Interior minister",
            "Constitutional court",
            "State premiers",
        ],
        ["agrees on", "rejects", "delays", "pushes for", "questions", "tightens"],
        [
            "pension reform",
            "defence budget",
            "new asylum rules",
            "digital ID plan",
            "debt brake",
            "rent controls",
            "minimum wage rise",
        ],
        ["Berlin", "Munich", "Hamburg", "Dresden"],
        ["Budget", "Elections", "Migration", "Pensions"],
    ),
    "world": (
        ["UN envoy", "White House", "Beijing", "Ceasefire talks", "African Union", "G20"],
        ["warns over", "backs", "stalls on", "signals shift on", "sanctions"],
        [
            "grain exports",
            "border dispute",
            "climate finance",
            "nuclear talks",
            "shipping routes",
            "refugee corridor",
        ],
        ["Washington", "Geneva", "Nairobi", "New Delhi", "Ankara"],
        ["Diplomacy", "United Nations", "Sanctions", "Trade"],
    ),
    "europe": (
        ["Brussels", "EU ministers", "European Parliament", "Warsaw", "Paris", "Rome"],
        ["agree on", "block", "revise", "fast-track", "debate"],
        [
            "farm subsidies",
            "AI rules",
            "energy market reform",
            "Schengen checks",
            "enlargement talks",
            "gas storage targets",
        ],
        ["Brussels", "Strasbourg", "Warsaw", "Paris"],
        ["European Union", "Energy", "Enlargement"],
    ),
    "business": (
        ["Carmaker", "Central bank", "Chipmaker", "Retail chain", "Airline", "Steel group"],
        ["cuts", "raises", "delays", "doubles", "reviews"],
        [
            "jobs at home plants",
            "interest rates",
            "factory plans",
            "price forecasts",
            "dividend",
            "hydrogen investment",
        ],
        ["Frankfurt", "Stuttgart", "Düsseldorf", "Wolfsburg"],
        ["Economy", "Markets", "Labour", "Energy"],
    ),
    "science": (
        [
            "Researchers",
            "Space agency",
            "Climate scientists",
            "Vaccine makers",
            "Physicists",
            "Glaciologists",
        ],
        ["map", "detect", "warn of", "test", "find"],
        [
            "record ocean heat",
            "new antibiotic class",
            "faster melting in the Alps",
            "exoplanet atmosphere",
            "long-Covid markers",
            "quantum memory",
        ],
        ["Heidelberg", "Darmstadt", "Potsdam", "Geneva"],
        ["Climate", "Health", "Space", "Research"],
    ),
    "culture": (
        ["Berlinale", "Philharmonic", "Novelist", "Museum", "Theatre", "Streaming service"],
        ["announces", "returns", "premieres", "cancels", "celebrates"],
        [
            "season of new opera",
            "looted art to Nigeria",
            "debut after a decade",
            "record exhibition",
            "festival line-up",
            "documentary series",
        ],
        ["Berlin", "Vienna", "Cologne", "Leipzig"],
        ["Film", "Music", "Books", "Art"],
    ),
    "sport": (
        [
            "National team",
            "League leaders",
            "Olympic champion",
            "Club owners",
            "Coach",
            "Cycling team",
        ],
        ["wins", "loses", "secures", "appeals", "misses"],
        [
            "cup final",
            "title race",
            "stadium deal",
            "doping ruling",
            "world record",
            "relegation battle",
        ],
        ["Dortmund", "Munich", "Paris", "Madrid"],
        ["Football", "Olympics", "Cycling"],
    ),
}

PARAGRAPHS = [
    "{subject} {action} {object}, according to people familiar with the talks. The decision "
    "follows weeks of pressure and is expected to shape the agenda for the coming months.",
    "Critics said the move came too late. “We have warned about this for a long time,” said "
    "one official, who asked not to be named because the discussions are confidential.",
    "Supporters argue that the plan is a pragmatic answer to a difficult situation. Figures "
    "published this week suggest the change could affect several hundred thousand people.",
    "The details are still being negotiated. A final draft is due before the end of the "
    "month, and several groups have already announced that they will examine it closely.",
    "Observers expect the issue to return soon. “This is not the end of the debate,” one "
    "analyst said. “It is the beginning of a much longer argument about priorities.”",
    "Our newsroom asked all parties involved for comment. Two responded in writing; their "
    "statements are reflected in this report.",
]
STANDFIRSTS = [
    "The decision ends weeks of uncertainty. Here is what changes, and for whom.",
    "Supporters call it overdue; opponents warn of the costs.",
    "What we know so far, and what remains open.",
    "The move surprised even close observers. Our reporters explain the background.",
    "Behind the announcement lies a long dispute over money and responsibility.",
]
SUBHEADINGS = ["What happens next", "Why it matters", "The reaction", "A long dispute"]


def build(articles: int, now: datetime | None = None, log=print) -> None:
    """Build the demo newsroom; parts that exist already are left as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        ensure_roles()
        sections = _sections()
        authors = _staff(log)
        sources = _sources()
        pictures = _pictures()
        _site_default_picture()
        _pages()
    _demo_story(sources, pictures[0], log)
    _desk_stories(sections, now)
    _generated_stories(articles, sections, authors, sources, pictures[1:], now, log)


def _sections() -> dict[str, Section]:
    sections = {}
    for position, (name, slug, parent_slug, description) in enumerate(SECTIONS, start=1):
        sections[slug], _ = Section.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "position": position,
                "parent": sections.get(parent_slug),
            },
        )
    return sections


def _staff(log) -> list[Author]:
    users = get_user_model().objects
    authors = []
    log("Demo logins (for local use only; the password is the same for all):")
    for member in STAFF:
        user = users.filter(username=member.username).first()
        if user is None:
            first_name, last_name = member.name.split(" ", 1)
            user = users.create_user(
                member.username,
                email=f"{member.username}@newsroom.invalid",
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_staff=True,
            )
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[member.role]))
        author = Author.objects.filter(slug=slugify(member.name)).first()
        if author is None:
            author = Author.objects.create(
                slug=slugify(member.name),
                name=member.name,
                initials=member.initials,
                job_title=member.job_title,
                bio=member.bio,
                user=user,
                photo=make_demo_image(
                    f"Portrait of {member.name}",
                    seed=len(authors) + 100,
                    size=(900, 900),
                    credit=f"{settings.NEWSROOM_SITE_NAME} demo illustration",
                ),
            )
        authors.append(author)
        log(f"  {member.role:<9} {member.username:<11} {DEMO_PASSWORD}   ({member.name})")
    return authors


def _sources() -> dict[str, Source]:
    sources = {}
    for name, slug, kind, homepage_url, description in SOURCES:
        sources[slug], _ = Source.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "homepage_url": homepage_url,
                "description": description,
            },
        )
    return sources


def _demo_story(sources: dict[str, Source], picture: Image, log) -> None:
    """The German original and its English translation, published by the desk."""
    if Article.objects.filter(external_id=DEMO_STORY_ID).exists():
        return
    reporter, editor = _user("jkiffmeier"), _user("editor")
    with transaction.atomic():
        original = _desk_import(DEMO_ORIGINAL, DEMO_ORIGINAL_ID, "de", "Kreml-Flucht")
        translation = _desk_import(DEMO_STORY, DEMO_STORY_ID, "en", DEMO_STORY_KICKER)
        for article in (original, translation):
            article.hero_image = picture
            article.hero_caption = DEMO_PICTURE_CAPTIONS[article.language]
        translation.translation_of = original
        citations = [
            Citation(source=sources[slug], note=note, url=url)
            for slug, note, url in DEMO_STORY_CITATIONS
        ]
        for article in (original, translation):
            editing.save_story(
                article,
                citations=citations,
                tags=DEMO_STORY_TAGS,
                note="Kicker, picture, tags and sources added by the desk",
            )
            workflow.apply(article, "submit", reporter)
            workflow.apply(article, "publish", editor)
    log(f"Imported and published the demo story: {translation.get_absolute_url()}")
    log(f"  and its German original: {original.get_absolute_url()}")


def _desk_import(path, external_id: str, language: str, kicker: str) -> Article:
    article = save_story(read_story_file(path), external_id=external_id, language=language).article
    article.kicker = kicker
    return article


def _pictures() -> list[Image]:
    """The demo story's picture, then the pictures generated stories share."""
    pictures = []
    for seed, caption in enumerate(PICTURE_CAPTIONS, start=1):
        picture = Image.objects.filter(caption=caption).first()
        pictures.append(picture or make_demo_image(caption, seed=seed, caption=caption))
    return pictures


def _site_default_picture() -> None:
    if not Publication.objects.exists():
        picture = make_demo_image(
            f"{settings.NEWSROOM_SITE_NAME}: default picture", seed=DEFAULT_PICTURE_SEED
        )
        Publication.objects.create(default_picture=picture)


def _pages() -> None:
    for role, title, slug, body in POLICY_PAGES:
        Page.objects.get_or_create(role=role, defaults={"title": title, "slug": slug, "body": body})


def _user(username: str):
    return get_user_model().objects.get(username=username)


# Stories still on the desk, so the admin shows every state (and readers see none of them):
# (import identifier, headline, section slug, workflow steps as (username, step, details)).
DESK_STORIES = [
    ("desk-draft", "Moscow tightens exit rules for state engineers", "politics", []),
    (
        "desk-review",
        "Inside the unit that keeps Putin's lines secure",
        "politics",
        [("jkiffmeier", "submit", {})],
    ),
    (
        "desk-changes",
        "Kremlin guard's family joins him in Turkey",
        "world",
        [
            ("jkiffmeier", "submit", {}),
            ("editor", "request_changes", {"comment": "Please add a second source for the move."}),
        ],
    ),
    (
        "desk-scheduled",
        "What the defectors' testimony means for Western intelligence",
        "world",
        [("jkiffmeier", "submit", {}), ("editor", "schedule", {"hours": 24})],
    ),
]


def _desk_stories(sections: dict[str, Section], now: datetime) -> None:
    reporter = _user("jkiffmeier")
    for external_id, headline, section_slug, steps in DESK_STORIES:
        if Article.objects.filter(external_id=external_id).exists():
            continue
        with transaction.atomic():
            article = Article(
                external_id=external_id,
                headline=headline,
                slug=slugify(headline),
                standfirst="A story still on the desk: not visible to readers yet.",
                dateline="Moscow",
                body="<p>Reporting in progress.</p>",
                section=sections[section_slug],
                created_by=reporter,
            )
            editing.save_story(article, authors=[reporter.author_profile], by=reporter)
            for username, step, details in steps:
                at = now + timedelta(hours=details["hours"]) if "hours" in details else None
                workflow.apply(article, step, _user(username), details.get("comment", ""), at)


def _generated_stories(count, sections, authors, sources, pictures, now, log) -> None:
    existing = set(
        Article.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", flat=True
        )
    )
    wanted = [number for number in range(1, count + 1) if f"demo-{number:05d}" not in existing]
    reporters = authors[1:]
    tags = {}
    for batch_start in range(0, len(wanted), 1000):
        with transaction.atomic():
            _create_batch(
                wanted[batch_start : batch_start + 1000],
                sections,
                reporters,
                sources,
                tags,
                pictures,
                now,
            )
    if wanted:
        log(f"Generated {len(wanted)} demo stories.")


def _create_batch(numbers, sections, reporters, sources, tags, pictures, now) -> None:
    stories = [_generated_story(number, sections, pictures, now) for number in numbers]
    Article.objects.bulk_create([story.article for story in stories])
    created = {
        article.external_id: article
        for article in Article.objects.filter(
            external_id__in=[story.article.external_id for story in stories]
        )
    }
    bylines, taggings, citations = [], [], []
    source_list = list(sources.values())
    for story in stories:
        article = created[story.article.external_id]
        rng = random.Random(story.number)
        for position, author in enumerate(rng.sample(reporters, rng.choice([1, 1, 1, 2]))):
            bylines.append(Byline(article=article, author=author, position=position))
        for name in story.tag_names:
            if name not in tags:
                tags[name], _ = Tag.objects.get_or_create(
                    name=name, defaults={"slug": slugify(name)}
                )
            taggings.append(TaggedArticle(content_object=article, tag=tags[name]))
        if rng.random() < 0.3:
            citations.append(Citation(article=article, source=rng.choice(source_list)))
    # Generated stories were never edited after publication; don't show them as updated.
    Article.objects.filter(pk__in=[a.pk for a in created.values()]).update(
        updated_at=F("published_at")
    )
    Byline.objects.bulk_create(bylines)
    TaggedArticle.objects.bulk_create(taggings)
    Citation.objects.bulk_create(citations)
    Article.objects.filter(pk__in=[a.pk for a in created.values()]).update_search_vectors()


@dataclass
class _GeneratedStory:
    number: int
    article: Article
    tag_names: list[str]


def _generated_story(
    number: int, sections: dict[str, Section], pictures: list[Image], now: datetime
) -> _GeneratedStory:
    rng = random.Random(number)
    section_slug = rng.choice(list(TOPICS))
    subjects, actions, objects, places, tag_pool = TOPICS[section_slug]
    subject, action, thing = rng.choice(subjects), rng.choice(actions), rng.choice(objects)
    headline = f"{subject} {action} {thing}"
    paragraphs = rng.sample(PARAGRAPHS, 4)
    paragraphs[0] = paragraphs[0].format(subject=subject, action=action, object=thing)
    paragraphs = [p.format(subject=subject, action=action, object=thing) for p in paragraphs]
    body = [f"<p>{escape(p)}</p>" for p in paragraphs]
    body.insert(2, f"<h2>{escape(rng.choice(SUBHEADINGS))}</h2>")
    genre = rng.choices(list(Article.Genre), weights=[12, 3, 2, 1, 2])[0]
    article = Article(
        external_id=f"demo-{number:05d}",
        headline=headline,
        slug=f"{slugify(headline)[:80]}-{number}",
        kicker=rng.choice(tag_pool),
        standfirst=rng.choice(STANDFIRSTS),
        dateline=rng.choice(places),
        body="".join(body),
        section=sections[section_slug],
        genre=genre,
        status=Article.Status.PUBLISHED,
        hero_image=pictures[number % len(pictures)] if rng.random() < 0.8 else None,
        # Stories about three hours apart, the newest just before the demo story.
        published_at=now - timedelta(hours=3 * number, minutes=rng.randrange(60)),
    )
    return _GeneratedStory(number, article, rng.sample(tag_pool, 2))

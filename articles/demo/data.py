"""What the demo newsroom holds: sections, staff, sources, pages, pictures and stories.

`builder.py` makes it; changing a value here changes only newsrooms built afterwards, since
the builder leaves alone what exists.
"""

from dataclasses import dataclass
from pathlib import Path

from ..models import Page, Source

STORIES = Path(__file__).resolve().parent.parent / "stories"

DEMO_PASSWORD = "newsroom-demo"


@dataclass(frozen=True)
class DemoSection:
    name: str
    slug: str
    parent: str | None  # the parent's slug
    description: str


SECTIONS = [
    DemoSection(
        "Politics", "politics", None, "Government, parliament and the people who hold power."
    ),
    DemoSection("World", "world", None, "Reporting from our correspondents abroad."),
    DemoSection("Europe", "europe", "world", "The European Union and its neighbours."),
    DemoSection("Business", "business", None, "Companies, markets and the economy."),
    DemoSection("Science", "science", None, "Research, technology, health and the climate."),
    DemoSection("Culture", "culture", None, "Books, film, music, art and ideas."),
    DemoSection("Sport", "sport", None, "Results, analysis and the business of sport."),
]


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    initials: str
    job_title: str
    role: str  # one of the groups made by the migration articles/0003_roles
    bio: str


STAFF = [
    StaffMember(
        "chief",
        "Maria Hoffmann",
        "mho",
        "Editor-in-chief",
        "Admin",
        "Maria Hoffmann leads the newsroom. She was a foreign correspondent in Warsaw "
        "and Kyiv before she became editor-in-chief.",
    ),
    StaffMember(
        "editor",
        "Daniel Okafor",
        "dok",
        "Managing editor",
        "Editor",
        "Daniel Okafor runs the news desk and edits the politics and business pages.",
    ),
    StaffMember(
        "jkiffmeier",
        "Jens Kiffmeier",
        "jkf",
        "Political correspondent",
        "Reporter",
        "Jens Kiffmeier covers Russia, Eastern Europe and security policy.",
    ),
    StaffMember(
        "lbrandt",
        "Lena Brandt",
        "lbr",
        "Science reporter",
        "Reporter",
        "Lena Brandt writes about research, health and the climate.",
    ),
    StaffMember(
        "smarques",
        "Sofia Marques",
        "sma",
        "Business reporter",
        "Reporter",
        "Sofia Marques reports on companies, markets and labour.",
    ),
]


@dataclass(frozen=True)
class DemoSource:
    name: str
    slug: str
    kind: Source.Kind
    homepage_url: str
    description: str


SOURCES = [
    DemoSource(
        "Dossier Center",
        "dossier-center",
        Source.Kind.INVESTIGATIVE,
        "https://dossier.center/",
        "A London-based investigative project funded by the exiled Kremlin critic Mikhail "
        "Khodorkovsky; it researches the Russian state apparatus.",
    ),
    DemoSource(
        "Financial Times",
        "financial-times",
        Source.Kind.PUBLICATION,
        "https://www.ft.com/",
        "A British daily newspaper on business and economics.",
    ),
    DemoSource(
        "The Moscow Times",
        "the-moscow-times",
        Source.Kind.PUBLICATION,
        "https://www.themoscowtimes.com/",
        "An independent English-language news outlet, since 2022 published from Amsterdam.",
    ),
    DemoSource(
        "CNN", "cnn", Source.Kind.BROADCASTER, "https://edition.cnn.com/", "A US news broadcaster."
    ),
    DemoSource(
        "British secret service",
        "british-secret-service",
        Source.Kind.GOVERNMENT,
        "https://www.gov.uk/government/organisations/ministry-of-defence",
        "British intelligence, whose assessments of the war in Ukraine the Ministry of Defence "
        "publishes as regular updates.",
    ),
    DemoSource(
        "Verstka",
        "verstka",
        Source.Kind.INVESTIGATIVE,
        "https://verstka.media/",
        "An independent Russian news portal (in German transliteration: Wjorstka).",
    ),
]


@dataclass(frozen=True)
class Step:
    """A workflow step someone took on a story: `hours` ahead for a step that needs a time."""

    username: str
    name: str
    comment: str = ""
    hours: int | None = None


# The demo story: a German original and its English translation, imported from wire copy
# (the files the import documentation shows) and published by the desk.
DEMO_STORY = STORIES / "kremlin-defection.txt"
DEMO_STORY_ID = "kremlin-defection"
DEMO_STORY_KICKER = "Kremlin defection"
DEMO_ORIGINAL = STORIES / "kremlin-defection.de.txt"
DEMO_ORIGINAL_ID = "kremlin-defection.de"
DEMO_ORIGINAL_KICKER = "Kreml-Flucht"
DEMO_STORY_CITATIONS = [
    # (source slug, note, link)
    ("dossier-center", "Interview with Gleb Karakulov", "https://dossier.center/"),
    ("verstka", "Report on staff leaving the Moscow City Administration, October 2022", ""),
    ("british-secret-service", "Intelligence update on travel bans for officials, March 2023", ""),
    ("financial-times", "Dmitry Peskov on the tightened travel rules", ""),
    ("the-moscow-times", "Report on Karakulov's escape via Kazakhstan", ""),
    ("cnn", "Interview with Vladimir Osechkin", ""),
]
DEMO_STORY_TAGS = ["Russia", "Vladimir Putin", "Kremlin", "Ukraine war", "Defectors"]
DEMO_STORY_NOTE = "Kicker, picture, tags and sources added by the desk"
DEMO_STORY_STEPS = [Step("jkiffmeier", "submit"), Step("editor", "publish")]
DEMO_PICTURE_CAPTIONS = {
    "en": "Dawn over the Moskva: the Kremlin's guard is losing people it cannot replace.",
    "de": "Morgen über der Moskwa: Der Kreml-Garde laufen Leute davon, die sie nicht "
    "ersetzen kann.",
}


@dataclass(frozen=True)
class DemoPicture:
    """A drawn illustration (a scene of images/demo.py), found again by its caption."""

    caption: str
    scene: str
    seed: int
    size: tuple[int, int] = (1800, 1200)


# The demo story's picture.
DEMO_STORY_PICTURE = DemoPicture(
    "The Kremlin wall above the Moskva at dawn", "fortress", 1, (2400, 1600)
)
# The blocks the desk adds to the English demo story's body (see articles/blocks.py), each
# after the paragraph with this number (counted from 1); the "Read more" link goes to the
# newest other published story in English, of its section if there is one. No embed: the
# demo fetches nothing from the internet.
DEMO_BODY_PICTURE = DemoPicture("The Kremlin's towers on a grey winter day", "fortress", 4)
DEMO_BODY_PICTURE_ALT = "A drawing of the Kremlin's red walls and towers under a grey sky."
DEMO_BODY_PICTURE_CAPTION = "Karakulov served 13 years in the guard that protects the Kremlin."
DEMO_PULL_QUOTE = (
    "It would have been an even greater crime if I had stayed in my job.",
    "Gleb Karakulov, former officer of the Federal Guard Service",
)
DEMO_FACT_BOX = (
    "Key facts",
    [
        "Gleb Karakulov served 13 years in the Federal Guard Service (FSO).",
        "He ran Putin's encrypted communications and says he went on 130 trips with him.",
        "He left Russia with his family in October 2022, during Putin's trip to Kazakhstan.",
        "Officials in “sensitive” posts now have their passports taken and travel restricted.",
    ],
)
DEMO_BLOCKS_AFTER = {"picture": 2, "pull-quote": 3, "fact-box": 6, "read-more": 9}
DEMO_BLOCKS_NOTE = "Picture, pull quote, fact box and “Read more” link added by the desk"

# The pictures the generated stories of each section share, three a section, smaller than
# the site's default picture (sharing crops need 1200 × 1200) to keep the demo quick to build.
SECTION_PICTURES = {
    "politics": [
        DemoPicture("Parliament on a budget day", "dome", 1),
        DemoPicture("The chamber's dome at dawn", "dome", 2),
        DemoPicture("A vote in the chamber", "dome", 3),
    ],
    "world": [
        DemoPicture("A capital's skyline at dusk", "skyline", 1),
        DemoPicture("Lights of a harbour city", "skyline", 2),
        DemoPicture("Morning over the old port", "skyline", 3),
    ],
    "europe": [
        DemoPicture("An old bridge on the Danube", "bridge", 1),
        DemoPicture("Rooftops along the river", "bridge", 2),
        DemoPicture("A river crossing at sunset", "bridge", 3),
    ],
    "business": [
        DemoPicture("The day's trading on the index", "chart", 1),
        DemoPicture("A week on the bond market", "chart", 2),
        DemoPicture("Oil prices over a month", "chart", 3),
    ],
    "science": [
        DemoPicture("In the laboratory", "flask", 1),
        DemoPicture("A new compound under test", "flask", 2),
        DemoPicture("Samples in the cold room", "flask", 3),
    ],
    "culture": [
        DemoPicture("Curtain up at the opera house", "curtain", 1),
        DemoPicture("An empty stage before the premiere", "curtain", 2),
        DemoPicture("The stage of the city theatre", "curtain", 3),
    ],
    "sport": [
        DemoPicture("Floodlights over the home ground", "stadium", 1),
        DemoPicture("Kick-off at the cup final", "stadium", 2),
        DemoPicture("An evening match", "stadium", 3),
    ],
}
# Stories without a picture of their own are shared with this one (2400 × 1600).
DEFAULT_PICTURE = DemoPicture("The Courier: default picture", "hills", 50, (2400, 1600))

# The front page the desk arranged: the demo story leads, then the newest story of each of
# these sections, and a block for each of the others' newest stories.
FRONT_PAGE_NAME = "Kremlin defection day"
FRONT_PAGE_TOP_SECTIONS = ["world", "business", "science"]
FRONT_PAGE_BLOCKS = ["politics", "world", "business", "science", "culture", "sport"]


@dataclass(frozen=True)
class PolicyPage:
    role: Page.Role
    title: str
    slug: str
    body: str


POLICY_PAGES = [
    PolicyPage(
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
    PolicyPage(
        Page.Role.CORRECTIONS_POLICY,
        "Corrections policy",
        "corrections-policy",
        "<p>When we get something wrong, we correct it openly. Corrections, updates and "
        "clarifications appear at the foot of the story with the time they were made, and the "
        "story shows when it was last updated.</p><p>Write to the desk to tell us about an "
        "error; an editor answers every message.</p>",
    ),
    PolicyPage(
        Page.Role.MASTHEAD,
        "Masthead",
        "masthead",
        "<p><strong>Editor-in-chief:</strong> Maria Hoffmann</p>"
        "<p><strong>Managing editor:</strong> Daniel Okafor</p>"
        "<p><strong>Reporters:</strong> Jens Kiffmeier (politics, Eastern Europe), Lena Brandt "
        "(science), Sofia Marques (business)</p>",
    ),
]


@dataclass(frozen=True)
class DeskStory:
    """A story still on the desk, written by the reporter `jkiffmeier`."""

    external_id: str
    headline: str
    section: str  # the section's slug
    steps: list[Step]


# So the admin shows every state (and readers see none of them).
DESK_STORIES = [
    DeskStory("desk-draft", "Moscow tightens exit rules for state engineers", "politics", []),
    DeskStory(
        "desk-review",
        "Inside the unit that keeps Putin's lines secure",
        "politics",
        [Step("jkiffmeier", "submit")],
    ),
    DeskStory(
        "desk-changes",
        "Kremlin guard's family joins him in Turkey",
        "world",
        [
            Step("jkiffmeier", "submit"),
            Step("editor", "request_changes", comment="Please add a second source for the move."),
        ],
    ),
    DeskStory(
        "desk-scheduled",
        "What the defectors' testimony means for Western intelligence",
        "world",
        [Step("jkiffmeier", "submit"), Step("editor", "schedule", hours=24)],
    ),
]
DESK_STORY_REPORTER = "jkiffmeier"
DESK_STORY_STANDFIRST = "A story still on the desk: not visible to readers yet."
DESK_STORY_DATELINE = "Moscow"
DESK_STORY_BODY = "<p>Reporting in progress.</p>"


@dataclass(frozen=True)
class Topic:
    """Building blocks of a section's generated stories: who does what to what, and where."""

    subjects: list[str]
    actions: list[str]
    objects: list[str]
    places: list[str]
    tags: list[str]


TOPICS = {
    "politics": Topic(
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
    "world": Topic(
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
    "europe": Topic(
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
    "business": Topic(
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
    "science": Topic(
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
    "culture": Topic(
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
    "sport": Topic(
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

# The generated stories' text: four of these paragraphs, a subheading after the second.
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
# How often each type of work comes up among them, in the order of Article.TypeOfWork.
TYPE_OF_WORK_WEIGHTS = [12, 3, 2, 1, 2]

"""The demo newsroom that `manage.py load_demo` builds: people, sections, sources and stories.

`data` says what the newsroom holds; `builder` makes it, leaving alone what exists.
"""

from .builder import build
from .data import DEMO_PASSWORD, DEMO_STORY_ID

__all__ = ["DEMO_PASSWORD", "DEMO_STORY_ID", "build"]

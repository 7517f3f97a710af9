from django import template

from articles.desk import autosaves, panel
from articles.desk.lists import index_summary

register = template.Library()


@register.simple_tag
def desk_summary(user) -> list[dict]:
    """The desk's counts for the admin index, each with a link to its list (one query)."""
    return index_summary(user)


@register.filter
def staff_name(user, nobody: str = "the system") -> str:
    """A member of staff by full name, else username; `nobody` for none."""
    return panel.staff_name(user, nobody)


@register.simple_tag
def unsaved_drafts(user) -> list[dict]:
    """The user's autosaves to come back to, for the admin index (one query)."""
    return autosaves.unsaved_drafts(user)

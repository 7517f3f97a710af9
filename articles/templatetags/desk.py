from django import template

from articles.desk import panel
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

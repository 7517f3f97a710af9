"""Rows of several lists in one query, each list read on its own.

The front page shows the newest stories of several lists (all, each section block's section,
opinion and analysis) and the stories editors placed. Joined by OR in one WHERE clause, the
lists cost PostgreSQL a filter over every published story (2.4 s at 100,000: docs/performance.md);
as a UNION ALL of LIMITed subqueries each list is a short walk down its own listing index, and
the page still costs one query whatever its layout.
"""

from collections.abc import Sequence

from django.db import models


def union_of_windows(
    model: type[models.Model], windows: Sequence[tuple[models.QuerySet, int | None]]
) -> models.QuerySet:
    """The primary keys of the first `count` rows of each queryset (every row where `count`
    is None) as one subquery, for `filter(pk__in=…)`."""
    parts = [
        # A LIMIT inside a part of a compound statement is not SQL SQLite accepts; wrapped in
        # `pk IN (…)` it is, and PostgreSQL still walks the window's index for `count` rows.
        model._base_manager.filter(pk__in=rows.values("pk")[:count]).values("pk").order_by()
        if count is not None
        else rows.values("pk").order_by()
        for rows, count in windows
        if count is None or count > 0
    ]
    if not parts:
        return model._base_manager.none().values("pk")
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

"""Pagination that does not count what it has just read.

Django's Paginator counts the rows (a query of its own, with the list's whole scope and filters)
before it reads a page. When the first page holds every row there is, the page itself tells the
count: a trainer's deliveries or a small search fit on one page, and the count query was ~0.5 ms
of compiling and a round trip on every such list (issue 18).
"""

from django.core.paginator import Page, Paginator


def page_of(paginator: Paginator, number: int) -> Page:
    """`paginator.get_page(number)`; the first page is read with one row more, and when that row is
    missing the rows read are the count."""
    if number != 1 or paginator.orphans:
        return paginator.get_page(number)
    rows = list(paginator.object_list[: paginator.per_page + 1])
    if len(rows) <= paginator.per_page:
        paginator.count = len(rows)  # Paginator.count is a cached property: set, it is not asked
    return Page(rows[: paginator.per_page], 1, paginator)

"""core.pagination.page_of: the first page counts its own rows when they are all there are (issue 18)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import page_of
from courses.models import Region

pytestmark = pytest.mark.django_db


def regions():
    return Region.objects.order_by("pk")


def test_a_first_page_that_holds_every_row_asks_one_query():
    expected = list(regions().values_list("pk", flat=True))
    paginator = Paginator(regions(), len(expected) + 5)
    with CaptureQueriesContext(connection) as queries:
        page = page_of(paginator, 1)
        assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (len(expected), 1, False)
        assert [region.pk for region in page] == expected
    assert len(queries) == 1


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_longer_lists_page_and_count_as_djangos_paginator(per_page):
    total = regions().count()
    assert total > per_page
    for number in (1, 2, 999, 0):
        ours = page_of(Paginator(regions(), per_page), number)
        djangos = Paginator(regions(), per_page).get_page(number)
        assert [region.pk for region in ours] == [region.pk for region in djangos]
        assert (ours.number, ours.paginator.count, ours.has_next(), ours.has_previous()) == (
            djangos.number,
            total,
            djangos.has_next(),
            djangos.has_previous(),
        )


def test_an_empty_list_has_one_empty_page():
    page = page_of(Paginator(Region.objects.none(), 10), 1)
    assert (list(page), page.paginator.count, page.paginator.num_pages) == ([], 0, 1)

"""Wagtail's own admin exports neutralise formula cells like ours (core.spreadsheets.neutralise).

Seen: the site history export (/admin/reports/site-history/?export=csv) had 12 cells starting
with "=" — page titles and log labels written into the file as they are.
"""

import csv
import io

import pytest
from wagtail.log_actions import log

from accounts.tests.factories import user_with_role
from curriculum.tests.factories import make_course

pytestmark = pytest.mark.django_db
FORMULA_TITLE = '=HYPERLINK("http://example.org/x","Open")'


def test_site_history_csv_neutralises_a_formula_title(client):
    admin = user_with_role(None)
    course = make_course(title=FORMULA_TITLE)
    log(instance=course, action="wagtail.edit", user=admin)
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA_TITLE in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_site_history_xlsx_neutralises_a_formula_title(client):
    from openpyxl import load_workbook

    admin = user_with_role(None)
    course = make_course(title=FORMULA_TITLE)
    log(instance=course, action="wagtail.edit", user=admin)
    client.force_login(admin)
    response = client.get("/admin/reports/site-history/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'" + FORMULA_TITLE in values

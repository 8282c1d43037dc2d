"""An M&E officer filters the programme report to one country and one year and downloads the spreadsheet."""

import io
from pathlib import Path

from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from reports.tests.programme import build_programme


def test_me_officer_filters_to_a_country_and_year_and_downloads_xlsx(live_server, page, check_page, login):
    build_programme()
    user_with_role(Role.ME_STAFF, username="mestaff1", first_name="Зарина", last_name="Ҳасанова")
    login(page, "mestaff1")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Programme reports").is_visible()
    check_page(page, "reports-dashboard")

    page.get_by_label("Country").select_option("TJ")
    page.get_by_label("From").fill("2025-01-01")
    page.get_by_label("To").fill("2025-12-31")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    assert "country=TJ" in page.url and "date_from=2025-01-01" in page.url
    assert page.get_by_text(
        "In Tajikistan, 2 training courses were delivered, and 2 people (1 of them a woman) were trained in 2 of 5 regions."
    ).is_visible()
    assert page.get_by_text("Period: from Jan. 1, 2025 to Dec. 31, 2025").is_visible()
    check_page(page, "reports-dashboard-tj-2025")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the spreadsheet (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    # Playwright stores downloads without an extension, which openpyxl refuses; give it the bytes.
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    cover = {row[0]: row[1] for row in workbook["Report"].iter_rows(values_only=True) if row and row[0]}
    assert cover["Country"] == "Tajikistan"
    assert cover["People trained (unique persons)"] == 2

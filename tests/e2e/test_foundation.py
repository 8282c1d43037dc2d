"""A visitor opens Hamkori, reads it in Tajik, and a trainer logs in."""

from accounts.roles import Role
from accounts.tests.factories import user_with_role


def test_visitor_switches_to_tajik_then_trainer_logs_in(live_server, page, check_page, login):
    user_with_role(Role.TRAINER, username="trainer1", first_name="Шӯҳрат", last_name="Қосимов")

    page.goto(live_server.url + "/")
    assert page.locator("h1").is_visible()
    check_page(page, "home-en")

    page.get_by_label("Language").select_option("tg")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "tg"
    assert page.get_by_role("link", name="Даромад").is_visible()
    check_page(page, "home-tg")

    page.get_by_role("link", name="Даромад").click()
    page.wait_for_load_state("load")
    check_page(page, "login-tg")
    page.locator("#id_username").fill("trainer1")
    page.locator("#id_password").fill("pass-Word-123")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Шӯҳрат Қосимов").is_visible()
    check_page(page, "home-trainer-tg")


def test_small_phone_screen_shows_navigation_without_horizontal_scroll(live_server, page, check_page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"page is {scroll_width}px wide on a 360px screen"
    check_page(page, "home-360")

"""Admin-wide additions: a style sheet so that no menu label is cut (issue 16, item 7), and
formula-safe spreadsheet exports (core.spreadsheets.guard_wagtail_exports)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .spreadsheets import guard_wagtail_exports

# Wagtail imports every app's wagtail_hooks once at start-up: the one place to hook its exports.
guard_wagtail_exports()


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))

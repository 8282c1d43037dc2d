"""Create a locale for each of the four languages and replace Wagtail's welcome page with our HomePage."""

import uuid

from django.db import migrations

LANGUAGE_CODES = ["en", "ru", "tg", "ky"]


def create_locales_and_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("core.HomePage")

    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)
    english = Locale.objects.get(language_code="en")

    if HomePage.objects.exists():
        return
    page_content_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_content_type, depth=2, slug="home").delete()
    home_content_type, _created = ContentType.objects.get_or_create(app_label="core", model="homepage")
    root = Page.objects.get(depth=1)
    existing_paths = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    position = 1
    while f"{root.path}{position:04d}" in existing_paths:
        position += 1
    home = HomePage.objects.create(
        title="Hamkori",
        draft_title="Hamkori",
        slug="home",
        content_type=home_content_type,
        path=f"{root.path}{position:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
        translation_key=uuid.uuid4(),
        live=True,
        introduction=(
            "Hamkori is where the community-policing programme keeps its courses, plans its "
            "trainings across the regions, records who took part and reports what changed."
        ),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, site_name="Hamkori", root_page_id=home.pk, is_default_site=True
        )
    else:
        site.root_page_id = home.pk
        site.site_name = "Hamkori"
        site.save(update_fields=["root_page", "site_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales_and_home_page, migrations.RunPython.noop)]

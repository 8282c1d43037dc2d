"""One Audience vocabulary (issue 14, item 5): organisation types that name an audience use its code.

local_authority → local_authorities and youth_group → youth, as participants and enrolments already
say. updated_at is moved on the organisations changed so the report tables (which copy an
organisation's type) rebuild.
"""

from django.db import migrations, models
from django.utils import timezone

OLD_TO_NEW = {"local_authority": "local_authorities", "youth_group": "youth"}


def map_old_codes(apps, schema_editor):
    Organisation = apps.get_model("courses", "Organisation")
    for old, new in OLD_TO_NEW.items():
        Organisation.objects.filter(type=old).update(type=new, updated_at=timezone.now())


def map_back(apps, schema_editor):
    Organisation = apps.get_model("courses", "Organisation")
    for old, new in OLD_TO_NEW.items():
        Organisation.objects.filter(type=new).update(type=old, updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_place_names_in_languages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="type",
            field=models.CharField(
                choices=[
                    ("police", "Police department"),
                    ("civil_society", "Civil-society organisation"),
                    ("local_authorities", "Local authority"),
                    ("school", "School"),
                    ("ministry", "Ministry"),
                    ("youth", "Youth group"),
                    ("international", "International organisation"),
                ],
                max_length=32,
                verbose_name="type",
            ),
        ),
        migrations.RunPython(map_old_codes, map_back),
    ]

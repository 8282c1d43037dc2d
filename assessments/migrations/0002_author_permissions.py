"""Curriculum editors and leads author test instruments in the admin; M&E staff may read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHOR_GROUPS = ["Curriculum editor", "Curriculum lead"]
CODENAMES = ["add_instrument", "change_instrument", "delete_instrument", "view_instrument"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("assessments")
    app_config.models_module = app_config.models_module or True
    create_permissions(app_config, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="assessments", codename__in=CODENAMES))
    for name in AUTHOR_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
    staff, _created = Group.objects.get_or_create(name="M&E staff")
    staff.permissions.add(*[permission for permission in permissions if permission.codename == "view_instrument"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial"), ("accounts", "0001_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""Curriculum editors and leads author test instruments in the admin; M&E staff may read them."""

from django.db import migrations

AUTHOR_GROUPS = ["Curriculum editor", "Curriculum lead"]
CODENAMES = ["add_instrument", "change_instrument", "delete_instrument", "view_instrument"]


def grant(apps, schema_editor):
    # Permissions are normally made after migrating; make them now so the groups can hold them.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label="assessments", model="instrument")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.split('_')[0]} test instrument"},
        )[0]
        for codename in CODENAMES
    ]
    for name in AUTHOR_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
    staff, _created = Group.objects.get_or_create(name="M&E staff")
    staff.permissions.add(*[permission for permission in permissions if permission.codename == "view_instrument"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("accounts", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

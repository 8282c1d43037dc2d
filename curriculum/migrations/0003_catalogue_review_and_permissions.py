"""Every environment gets: the audiences, the English catalogue at /courses/, the "Curriculum review"
workflow attached to it, and the authors' page, image, document and admin permissions.

Translations of the catalogue get the same workflow and page permissions from
curriculum.services.catalogue_enable_review when they are created.
"""

import uuid

from django.db import migrations

AUDIENCES = ["police", "civil_society", "local_authorities", "youth", "community"]
WORKFLOW_NAME = "Curriculum review"
APPROVAL_TASK_NAME = "Curriculum lead approval"
PAGE_PERMISSIONS = {
    "Curriculum editor": ["add_page", "change_page", "lock_page"],
    "Curriculum lead": ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"],
    "Trainer": ["add_page"],
}
AUTHOR_GROUPS = list(PAGE_PERMISSIONS)
# (app_label, model, codename, name): created here if post_migrate has not made them yet.
GLOBAL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("simple_translation", "simpletranslation", "submit_translation", "Can submit translations"),
]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "choose_document"]),
]


def _permission(apps, app_label, model, codename, name=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name or codename.replace("_", " ")}
    )
    return permission


def create_catalogue(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("core", "HomePage")
    CourseIndexPage = apps.get_model("curriculum", "CourseIndexPage")
    existing = CourseIndexPage.objects.filter(locale__language_code="en").first()
    if existing is not None:
        return existing
    home = HomePage.objects.filter(locale__language_code="en").first()
    if home is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(app_label="curriculum", model="courseindexpage")
    taken = set(Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).values_list("path", flat=True))
    position = 1
    while f"{home.path}{position:04d}" in taken:
        position += 1
    catalogue = CourseIndexPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=content_type,
        path=f"{home.path}{position:04d}",
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}courses/",
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
        live=True,
        introduction=(
            "Courses for police, civil society, local authorities, youth and communities "
            "working together for safety."
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count())
    return catalogue


def setup(apps, schema_editor):
    AudienceOption = apps.get_model("curriculum", "AudienceOption")
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")

    for code in AUDIENCES:
        AudienceOption.objects.get_or_create(code=code)

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in AUTHOR_GROUPS}
    for app_label, model, codename, name in GLOBAL_PERMISSIONS:
        permission = _permission(apps, app_label, model, codename, name)
        for group in groups.values():
            group.permissions.add(permission)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                permission = _permission(apps, app_label, model, codename)
                for group in groups.values():
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME, content_type=task_type, active=True)
        task.groups.add(groups["Curriculum lead"])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    catalogue = create_catalogue(apps)
    if catalogue is None:
        return
    WorkflowPage.objects.update_or_create(page_id=catalogue.pk, defaults={"workflow": workflow})
    for group_name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            permission = _permission(apps, "wagtailcore", "page", codename)
            GroupPagePermission.objects.get_or_create(
                group=groups[group_name], page_id=catalogue.pk, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0002_course_details"),
        ("core", "0002_locales_and_home_page"),
        ("accounts", "0001_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("simple_translation", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]

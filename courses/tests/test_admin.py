"""Reference data in the Wagtail admin: staff edit it; coordinators cannot open any of it, even by id."""

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from courses.models import Region
from courses.tests.factories import OrganisationFactory, ProjectFactory, VenueFactory, region

pytestmark = pytest.mark.django_db


def _admin_user(role):
    user = user_with_role(role)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.parametrize("role", [None, Role.ME_STAFF])
def test_staff_list_filter_and_edit_reference_data(client, role):
    client.force_login(_admin_user(role))
    venue = VenueFactory(name="Маркази ҷамоатӣ")
    for path in (
        "/admin/regions/",
        "/admin/regions/?country=1",
        "/admin/venues/?q=Маркази",
        "/admin/organisations/",
        "/admin/projects/",
        f"/admin/venues/edit/{venue.pk}/",
        f"/admin/regions/edit/{region('TJ-SU').pk}/",
    ):
        assert client.get(path).status_code == 200, path


def test_staff_assign_a_regions_coordinators(client):
    client.force_login(_admin_user(None))
    coordinator = user_with_role(Role.REGIONAL_COORDINATOR)
    sughd = region("TJ-SU")
    response = client.post(
        f"/admin/regions/edit/{sughd.pk}/",
        {
            "country": sughd.country_id,
            "iso_code": "TJ-SU",
            "name": sughd.name,
            "timezone": "Asia/Dushanbe",
            "coordinators": [coordinator.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Region.objects.get(pk=sughd.pk).coordinators.all()) == [coordinator]


def test_coordinator_cannot_open_another_regions_objects_by_id(client):
    coordinator = _admin_user(Role.REGIONAL_COORDINATOR)
    region("TJ-SU").coordinators.add(coordinator)
    osh = region("KG-O")
    venue = VenueFactory(region=osh)
    organisation = OrganisationFactory(region=osh)
    project = ProjectFactory()
    client.force_login(coordinator)
    for path in (
        "/admin/regions/",
        f"/admin/regions/edit/{osh.pk}/",
        f"/admin/regions/delete/{osh.pk}/",
        f"/admin/venues/edit/{venue.pk}/",
        f"/admin/venues/delete/{venue.pk}/",
        f"/admin/organisations/edit/{organisation.pk}/",
        f"/admin/projects/edit/{project.pk}/",
        "/admin/venues/add/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 403, 404), path
        assert venue.name not in response.content.decode()
    response = client.post(f"/admin/venues/delete/{venue.pk}/")
    assert response.status_code in (302, 403, 404)
    venue.refresh_from_db()

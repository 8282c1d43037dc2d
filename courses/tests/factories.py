"""Factories for scheduling data, shared by the apps above courses (attendance, assessments, reports)."""

from datetime import timedelta

import factory
from django.utils import timezone

from core.enums import Audience, OrganisationType, Sex
from courses.models import (
    Country,
    Delivery,
    Enrolment,
    Organisation,
    Participant,
    Project,
    Region,
    Session,
    Venue,
)


def make_course(title: str = "Community policing basics", **fields):
    """A published CoursePage under the catalogue (created on first use) at /courses/<slug>/."""
    from django.utils.text import slugify

    from core.models import HomePage
    from curriculum.models import CourseIndexPage, CoursePage

    home = HomePage.objects.get(locale__language_code="en")
    index = CourseIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    slug = fields.pop("slug", None) or slugify(title) or "course"
    base_slug, counter = slug, 1
    while CoursePage.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base_slug}-{counter}"
    return index.add_child(instance=CoursePage(title=title, slug=slug, **fields))


def region(iso_code: str = "TJ-SU") -> Region:
    return Region.objects.get(iso_code=iso_code)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Толори раёсати милитсия № {n}")
    region = factory.LazyFunction(region)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = "Safer communities"
    code = factory.Sequence(lambda n: f"SC-{n:03d}")
    donor = "OSCE"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"ОВД района № {n}")
    type = OrganisationType.POLICE
    country = factory.LazyFunction(lambda: Country.objects.get(iso_code="TJ"))
    region = factory.LazyFunction(region)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = factory.Sequence(lambda n: f"Қодиров Ҷамшед № {n}")
    latin_name = factory.Sequence(lambda n: f"Jamshed Qodirov {n}")
    sex = Sex.MALE
    year_of_birth = 1990
    audience = Audience.POLICE
    organisation = factory.SubFactory(OrganisationFactory)
    position = "участковый инспектор"
    region = factory.LazyFunction(region)
    phone = "+992 92 000 00 00"


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery
        skip_postgeneration_save = True

    course = factory.LazyFunction(make_course)
    region = factory.LazyFunction(region)
    country = factory.LazyAttribute(lambda delivery: delivery.region.country)
    language = "ru"
    capacity = 25
    status = Delivery.Status.OPEN

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    delivery = factory.SubFactory(DeliveryFactory)
    starts_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=10) + timedelta(days=n))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=3))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    delivery = factory.SubFactory(DeliveryFactory)
    participant = factory.SubFactory(ParticipantFactory)
    audience = factory.LazyAttribute(lambda enrolment: enrolment.participant.audience)

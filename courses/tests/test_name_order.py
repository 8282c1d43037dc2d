"""People lists sort in the reader's alphabet, in the database, on SQLite and PostgreSQL alike
(issue 14, item 6): Ғ after Г, Ӣ after И, Қ after К, Ӯ and Ү after У, Ҳ after Х, Ҷ after Ч,
Ң after Н, Ө after О; Latin names after Cyrillic ones, or before them for an English reader."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.functions import Collate
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import Role
from accounts.tests.factories import user_with_role
from attendance.selectors import roster_enrolments, session_roster
from core.collation import reader_order, reader_sort_key, sort_key
from courses import workbook
from courses.models import Participant
from courses.tests.factories import (
    DeliveryFactory,
    EnrolmentFactory,
    ParticipantFactory,
    SessionFactory,
    make_course,
)
from courses.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

# Each name in its place in the Cyrillic alphabet of ru, tg and ky; then Latin.
CYRILLIC_ORDER = [
    "Гулов Бахтиёр",
    "Ғафуров Ғайрат",
    "Давлатов Дилшод",
    "Иванов Иван",
    "Ӣсоева Гулӣ",
    "Каримов Карим",
    "Қодиров Ҷамшед",
    "Нуров Нур",
    "Ңоо Ныяз",
    "Орозов Омор",
    "Өмүрбеков Өмүр",
    "Усмонов Умед",
    "Ӯлмасов Ӯктам",
    "Үсөнов Үмүт",
    "Холов Хуршед",
    "Ҳасанов Ҳасан",
    "Чоршанбиев Чори",
    "Ҷӯраев Ҷамол",
    "Яхёева Ясмина",
]
LATIN = ["Adams John", "smith anna"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("г", "ғ"),
        ("ғ", "д"),
        ("и", "ӣ"),
        ("ӣ", "й"),
        ("к", "қ"),
        ("қ", "л"),
        ("н", "ң"),
        ("ң", "о"),
        ("о", "ө"),
        ("ө", "п"),
        ("у", "ӯ"),
        ("у", "ү"),
        ("ү", "ф"),
        ("х", "ҳ"),
        ("ҳ", "ц"),
        ("ч", "ҷ"),
        ("ҷ", "ш"),
        ("е", "ё"),
        ("ё", "ж"),
        ("я", "a"),
    ],
)
def test_each_letter_sorts_in_its_place(before, after):
    assert sort_key(before) < sort_key(after)
    assert sort_key(before.upper()) < sort_key(after)


def test_case_spacing_and_hyphens_do_not_change_the_order():
    assert sort_key("ҚОДИРОВ  Ҷамшед") == sort_key("қодиров ҷамшед")
    assert sort_key("Абдул-Азиз") == sort_key("Абдул Азиз")
    # Word by word: a shorter first word comes first.
    assert sort_key("Ли Анна") < sort_key("Лиам")
    # A Latin letter with a mark sorts with its base letter; й and ё stay letters of their own.
    assert sort_key("é") == sort_key("e")
    assert sort_key("й") != sort_key("и")


def test_reader_sort_key_puts_latin_first_for_english_readers_only():
    keys = [sort_key(name) for name in ["Ғафуров", "Adams"]]
    assert sorted(keys, key=lambda key: reader_sort_key(key, language="tg"))[0] == sort_key("Ғафуров")
    assert sorted(keys, key=lambda key: reader_sort_key(key, language="en"))[0] == sort_key("Adams")


@pytest.fixture
def people():
    # Created in reverse so that neither insertion order nor pk order gives the right answer.
    for name in reversed(CYRILLIC_ORDER + LATIN):
        ParticipantFactory(full_name=name)


def _names(queryset):
    return list(queryset.values_list("full_name", flat=True))


@pytest.mark.parametrize("language", ["ru", "tg", "ky"])
def test_database_orders_cyrillic_readers_names_in_their_alphabet(people, language):
    with translation.override(language):
        ordered = Participant.objects.order_by(*reader_order(), "pk")
        assert _names(ordered) == CYRILLIC_ORDER + LATIN


def test_database_orders_latin_first_for_an_english_reader(people):
    with translation.override("en"):
        assert _names(Participant.objects.order_by(*reader_order(), "pk")) == LATIN + CYRILLIC_ORDER


def test_default_ordering_is_the_alphabet(people):
    assert _names(Participant.objects.all()) == CYRILLIC_ORDER + LATIN


def test_the_key_sorts_alike_under_a_linguistic_postgresql_collation(people):
    # CI's throwaway cluster runs under C.UTF-8 (byte order); a server set up with a language's
    # collation must give the same order, which is why the key is made of digits.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite compares bytes")
    ordered = Participant.objects.order_by(Collate("name_sort_key", "und-x-icu"), "pk")
    assert _names(ordered) == CYRILLIC_ORDER + LATIN


def test_renaming_updates_the_key_on_save_bulk_update_and_update(people):
    person = Participant.objects.get(full_name="Яхёева Ясмина")
    person.full_name = "Абдуллоева Ясмина"
    person.save(update_fields=["full_name"])
    assert Participant.objects.first().full_name == "Абдуллоева Ясмина"
    person.full_name = "Ҷалолова Ясмина"
    Participant.objects.bulk_update([person], ["full_name"])
    person.refresh_from_db()
    assert person.name_sort_key == sort_key("Ҷалолова Ясмина")
    Participant.objects.filter(pk=person.pk).update(full_name="Ғаниева Ясмина")
    person.refresh_from_db()
    assert person.name_sort_key == sort_key("Ғаниева Ясмина")


def _page_names(client, number):
    response = client.get("/participants/", {"page": number}, HTTP_ACCEPT_LANGUAGE="tg")
    assert response.status_code == 200
    return [person.full_name for person in response.context["page"].object_list]


def test_participant_list_pages_continue_in_the_alphabet(client):
    # Enough people for two pages; the alphabet's names are spread over both.
    filler = [f"Бобоев {letter}" for letter in "АБВГДЕЖЗИКЛМНОП"]
    for name in reversed(CYRILLIC_ORDER + filler):
        ParticipantFactory(full_name=name)
    expected = sorted(CYRILLIC_ORDER + filler, key=sort_key)
    client.force_login(user_with_role(Role.ME_STAFF))
    first, second = _page_names(client, 1), _page_names(client, 2)
    assert len(first) == PAGE_SIZE
    assert first + second == expected
    assert first[-1] != second[0]


def test_enrol_search_and_attendance_roster_follow_the_alphabet(client):
    delivery = DeliveryFactory(course=make_course("Алифбо"))
    for name in reversed(CYRILLIC_ORDER):
        EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name=name))
    with translation.override("ky"):
        roster = [enrolment.participant.full_name for enrolment in roster_enrolments(delivery)]
    assert roster == CYRILLIC_ORDER
    other = DeliveryFactory(course=make_course("Тизме"), region=delivery.region)
    client.force_login(user_with_role(Role.ME_STAFF))
    response = client.get(f"/deliveries/{other.pk}/enrol/", HTTP_ACCEPT_LANGUAGE="ru")
    assert [person.full_name for person in response.context["results"]] == CYRILLIC_ORDER


def test_participant_list_query_count_is_the_same_at_two_sizes(client):
    client.force_login(user_with_role(Role.ME_STAFF))
    ParticipantFactory.create_batch(3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/participants/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        return len(queries)

    small = count()
    ParticipantFactory.create_batch(40)
    assert count() == small


def test_bulk_import_sets_the_sort_key():
    staff = user_with_role(Role.ME_STAFF)
    sheets = {
        "participants": [
            workbook.COLUMNS["participants"],
            ["P1", "Ҳакимова Ҳилола", "", "female", 1990, "police", "", "", "TJ-SU", ""],
            ["P2", "Гулова Гулнора", "", "female", 1991, "police", "", "", "TJ-SU", ""],
        ]
    }
    plan = workbook.import_workbook(data=workbook.workbook_bytes(sheets), user=staff, commit=True)
    assert plan.ok, plan.errors
    stored = dict(Participant.objects.values_list("full_name", "name_sort_key"))
    assert stored == {name: sort_key(name) for name in ("Ҳакимова Ҳилола", "Гулова Гулнора")}


def test_the_data_migration_fills_existing_rows():
    from importlib import import_module

    from django.apps import apps

    ParticipantFactory(full_name="Ӯмаров Ӯктам")
    Participant.objects.update(name_sort_key="")
    migration = import_module("courses.migrations.0010_participant_name_sort_key")
    migration.fill_name_sort_keys(apps, None)
    assert Participant.objects.get().name_sort_key == sort_key("Ӯмаров Ӯктам")


def test_languages_are_the_four_the_order_was_checked_for():
    assert {code for code, _name in settings.LANGUAGES} == {"en", "ru", "tg", "ky"}


@pytest.mark.parametrize("language", ["en", "ky"])
def test_the_session_roster_sorted_in_python_is_the_databases_order(language):
    """attendance.selectors.session_roster sorts with reader_sort_key what roster_enrolments orders in SQL."""
    delivery = DeliveryFactory(course=make_course("Алифбо"))
    for name in [*reversed(CYRILLIC_ORDER), *LATIN, "Каримов Карим"]:  # a namesake: by id
        EnrolmentFactory(delivery=delivery, participant=ParticipantFactory(full_name=name))
    session = SessionFactory(delivery=delivery)
    with translation.override(language):
        in_sql = [enrolment.participant_id for enrolment in roster_enrolments(delivery)]
        in_python = [row.participant.pk for row in session_roster(session=session)]
    assert in_python == in_sql
    assert len(in_sql) == len(CYRILLIC_ORDER) + len(LATIN) + 1

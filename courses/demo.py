"""Demo organisations and participants across both countries, every audience and both sexes."""

import random
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from core.enums import Audience, OrganisationType, Sex

from . import demo_names
from .models import Country, Organisation, Participant, Region, normalise_name

ORGANISATIONS = [
    # (name, type, country, region)
    ("Управление МВД по Согдийской области", OrganisationType.POLICE, "TJ", "TJ-SU"),
    ("ОВД г. Душанбе, район Сино", OrganisationType.POLICE, "TJ", "TJ-DU"),
    ("ОВД Хатлонской области", OrganisationType.POLICE, "TJ", "TJ-KT"),
    ("ОВД Горно-Бадахшанской автономной области", OrganisationType.POLICE, "TJ", "TJ-GB"),
    ("ОВД района Ваҳдат", OrganisationType.POLICE, "TJ", "TJ-RA"),
    ("Ҷамъияти ҷамъиятии «Ҳамдилӣ»", OrganisationType.CIVIL_SOCIETY, "TJ", "TJ-SU"),
    ("Маркази захираҳои занон, Хуҷанд", OrganisationType.CIVIL_SOCIETY, "TJ", "TJ-SU"),
    ("Ҷамоати шаҳраки Гулистон", OrganisationType.LOCAL_AUTHORITY, "TJ", "TJ-SU"),
    ("Мактаби миёнаи № 12, Бохтар", OrganisationType.SCHOOL, "TJ", "TJ-KT"),
    ("Ҳаракати ҷавонони «Ояндасоз»", OrganisationType.YOUTH_GROUP, "TJ", "TJ-DU"),
    ("Главное управление МВД г. Бишкек", OrganisationType.POLICE, "KG", "KG-GB"),
    ("УВД г. Ош", OrganisationType.POLICE, "KG", "KG-GO"),
    ("УВД Баткенской области", OrganisationType.POLICE, "KG", "KG-B"),
    ("УВД Чүйской области", OrganisationType.POLICE, "KG", "KG-C"),
    ("«Үмүт» коомдук бирикмеси", OrganisationType.CIVIL_SOCIETY, "KG", "KG-O"),
    ("Жалал-Абад шаардык мэриясы", OrganisationType.LOCAL_AUTHORITY, "KG", "KG-J"),
    ("Нарын айыл өкмөтү", OrganisationType.LOCAL_AUTHORITY, "KG", "KG-N"),
    ("№ 5 орто мектеби, Талас", OrganisationType.SCHOOL, "KG", "KG-T"),
    ("Ысык-Көл жаштар борбору", OrganisationType.YOUTH_GROUP, "KG", "KG-Y"),
    ("Министерство внутренних дел Кыргызской Республики", OrganisationType.MINISTRY, "KG", None),
]

AUDIENCE_BY_ORGANISATION_TYPE = {
    OrganisationType.POLICE: Audience.POLICE,
    OrganisationType.MINISTRY: Audience.POLICE,
    OrganisationType.CIVIL_SOCIETY: Audience.CIVIL_SOCIETY,
    OrganisationType.LOCAL_AUTHORITY: Audience.LOCAL_AUTHORITIES,
    OrganisationType.SCHOOL: Audience.YOUTH,
    OrganisationType.YOUTH_GROUP: Audience.YOUTH,
}

POSITIONS = {
    Audience.POLICE: [
        "участковый инспектор",
        "старший лейтенант",
        "капитан полиции",
        "инспектор ПДН",
        "майор",
    ],
    Audience.CIVIL_SOCIETY: ["координатор проекта", "юрист", "психолог", "волонтёр"],
    Audience.LOCAL_AUTHORITIES: ["специалист джамоата", "заместитель председателя", "айыл башчысы"],
    Audience.YOUTH: ["ученик 10 класса", "студент", "лидер молодёжной группы"],
    Audience.COMMUNITY: ["махаллинский активист", "аксакал", "член женского совета"],
}

PARTICIPANTS_PER_ORGANISATION = 8
COMMUNITY_MEMBERS_PER_COUNTRY = 10
SEED = 2026


def _names_for(country_code: str, sex: str) -> list[tuple[str, str, str, str]]:
    if country_code == "TJ":
        local = demo_names.TAJIK_FEMALE if sex == Sex.FEMALE else demo_names.TAJIK_MALE
    else:
        local = demo_names.KYRGYZ_FEMALE if sex == Sex.FEMALE else demo_names.KYRGYZ_MALE
    russian = demo_names.RUSSIAN_FEMALE if sex == Sex.FEMALE else demo_names.RUSSIAN_MALE
    return local + russian[:2]


def _participant_fields(rng: random.Random, country_code: str, audience: str) -> dict:
    sex = rng.choice(
        [Sex.FEMALE, Sex.MALE, Sex.MALE] if audience == Audience.POLICE else [Sex.FEMALE, Sex.MALE]
    )
    given, surname, latin_given, latin_surname = rng.choice(_names_for(country_code, sex))
    patronymic_root = rng.choice(["Аҳмад", "Саид", "Нуриддин", "Бекмурат", "Алишер", "Эркин"])
    youth = audience == Audience.YOUTH
    return {
        "full_name": f"{surname} {given}"
        + ("" if youth else f" {patronymic_root}" + ("овна" if sex == Sex.FEMALE else "ович")),
        "latin_name": f"{latin_given} {latin_surname}",
        "sex": sex,
        "year_of_birth": rng.randint(2006, 2010) if youth else rng.randint(1965, 2000),
        "audience": audience,
        "position": rng.choice(POSITIONS[audience]),
        "phone": ("+992 9" if country_code == "TJ" else "+996 7")
        + f"{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        "consent_date": date(2026, rng.randint(1, 10), rng.randint(1, 28)),
    }


@transaction.atomic
def load(*, log, context: dict) -> dict:
    users: dict[str, User] = context["users"]
    rng = random.Random(SEED)
    countries = {country.iso_code: country for country in Country.objects.all()}
    regions = {region.iso_code: region for region in Region.objects.all()}

    sughd = regions["TJ-SU"]
    sughd.coordinators.add(users["coordinator"])

    organisations_created = 0
    organisations = []
    for name, org_type, country_code, region_code in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            name=name,
            country=countries[country_code],
            defaults={"type": org_type, "region": regions.get(region_code) if region_code else None},
        )
        organisations_created += created
        organisations.append(organisation)

    participants_created = 0
    # Keyed by (full_name, organisation) so a second run finds what the first made.
    existing = set(Participant.objects.values_list("full_name", "organisation_id"))
    new_participants = []
    for organisation in organisations:
        audience = AUDIENCE_BY_ORGANISATION_TYPE[organisation.type]
        region = organisation.region or rng.choice(
            [r for r in regions.values() if r.country_id == organisation.country_id]
        )
        for _index in range(PARTICIPANTS_PER_ORGANISATION):
            fields = _participant_fields(rng, organisation.country.iso_code, audience)
            if (fields["full_name"], organisation.pk) in existing:
                continue
            existing.add((fields["full_name"], organisation.pk))
            new_participants.append(Participant(organisation=organisation, region=region, **fields))
    for country_code, country in countries.items():
        country_regions = [r for r in regions.values() if r.country_id == country.pk]
        for _index in range(COMMUNITY_MEMBERS_PER_COUNTRY):
            fields = _participant_fields(rng, country_code, Audience.COMMUNITY)
            # Draw every random value before deciding to skip, so each run draws the same sequence.
            region = rng.choice(country_regions)
            if (fields["full_name"], None) in existing:
                continue
            existing.add((fields["full_name"], None))
            new_participants.append(Participant(organisation=None, region=region, **fields))
    for participant in new_participants:
        # bulk_create skips save(), which keeps the duplicate-detection key.
        participant.name_key = normalise_name(participant.full_name)
    Participant.objects.bulk_create(new_participants)
    participants_created = len(new_participants)

    trainee_user = users["trainee"]
    if not Participant.objects.filter(user=trainee_user).exists():
        Participant.objects.create(
            full_name="Ҷалолова Малика Аҳмадовна",
            latin_name="Malika Jalolova",
            sex=Sex.FEMALE,
            year_of_birth=1994,
            audience=Audience.POLICE,
            organisation=organisations[0],
            position="участковый инспектор",
            region=sughd,
            phone="+992 92 555 01 02",
            user=trainee_user,
            consent_date=date(2026, 3, 1),
        )
        participants_created += 1

    log(
        f"organisations: {organisations_created} created; participants: {participants_created} created, "
        f"{Participant.objects.count()} in all"
    )
    return {"organisations": organisations}

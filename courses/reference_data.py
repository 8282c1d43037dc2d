"""Countries and regions of DESIGN.md. Loaded by a data migration; staff may edit names later."""

COUNTRIES = [
    {
        "iso_code": "TJ",
        "name": "Tajikistan",
        "timezone": "Asia/Dushanbe",
        "regions": [
            ("TJ-DU", "Dushanbe"),
            ("TJ-SU", "Sughd"),
            ("TJ-KT", "Khatlon"),
            ("TJ-GB", "Gorno-Badakhshan"),
            ("TJ-RA", "Districts of Republican Subordination"),
        ],
    },
    {
        "iso_code": "KG",
        "name": "Kyrgyzstan",
        "timezone": "Asia/Bishkek",
        "regions": [
            ("KG-GB", "Bishkek"),
            ("KG-GO", "Osh city"),
            ("KG-B", "Batken"),
            ("KG-C", "Chüy"),
            ("KG-Y", "Issyk-Kul"),
            ("KG-J", "Jalal-Abad"),
            ("KG-N", "Naryn"),
            ("KG-O", "Osh"),
            ("KG-T", "Talas"),
        ],
    },
]


def load_reference_data(country_model, region_model) -> tuple[int, int]:
    """Create missing countries and regions; never overwrite a staff member's edits.

    Takes the model classes so that the data migration can pass its historical models.
    """
    countries_created = regions_created = 0
    for country_data in COUNTRIES:
        country, created = country_model.objects.get_or_create(
            iso_code=country_data["iso_code"],
            defaults={"name": country_data["name"], "timezone": country_data["timezone"]},
        )
        countries_created += created
        for iso_code, name in country_data["regions"]:
            _region, created = region_model.objects.get_or_create(
                iso_code=iso_code,
                defaults={"country": country, "name": name, "timezone": country_data["timezone"]},
            )
            regions_created += created
    return countries_created, regions_created

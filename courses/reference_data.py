"""Countries and regions of DESIGN.md, named in all four languages. Loaded by data migrations.

Names are the official ones in each language (Russian "Согдийская область", Tajik
"Вилояти Суғд", Kyrgyz "Согди облусу"); staff may edit any of them later in the admin.
"""

LANGUAGES = ("ru", "tg", "ky")

COUNTRIES = [
    {
        "iso_code": "TJ",
        "names": {"en": "Tajikistan", "ru": "Таджикистан", "tg": "Тоҷикистон", "ky": "Тажикстан"},
        "timezone": "Asia/Dushanbe",
        "regions": [
            ("TJ-DU", {"en": "Dushanbe", "ru": "Душанбе", "tg": "Шаҳри Душанбе", "ky": "Душанбе шаары"}),
            (
                "TJ-SU",
                {"en": "Sughd", "ru": "Согдийская область", "tg": "Вилояти Суғд", "ky": "Согди облусу"},
            ),
            (
                "TJ-KT",
                {"en": "Khatlon", "ru": "Хатлонская область", "tg": "Вилояти Хатлон", "ky": "Хатлон облусу"},
            ),
            (
                "TJ-GB",
                {
                    "en": "Gorno-Badakhshan",
                    "ru": "Горно-Бадахшанская автономная область",
                    "tg": "Вилояти Мухтори Кӯҳистони Бадахшон",
                    "ky": "Тоолуу-Бадахшан автономиялуу облусу",
                },
            ),
            (
                "TJ-RA",
                {
                    "en": "Districts of Republican Subordination",
                    "ru": "Районы республиканского подчинения",
                    "tg": "Ноҳияҳои тобеи ҷумҳурӣ",
                    "ky": "Республикага баш ийген райондор",
                },
            ),
        ],
    },
    {
        "iso_code": "KG",
        "names": {"en": "Kyrgyzstan", "ru": "Кыргызстан", "tg": "Қирғизистон", "ky": "Кыргызстан"},
        "timezone": "Asia/Bishkek",
        "regions": [
            ("KG-GB", {"en": "Bishkek", "ru": "Бишкек", "tg": "Шаҳри Бишкек", "ky": "Бишкек шаары"}),
            ("KG-GO", {"en": "Osh city", "ru": "Город Ош", "tg": "Шаҳри Ӯш", "ky": "Ош шаары"}),
            (
                "KG-B",
                {"en": "Batken", "ru": "Баткенская область", "tg": "Вилояти Баткен", "ky": "Баткен облусу"},
            ),
            ("KG-C", {"en": "Chüy", "ru": "Чуйская область", "tg": "Вилояти Чуй", "ky": "Чүй облусу"}),
            (
                "KG-Y",
                {
                    "en": "Issyk-Kul",
                    "ru": "Иссык-Кульская область",
                    "tg": "Вилояти Иссиқкӯл",
                    "ky": "Ысык-Көл облусу",
                },
            ),
            (
                "KG-J",
                {
                    "en": "Jalal-Abad",
                    "ru": "Джалал-Абадская область",
                    "tg": "Вилояти Ҷалолобод",
                    "ky": "Жалал-Абад облусу",
                },
            ),
            ("KG-N", {"en": "Naryn", "ru": "Нарынская область", "tg": "Вилояти Норин", "ky": "Нарын облусу"}),
            ("KG-O", {"en": "Osh", "ru": "Ошская область", "tg": "Вилояти Ӯш", "ky": "Ош облусу"}),
            ("KG-T", {"en": "Talas", "ru": "Таласская область", "tg": "Вилояти Талас", "ky": "Талас облусу"}),
        ],
    },
]


def _translated_fields(model, names: dict[str, str]) -> dict[str, str]:
    """The model's `name_<language>` values from `names`, for the fields the model has.

    The first data migration (0002) runs before the fields exist (0008 adds them), so
    its historical models get English names only; 0008 then fills the rest.
    """
    fields = {field.name for field in model._meta.get_fields()}
    return {f"name_{code}": names[code] for code in LANGUAGES if f"name_{code}" in fields}


def _fill_blank_names(obj, names: dict[str, str]) -> None:
    """Write a translated name only where none is stored, so that a staff member's edit stays."""
    blank = {
        field: value
        for field, value in _translated_fields(type(obj), names).items()
        if not getattr(obj, field)
    }
    if blank:
        for field, value in blank.items():
            setattr(obj, field, value)
        obj.save(update_fields=list(blank))


def load_reference_data(country_model, region_model) -> tuple[int, int]:
    """Create missing countries and regions and fill missing translated names; never overwrite an edit.

    Takes the model classes so that the data migrations can pass their historical models.
    """
    countries_created = regions_created = 0
    for country_data in COUNTRIES:
        names = country_data["names"]
        country, created = country_model.objects.get_or_create(
            iso_code=country_data["iso_code"],
            defaults={"name": names["en"], "timezone": country_data["timezone"]},
        )
        countries_created += created
        _fill_blank_names(country, names)
        for iso_code, names in country_data["regions"]:
            region, created = region_model.objects.get_or_create(
                iso_code=iso_code,
                defaults={"country": country, "name": names["en"], "timezone": country_data["timezone"]},
            )
            regions_created += created
            _fill_blank_names(region, names)
    return countries_created, regions_created

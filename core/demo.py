"""Demo site identity: the home page in each language, and the organisation's name."""

from django.db import transaction
from wagtail.models import Locale

from .models import HomePage, OrganisationSettings

HOME_TRANSLATIONS = {
    "ru": (
        "Ҳамкорӣ",
        "Hamkori — здесь программа по общественной полиции хранит свои курсы, планирует "
        "тренинги по регионам, отмечает участников и отчитывается о результатах.",
    ),
    "tg": (
        "Ҳамкорӣ",
        "Ҳамкорӣ ҷойест, ки барнома оид ба милитсияи ҷамъиятӣ курсҳояшро нигоҳ медорад, "
        "омӯзишҳоро дар вилоятҳо ба нақша мегирад, иштирокчиёнро қайд мекунад ва дар бораи натиҷаҳо ҳисобот медиҳад.",
    ),
    "ky": (
        "Хамкори",
        "Хамкори — коомдук полиция программасы курстарын сактаган, региондордо окууларды "
        "пландаган, катышуучуларды каттаган жана натыйжалар боюнча отчет берген жер.",
    ),
}


@transaction.atomic
def load(*, log, context: dict) -> dict:
    organisation = OrganisationSettings.load()
    organisation.name = "Hamkori Community Safety Programme"
    organisation.save()
    home = HomePage.objects.get(locale__language_code="en")
    created = 0
    for language_code, (title, introduction) in HOME_TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=language_code)
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
            created += 1
        if (translation.title, translation.introduction, translation.live) != (title, introduction, True):
            translation.title = title
            translation.introduction = introduction
            translation.save_revision().publish()
    log(f"home page translations: {created} created, {len(HOME_TRANSLATIONS) - created} already there")
    return {"home_page": home}

"""Realistic names for demo data, written as people write them: Cyrillic with Tajik and Kyrgyz letters.

Tajik names use ғ ӣ қ ӯ ҳ ҷ; Kyrgyz names use ң ө ү; Russian names are
common among officials in both countries. Each entry is (given name, surname
root, Latin transliteration of given name, Latin surname root).
"""

TAJIK_MALE = [
    ("Ҷамшед", "Раҳимов", "Jamshed", "Rahimov"),
    ("Фарҳод", "Қодиров", "Farhod", "Qodirov"),
    ("Бахтиёр", "Ғафуров", "Bakhtiyor", "Ghafurov"),
    ("Шӯҳрат", "Назаров", "Shuhrat", "Nazarov"),
    ("Далер", "Ҳамидов", "Daler", "Hamidov"),
    ("Исмоил", "Сафаров", "Ismoil", "Safarov"),
    ("Комрон", "Ҷӯраев", "Komron", "Juraev"),
    ("Меҳрубон", "Шарипов", "Mehrubon", "Sharipov"),
    ("Раҷаб", "Қурбонов", "Rajab", "Qurbonov"),
    ("Умед", "Мирзоев", "Umed", "Mirzoev"),
    ("Парвиз", "Ҳусайнӣ", "Parviz", "Husaini"),
]
TAJIK_FEMALE = [
    ("Зарина", "Раҳимова", "Zarina", "Rahimova"),
    ("Гулнора", "Қодирова", "Gulnora", "Qodirova"),
    ("Маҳина", "Ғафурова", "Mahina", "Ghafurova"),
    ("Нигора", "Назарова", "Nigora", "Nazarova"),
    ("Шаҳло", "Ҳамидова", "Shahlo", "Hamidova"),
    ("Мавҷуда", "Сафарова", "Mavjuda", "Safarova"),
    ("Ситора", "Ҷӯраева", "Sitora", "Juraeva"),
    ("Фарзона", "Шарипова", "Farzona", "Sharipova"),
    ("Дилафрӯз", "Қурбонова", "Dilafruz", "Qurbonova"),
    ("Меҳрангез", "Мирзоева", "Mehrangez", "Mirzoeva"),
    ("Наргис", "Шарифӣ", "Nargis", "Sharifi"),
]
KYRGYZ_MALE = [
    ("Нурлан", "Асанов", "Nurlan", "Asanov"),
    ("Үсөн", "Токтогулов", "Usön", "Toktogulov"),
    ("Бакыт", "Өмүрбеков", "Bakyt", "Ömürbekov"),
    ("Эрлан", "Жээнбеков", "Erlan", "Zheenbekov"),
    ("Айбек", "Сыдыков", "Aibek", "Sydykov"),
    ("Мирлан", "Үсөнов", "Mirlan", "Usönov"),
    ("Таалай", "Дөөлөтов", "Taalai", "Döölötov"),
    ("Азамат", "Төрөкулов", "Azamat", "Törökulov"),
    ("Чыңгыз", "Абдыкалыков", "Chyngyz", "Abdykalykov"),
    ("Кубанычбек", "Мамытов", "Kubanychbek", "Mamytov"),
]
KYRGYZ_FEMALE = [
    ("Айгүл", "Асанова", "Aigül", "Asanova"),
    ("Гүлнара", "Токтогулова", "Gülnara", "Toktogulova"),
    ("Нуриза", "Өмүрбекова", "Nuriza", "Ömürbekova"),
    ("Жылдыз", "Жээнбекова", "Zhyldyz", "Zheenbekova"),
    ("Чолпон", "Сыдыкова", "Cholpon", "Sydykova"),
    ("Айпери", "Үсөнова", "Aiperi", "Usönova"),
    ("Мээрим", "Дөөлөтова", "Meerim", "Döölötova"),
    ("Бүбүсара", "Төрөкулова", "Bübüsara", "Törökulova"),
    ("Аңжелика", "Абдыкалыкова", "Anzhelika", "Abdykalykova"),
    ("Сезим", "Мамытова", "Sezim", "Mamytova"),
]
RUSSIAN_MALE = [
    ("Алексей", "Петров", "Aleksei", "Petrov"),
    ("Сергей", "Кузнецов", "Sergei", "Kuznetsov"),
    ("Дмитрий", "Соколов", "Dmitrii", "Sokolov"),
    ("Андрей", "Волков", "Andrei", "Volkov"),
]
RUSSIAN_FEMALE = [
    ("Елена", "Петрова", "Elena", "Petrova"),
    ("Ольга", "Кузнецова", "Olga", "Kuznetsova"),
    ("Наталья", "Соколова", "Natalia", "Sokolova"),
    ("Ирина", "Волкова", "Irina", "Volkova"),
]

# Russian, Tajik and Kyrgyz strings added while joining the apps together (delivery page links).
TRANSLATIONS = {
    "Work on this delivery": {
        "ru": "Работа по этому курсу",
        "tg": "Кор бо ин курс",
        "ky": "Бул курс боюнча иш",
    },
    "Attendance and completion": {
        "ru": "Посещаемость и завершение",
        "tg": "Иштирок ва анҷомдиҳӣ",
        "ky": "Катышуу жана аяктоо",
    },
    "Sign-in sheet (PDF)": {
        "ru": "Лист регистрации (PDF)",
        "tg": "Варақаи бақайдгирӣ (PDF)",
        "ky": "Каттоо баракчасы (PDF)",
    },
    "Pre and post tests": {
        "ru": "Входной и итоговый тесты",
        "tg": "Санҷишҳои ибтидоӣ ва ниҳоӣ",
        "ky": "Алдын ала жана жыйынтыктоочу тесттер",
    },
    "Test results": {"ru": "Результаты тестов", "tg": "Натиҷаҳои санҷиш", "ky": "Тесттин натыйжалары"},
    "Certificates": {"ru": "Сертификаты", "tg": "Шаҳодатномаҳо", "ky": "Сертификаттар"},
    "Personal-code slips": {
        "ru": "Карточки с личными кодами",
        "tg": "Варақаҳои рамзи шахсӣ",
        "ky": "Жеке код баракчалары",
    },
}

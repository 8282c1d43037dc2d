"""Demo tests and certificates: a 12-question instrument in English and Russian for the first course,
pre and post attempts with realistic gains for the demo deliveries, certificates for those who completed.

Deterministic (answers drawn from a generator seeded by the participant's name) and idempotent:
everything is looked up before it is made.
"""

import random

from django.db import transaction
from wagtail.models import Locale

from courses.models import Delivery, Participant
from curriculum.models import CoursePage

from . import services
from .models import Attempt, Choice, Instrument, Phase, Question, QuestionType
from .selectors import instrument_for_delivery
from .services import AnswerInput, PaperRow

# (type, English, Russian, [(choice en, choice ru, correct)], true/false key)
QUESTIONS = [
    (QuestionType.SINGLE, "What is the main aim of community policing?", "Какова главная цель общественной полиции?", [
        ("Solving local problems together with residents", "Решать местные проблемы вместе с жителями", True),
        ("Increasing the number of arrests", "Увеличить число задержаний", False),
        ("Replacing the local authorities", "Заменить местные органы власти", False),
    ], None),
    (QuestionType.SINGLE, "Who should take part in a community safety meeting?", "Кто должен участвовать во встрече по безопасности общины?", [
        ("Only police officers", "Только сотрудники полиции", False),
        ("Police, residents, local authorities and civil society", "Полиция, жители, местные власти и гражданское общество", True),
        ("Only the district head", "Только глава района", False),
    ], None),
    (QuestionType.SINGLE, "A resident reports domestic violence. What comes first?", "Житель сообщает о домашнем насилии. Что нужно сделать в первую очередь?", [
        ("Make sure the victim is safe", "Обеспечить безопасность пострадавшей", True),
        ("Ask the family to settle it themselves", "Попросить семью решить всё самим", False),
        ("Wait for a written complaint", "Дождаться письменного заявления", False),
    ], None),
    (QuestionType.SINGLE, "What does the SARA model start with?", "С чего начинается модель SARA?", [
        ("Scanning: identifying the problem", "Сканирование: выявление проблемы", True),
        ("Assessment of results", "Оценка результатов", False),
        ("Response planning", "Планирование ответа", False),
    ], None),
    (QuestionType.SINGLE, "Which is an example of active listening?", "Что является примером активного слушания?", [
        ("Interrupting to save time", "Перебивать, чтобы сэкономить время", False),
        ("Repeating back what you heard in your own words", "Пересказать услышанное своими словами", True),
        ("Writing the report while the person speaks", "Писать рапорт, пока человек говорит", False),
    ], None),
    (QuestionType.SINGLE, "How often should a neighbourhood officer meet residents?", "Как часто участковый должен встречаться с жителями?", [
        ("Only when a crime is reported", "Только когда сообщают о преступлении", False),
        ("Regularly, on a published schedule", "Регулярно, по объявленному графику", True),
        ("Once a year", "Раз в год", False),
    ], None),
    (QuestionType.SINGLE, "Personal data of a complainant may be shared with…", "Персональные данные заявителя можно передавать…", [
        ("Anyone who asks", "Любому, кто спросит", False),
        ("Only those who need it for the case, as the law allows", "Только тем, кому они нужны по делу, как разрешает закон", True),
        ("The media", "Средствам массовой информации", False),
    ], None),
    (QuestionType.MULTIPLE, "Which help build trust between police and youth? (choose all)", "Что помогает укрепить доверие между полицией и молодёжью? (выберите все)", [
        ("Joint sports events", "Совместные спортивные мероприятия", True),
        ("School visits with open questions", "Посещения школ с открытыми вопросами", True),
        ("Identity checks without reason", "Проверки документов без причины", False),
        ("Youth ambassadors programme", "Программа молодёжных послов", True),
    ], None),
    (QuestionType.TRUE_FALSE, "Community policing means the police give up enforcing the law.", "Общественная полиция означает отказ полиции от применения закона.", [], False),
    (QuestionType.TRUE_FALSE, "Feedback from residents should be recorded and answered.", "Отзывы жителей нужно записывать и отвечать на них.", [], True),
    (QuestionType.LIKERT, "I feel confident leading a meeting with residents.", "Я уверенно провожу встречи с жителями.", [], None),
    (QuestionType.LIKERT, "Residents in my area trust the police.", "Жители моего района доверяют полиции.", [], None),
]  # fmt: skip

DEMO_TITLE = {
    "en": "Community policing: pre/post test",
    "ru": "Общественная полиция: тест до и после обучения",
}


def _instrument(course: CoursePage, log) -> Instrument:
    english = Locale.objects.filter(language_code="en").first() or Locale.get_default()
    russian = Locale.objects.filter(language_code="ru").first()
    instrument = Instrument.objects.filter(course=course, locale=english).first()
    if instrument is None:
        instrument = Instrument.objects.create(course=course, locale=english, title=DEMO_TITLE["en"])
        for order, (kind, text, _ru, choices, key) in enumerate(QUESTIONS):
            question = Question.objects.create(
                instrument=instrument,
                locale=english,
                type=kind,
                text=text,
                sort_order=order,
                true_false_key=key,
                multiple_scoring=Question.MultipleScoring.PARTIAL
                if kind == QuestionType.MULTIPLE
                else "all_or_nothing",
            )
            for choice_order, (choice_text, _choice_ru, correct) in enumerate(choices):
                Choice.objects.create(
                    question=question, text=choice_text, is_correct=correct, sort_order=choice_order
                )
        log(f"Test instrument “{instrument.title}” with {len(QUESTIONS)} questions.")
    if (
        russian
        and not Instrument.objects.filter(translation_key=instrument.translation_key, locale=russian).exists()
    ):
        translated = Instrument.objects.create(
            course=course, locale=russian, title=DEMO_TITLE["ru"], translation_key=instrument.translation_key
        )
        for question, (_kind, _en, text_ru, choices, _key) in zip(
            instrument.questions.order_by("sort_order"), QUESTIONS, strict=True
        ):
            copy = Question.objects.create(
                instrument=translated,
                locale=russian,
                translation_key=question.translation_key,
                type=question.type,
                text=text_ru,
                sort_order=question.sort_order,
                points=question.points,
                true_false_key=question.true_false_key,
                multiple_scoring=question.multiple_scoring,
            )
            for choice_order, (_choice_en, choice_ru, correct) in enumerate(choices):
                Choice.objects.create(
                    question=copy, text=choice_ru, is_correct=correct, sort_order=choice_order
                )
        log("Russian translation of the test.")
    return instrument


def _answers(instrument: Instrument, ability: float, rng: random.Random) -> dict[int, AnswerInput]:
    answers = {}
    for question in instrument.questions.order_by("sort_order").prefetch_related("choices"):
        choices = list(question.choices.all())
        right = rng.random() < ability
        if question.type == QuestionType.SINGLE:
            pool = [c for c in choices if c.is_correct == right] or choices
            answers[question.pk] = AnswerInput(choice_ids=[rng.choice(pool).pk])
        elif question.type == QuestionType.MULTIPLE:
            picked = [
                c.pk
                for c in choices
                if (c.is_correct and rng.random() < ability) or (not c.is_correct and rng.random() > ability)
            ]
            answers[question.pk] = AnswerInput(choice_ids=picked)
        elif question.type == QuestionType.TRUE_FALSE:
            answers[question.pk] = AnswerInput(value="true" if question.true_false_key == right else "false")
        elif question.type == QuestionType.LIKERT:
            answers[question.pk] = AnswerInput(
                value=str(min(5, max(1, round(1 + ability * 4 + rng.uniform(-1, 1)))))
            )
    return answers


@transaction.atomic
def load(*, log, context: dict) -> dict:
    course = CoursePage.objects.order_by("path").first()
    if course is None:
        log("No course page yet: skipping tests and certificates.")
        return {}
    instrument = _instrument(course, log)
    trainee = context.get("users", {}).get("trainee")
    trainee_participant = Participant.objects.filter(user=trainee).first() if trainee else None
    deliveries = list(
        Delivery.objects.filter(course__translation_key=course.translation_key)
        .exclude(status=Delivery.Status.CANCELLED)
        .order_by("pk")
    )
    made = {"attempts": 0, "certificates": 0}
    # The demo trainee holds a seat in the first open delivery (courses.demo_deliveries), so they
    # find a pre test to take on /my/; they take no test here.
    for delivery in deliveries:
        trainer = delivery.trainers.order_by("pk").first()
        delivery_instrument = instrument_for_delivery(delivery) or instrument
        finished = delivery.status == Delivery.Status.COMPLETED
        phases = (
            [Phase.PRE, Phase.POST]
            if finished
            else [Phase.PRE]
            if delivery.status == Delivery.Status.IN_PROGRESS
            else []
        )
        # Windows: completed deliveries closed; in progress has its post test open; others their pre test.
        for phase in Phase.values:
            window = delivery.test_windows.filter(phase=phase).first()
            if window is not None:
                continue
            should_open = (
                (phase == Phase.POST)
                if delivery.status == Delivery.Status.IN_PROGRESS
                else (phase == Phase.PRE and not finished)
            )
            if should_open or finished:
                services.window_open(delivery=delivery, phase=phase, user=trainer)
            if finished:
                services.window_close(delivery=delivery, phase=phase, user=trainer)
        enrolled = [
            e.participant
            for e in delivery.enrolments.select_related("participant").order_by("participant__full_name")
        ]
        for phase in phases:
            done = set(
                Attempt.objects.filter(delivery=delivery, phase=phase).values_list(
                    "participant_id", flat=True
                )
            )
            rows = []
            for participant in enrolled:
                if participant.pk in done or (participant == trainee_participant and not finished):
                    continue
                rng = random.Random(f"{participant.full_name}|{delivery.course.title}")
                ability = rng.uniform(0.3, 0.6)
                if phase == Phase.POST:
                    ability = min(0.97, ability + rng.uniform(0.1, 0.4))
                rows.append(
                    PaperRow(
                        participant,
                        _answers(
                            delivery_instrument, ability, random.Random(f"{participant.full_name}|{phase}")
                        ),
                    )
                )
            if rows and trainer is not None:
                made["attempts"] += services.paper_attempts_save(
                    delivery=delivery, phase=phase, rows=rows, entered_by=trainer
                )
                # Most demo participants took the test on a phone; the first few on paper.
                Attempt.objects.filter(delivery=delivery, phase=phase).exclude(
                    participant__in=[row.participant for row in rows[:3]]
                ).update(source=Attempt.Source.ONLINE, entered_by=None)
        if finished:
            made["certificates"] += len(services.certificates_issue(delivery=delivery, issued_by=trainer))
    log(
        f"{len(deliveries)} deliveries of “{course.title}”: {made['attempts']} attempts, {made['certificates']} certificates."
    )
    return {"instrument": instrument}

"""The demo curriculum's text: real community-policing training material, not filler.

Body blocks are written in a compact form and turned into StreamField data by
curriculum.demo. The first course is given in English and Russian in full,
and its first module in Tajik too.
"""

ACTIVITY, CASE, QUESTIONS, KEY, NOTE, HEADING, TEXT = (
    "activity",
    "case_study",
    "discussion_questions",
    "key_message",
    "facilitator_note",
    "heading",
    "paragraph",
)

FOUNDATIONS_EN = {
    "slug": "community-policing-foundations",
    "title": "Community Policing Foundations",
    "summary": (
        "A three-day course for district police inspectors, local authorities and community "
        "representatives on working together to prevent crime and solve local safety problems."
    ),
    "audiences": ["police", "local_authorities", "community"],
    "topics": ["community policing", "human rights", "problem solving"],
    "objectives": (
        "<ul><li>Explain the principles of community policing and how they differ from reactive policing.</li>"
        "<li>Use communication skills that build trust with residents, including women and young people.</li>"
        "<li>Run a joint problem-solving process (SARA) with a community safety group.</li>"
        "<li>Apply human-rights standards in everyday police contact.</li></ul>"
    ),
    "modules": [
        {
            "slug": "what-is-community-policing",
            "title": "What community policing is",
            "minutes": 90,
            "objectives": "<ul><li>Name the four pillars of community policing.</li>"
            "<li>Compare reactive and preventive approaches with local examples.</li></ul>",
            "body": [
                (HEADING, "From reacting to preventing"),
                (
                    TEXT,
                    "<p>Community policing is a <b>partnership</b> between the police and the people they serve. "
                    "Instead of waiting for calls, the district inspector works with residents, the mahalla or "
                    "aiyl committee, schools and local organisations to find out what makes people feel unsafe "
                    "and to fix the causes together.</p>"
                    "<h3>The four pillars</h3><ol><li><b>Partnership</b> with residents and local institutions.</li>"
                    "<li><b>Problem solving</b> aimed at causes, not only incidents.</li>"
                    "<li><b>Prevention</b> before enforcement.</li>"
                    "<li><b>Accountability</b> to the community: police report back on what was done.</li></ol>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Two pictures of a police station",
                        "minutes": 30,
                        "method": "small_groups",
                        "materials": ["flipchart paper", "markers", "sticky notes"],
                        "steps": [
                            "Divide participants into mixed groups of five: police, local officials and residents together.",
                            "Half of the groups draw a day at a station that only reacts to calls; the other half a station that works with the community.",
                            "Each group presents its drawing in three minutes.",
                            "Collect on the flipchart the differences people noticed: who talks to whom, who is visible, who is trusted.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "The dark road to the bazaar",
                        "place": "A district town in Sughd region, Tajikistan",
                        "story": "<p>Residents complained of bag snatching on the unlit road from the bus stop to the bazaar. "
                        "For months the police responded to each report separately. The new district inspector met "
                        "the mahalla committee and women traders, who said they avoided the road after 6 p.m. "
                        "Together they asked the hukumat to repair the street lights, traders agreed to close their "
                        "stalls in groups, and the inspector changed his patrol time. Reports of theft fell from "
                        "eleven in one quarter to two in the next.</p>",
                        "questions": [
                            "What did the inspector learn from the women traders that police reports did not show?",
                            "Which partner could act on each cause of the problem?",
                        ],
                    },
                ),
                (
                    QUESTIONS,
                    {
                        "introduction": "Discuss in plenary:",
                        "questions": [
                            "Who in your district would not come to the police with a problem, and why?",
                            "What does the community already do to keep itself safe?",
                        ],
                    },
                ),
                (KEY, "Community policing is not a unit or a project: it is the way every officer works."),
                (
                    NOTE,
                    "<p>Police participants may feel criticised in the first exercise. Stress that both pictures "
                    "show real pressures on officers. Keep groups <i>mixed</i>; if officers sit together, ask them "
                    "to count off one to five.</p>",
                ),
            ],
        },
        {
            "slug": "building-trust",
            "title": "Building trust through communication",
            "minutes": 120,
            "objectives": "<ul><li>Practise active listening in a police–resident conversation.</li>"
            "<li>Plan a community meeting that women and young people can attend.</li></ul>",
            "body": [
                (HEADING, "Trust is built before a crisis"),
                (
                    TEXT,
                    "<p>People report crimes, share information and accept police decisions when they believe "
                    "they will be <b>treated fairly</b> and <b>listened to</b>. Every contact—at a checkpoint, "
                    "in a school or at the door of a family—either adds to that trust or takes from it.</p>"
                    "<ul><li>Introduce yourself by name and explain why you are there.</li>"
                    "<li>Listen to the end before you answer.</li>"
                    "<li>Explain what you will do next, and then do it.</li></ul>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Listening in threes",
                        "minutes": 40,
                        "method": "role_play",
                        "materials": ["role cards", "timer"],
                        "steps": [
                            "Form groups of three: a resident, an officer and an observer.",
                            "The resident describes a neighbour dispute over irrigation water for four minutes; the officer only listens and summarises.",
                            "The observer notes what helped and what interrupted.",
                            "Rotate roles twice, then discuss what felt different when the officer summarised.",
                        ],
                    },
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Planning an open meeting",
                        "minutes": 45,
                        "method": "small_groups",
                        "materials": ["meeting planning worksheet", "markers"],
                        "steps": [
                            "Each group plans a community meeting for one real village or mahalla.",
                            "Decide the time, place and invitation so that women, young people and older residents can come.",
                            "Agree who chairs, how questions are collected, and how results are reported back.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "A meeting no woman attended",
                        "place": "A village in Osh region, Kyrgyzstan",
                        "story": "<p>The local police inspector held a public meeting at the mosque after Friday prayers. "
                        "Forty men came; no women. A women's council member suggested a second meeting in the school "
                        "on a weekday afternoon, with a female officer from the district. Thirty-two women came and "
                        "raised issues no man had mentioned: drunk drivers near the school and a house where girls "
                        "were harassed.</p>",
                        "questions": [
                            "Who is missing from your community meetings?",
                            "What would bring them?",
                        ],
                    },
                ),
                (KEY, "If you want to hear everyone, go where everyone can come."),
                (
                    NOTE,
                    "<p>Prepare role cards in advance in Russian and the local language. Watch the time in the "
                    "listening exercise: participants tend to start giving advice after one minute.</p>",
                ),
            ],
        },
        {
            "slug": "joint-problem-solving",
            "title": "Joint problem solving with the SARA model",
            "minutes": 120,
            "objectives": "<ul><li>Work through Scanning, Analysis, Response and Assessment for a local problem.</li></ul>",
            "body": [
                (
                    TEXT,
                    "<p>SARA is a simple four-step method: <b>Scanning</b> (which problems repeat?), "
                    "<b>Analysis</b> (who, where, when, why?), <b>Response</b> (what will each partner do?) and "
                    "<b>Assessment</b> (did it work?). It turns a list of complaints into a joint plan.</p>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "The problem analysis triangle",
                        "minutes": 50,
                        "method": "case_study",
                        "materials": ["printed triangle template", "case handout", "coloured pens"],
                        "steps": [
                            "Explain the triangle: offender, victim and place.",
                            "Groups take the case below and fill in the three sides.",
                            "For each side, name one partner who could change it.",
                            "Groups draft a response plan with a date to assess results.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "Fights after football",
                        "place": "Jalal-Abad, Kyrgyzstan",
                        "story": "<p>Every weekend in autumn, young men from two neighbourhoods fought after matches on "
                        "a waste ground. Arrests did not stop it. A community safety group of police, the youth "
                        "committee, the school director and parents analysed the problem: no lighting, no adult "
                        "present, and an old grievance between two families. The local council fenced and lit the "
                        "pitch, the youth committee organised a league with referees, and elders mediated between "
                        "the families. Over the following season no fight was reported.</p>",
                        "questions": [
                            "Which side of the triangle did each partner address?",
                            "How would you measure success besides the number of fights?",
                        ],
                    },
                ),
                (KEY, "A problem that keeps coming back has a cause that arrests alone will not remove."),
                (
                    NOTE,
                    "<p>Groups often jump to responses. Do not hand out the response template until each group "
                    "has completed all three sides of the triangle.</p>",
                ),
            ],
        },
        {
            "slug": "human-rights-in-everyday-policing",
            "title": "Human rights in everyday policing",
            "minutes": 90,
            "objectives": "<ul><li>Apply the principles of legality, necessity and proportionality to stops and detentions.</li></ul>",
            "body": [
                (
                    TEXT,
                    "<p>Respect for rights is not an obstacle to policing: it is what makes police action "
                    "<b>legitimate</b>. Every use of police power must be <i>lawful</i>, <i>necessary</i> and "
                    "<i>proportionate</i>, and a detained person must be told their rights, allowed to contact a "
                    "lawyer and a relative, and never ill-treated.</p>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Where do you stand?",
                        "minutes": 35,
                        "method": "discussion",
                        "materials": ["three signs: Agree, Disagree, Not sure", "tape"],
                        "steps": [
                            "Read statements such as “A suspect who refuses to talk may be held until he does.”",
                            "Participants move to the sign that matches their view.",
                            "Ask one person from each corner to explain; refer to the law and international standards.",
                        ],
                    },
                ),
                (
                    QUESTIONS,
                    {
                        "introduction": "",
                        "questions": [
                            "What must an officer tell a person at the moment of detention?",
                            "How does fair treatment of one person change how a whole street sees the police?",
                        ],
                    },
                ),
                (KEY, "Lawful, necessary, proportionate—every time."),
                (
                    NOTE,
                    "<p>Have the relevant articles of the national Code of Criminal Procedure printed. If a "
                    "participant describes ill-treatment they witnessed, acknowledge it and follow up privately.</p>",
                ),
            ],
        },
    ],
}

FOUNDATIONS_RU = {
    "title": "Основы общественной полиции",
    "summary": (
        "Трёхдневный курс для участковых инспекторов, местных органов власти и представителей "
        "сообществ о совместной работе по профилактике преступлений и решению местных проблем безопасности."
    ),
    "objectives": (
        "<ul><li>Объяснять принципы общественной полиции и их отличие от реагирующей работы.</li>"
        "<li>Использовать навыки общения, укрепляющие доверие жителей, в том числе женщин и молодёжи.</li>"
        "<li>Проводить совместное решение проблем (SARA) с группой общественной безопасности.</li>"
        "<li>Применять стандарты прав человека в повседневной работе полиции.</li></ul>"
    ),
    "modules": [
        {
            "title": "Что такое общественная полиция",
            "objectives": "<ul><li>Назвать четыре основы общественной полиции.</li>"
            "<li>Сравнить реагирующий и профилактический подходы на местных примерах.</li></ul>",
            "body": [
                (HEADING, "От реагирования к профилактике"),
                (
                    TEXT,
                    "<p>Общественная полиция — это <b>партнёрство</b> полиции и людей, которым она служит. "
                    "Вместо того чтобы ждать вызовов, участковый работает с жителями, махаллинским или айыльным "
                    "комитетом, школами и местными организациями, чтобы понять, что заставляет людей чувствовать "
                    "себя в опасности, и вместе устранить причины.</p>"
                    "<h3>Четыре основы</h3><ol><li><b>Партнёрство</b> с жителями и местными учреждениями.</li>"
                    "<li><b>Решение проблем</b>, направленное на причины, а не только на происшествия.</li>"
                    "<li><b>Профилактика</b> прежде принуждения.</li>"
                    "<li><b>Подотчётность</b> сообществу: полиция сообщает, что сделано.</li></ol>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Два образа отделения полиции",
                        "minutes": 30,
                        "method": "small_groups",
                        "materials": ["листы флипчарта", "маркеры", "стикеры"],
                        "steps": [
                            "Разделите участников на смешанные группы по пять человек: полиция, представители власти и жители вместе.",
                            "Половина групп рисует день отделения, которое только реагирует на вызовы; другая половина — отделения, работающего с сообществом.",
                            "Каждая группа представляет рисунок за три минуты.",
                            "Запишите на флипчарте замеченные различия: кто с кем говорит, кто заметен, кому доверяют.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "Тёмная дорога к базару",
                        "place": "Районный центр Согдийской области, Таджикистан",
                        "story": "<p>Жители жаловались на рывки сумок на неосвещённой дороге от остановки до базара. "
                        "Месяцами полиция реагировала на каждое заявление отдельно. Новый участковый встретился с "
                        "махаллинским комитетом и торговками, которые сказали, что избегают этой дороги после шести "
                        "вечера. Вместе они попросили хукумат починить фонари, торговки договорились закрывать "
                        "прилавки группами, а участковый изменил время патрулирования. Число краж снизилось с "
                        "одиннадцати за квартал до двух в следующем.</p>",
                        "questions": [
                            "Что участковый узнал от торговок, чего не показывали полицейские сводки?",
                            "Какой партнёр мог повлиять на каждую причину проблемы?",
                        ],
                    },
                ),
                (
                    QUESTIONS,
                    {
                        "introduction": "Обсудите вместе:",
                        "questions": [
                            "Кто в вашем районе не пришёл бы в полицию со своей проблемой и почему?",
                            "Что сообщество уже делает для своей безопасности?",
                        ],
                    },
                ),
                (
                    KEY,
                    "Общественная полиция — не подразделение и не проект, а способ работы каждого сотрудника.",
                ),
                (
                    NOTE,
                    "<p>Сотрудники полиции могут почувствовать критику в первом упражнении. Подчеркните, что оба "
                    "рисунка показывают реальные нагрузки на полицию. Группы должны быть <i>смешанными</i>; если "
                    "сотрудники сели вместе, попросите всех рассчитаться от одного до пяти.</p>",
                ),
            ],
        },
        {
            "title": "Доверие через общение",
            "objectives": "<ul><li>Отработать активное слушание в разговоре полицейского с жителем.</li>"
            "<li>Спланировать встречу с жителями, на которую смогут прийти женщины и молодёжь.</li></ul>",
            "body": [
                (HEADING, "Доверие строится до кризиса"),
                (
                    TEXT,
                    "<p>Люди сообщают о преступлениях, делятся информацией и принимают решения полиции, когда "
                    "верят, что с ними <b>обойдутся справедливо</b> и <b>выслушают</b>. Каждый контакт — на посту, "
                    "в школе или у дверей семьи — либо укрепляет это доверие, либо подрывает его.</p>"
                    "<ul><li>Представьтесь по имени и объясните, зачем пришли.</li>"
                    "<li>Выслушайте до конца, прежде чем отвечать.</li>"
                    "<li>Объясните, что сделаете дальше, — и сделайте.</li></ul>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Слушание втроём",
                        "minutes": 40,
                        "method": "role_play",
                        "materials": ["ролевые карточки", "таймер"],
                        "steps": [
                            "Образуйте тройки: житель, полицейский и наблюдатель.",
                            "Житель четыре минуты рассказывает о споре соседей из-за поливной воды; полицейский только слушает и пересказывает.",
                            "Наблюдатель отмечает, что помогало, а что перебивало.",
                            "Дважды поменяйтесь ролями и обсудите, что изменилось, когда полицейский пересказывал.",
                        ],
                    },
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Планирование открытой встречи",
                        "minutes": 45,
                        "method": "small_groups",
                        "materials": ["бланк планирования встречи", "маркеры"],
                        "steps": [
                            "Каждая группа планирует встречу для реального села или махалли.",
                            "Определите время, место и приглашение так, чтобы пришли женщины, молодёжь и пожилые жители.",
                            "Договоритесь, кто ведёт встречу, как собирать вопросы и как сообщить о результатах.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "Встреча, на которую не пришла ни одна женщина",
                        "place": "Село в Ошской области, Кыргызстан",
                        "story": "<p>Участковый провёл встречу с жителями у мечети после пятничной молитвы. Пришли сорок "
                        "мужчин и ни одной женщины. Член женсовета предложила вторую встречу в школе в будний день "
                        "после обеда, с участием сотрудницы районного отдела. Пришли тридцать две женщины и подняли "
                        "вопросы, о которых не говорил ни один мужчина: пьяные водители у школы и дом, где "
                        "преследуют девочек.</p>",
                        "questions": ["Кого нет на ваших встречах с жителями?", "Что помогло бы им прийти?"],
                    },
                ),
                (KEY, "Чтобы услышать всех, идите туда, куда могут прийти все."),
                (
                    NOTE,
                    "<p>Подготовьте ролевые карточки заранее на русском и местном языке. Следите за временем в "
                    "упражнении на слушание: участники обычно начинают давать советы уже через минуту.</p>",
                ),
            ],
        },
        {
            "title": "Совместное решение проблем по модели SARA",
            "objectives": "<ul><li>Пройти этапы сканирования, анализа, реагирования и оценки для местной проблемы.</li></ul>",
            "body": [
                (
                    TEXT,
                    "<p>SARA — простой метод из четырёх шагов: <b>сканирование</b> (какие проблемы повторяются?), "
                    "<b>анализ</b> (кто, где, когда, почему?), <b>реагирование</b> (что сделает каждый партнёр?) и "
                    "<b>оценка</b> (сработало ли?). Он превращает список жалоб в совместный план.</p>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Треугольник анализа проблемы",
                        "minutes": 50,
                        "method": "case_study",
                        "materials": [
                            "распечатанный шаблон треугольника",
                            "раздаточный материал с кейсом",
                            "цветные ручки",
                        ],
                        "steps": [
                            "Объясните треугольник: правонарушитель, пострадавший и место.",
                            "Группы берут кейс ниже и заполняют три стороны.",
                            "Для каждой стороны назовите партнёра, который может её изменить.",
                            "Группы составляют план реагирования с датой оценки результатов.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "Драки после футбола",
                        "place": "Джалал-Абад, Кыргызстан",
                        "story": "<p>Каждые выходные осенью молодые люди из двух кварталов дрались после матчей на пустыре. "
                        "Задержания не помогали. Группа общественной безопасности — полиция, молодёжный комитет, "
                        "директор школы и родители — проанализировала проблему: нет освещения, нет взрослых, старая "
                        "обида между двумя семьями. Местный кенеш огородил и осветил поле, молодёжный комитет "
                        "организовал лигу с судьями, а аксакалы помирили семьи. За следующий сезон не было ни одной драки.</p>",
                        "questions": [
                            "На какую сторону треугольника повлиял каждый партнёр?",
                            "Как измерить успех, кроме числа драк?",
                        ],
                    },
                ),
                (KEY, "У проблемы, которая возвращается, есть причина, которую одни задержания не устранят."),
                (
                    NOTE,
                    "<p>Группы часто сразу переходят к мерам. Не раздавайте шаблон плана, пока каждая группа не "
                    "заполнит все три стороны треугольника.</p>",
                ),
            ],
        },
        {
            "title": "Права человека в повседневной работе полиции",
            "objectives": "<ul><li>Применять принципы законности, необходимости и соразмерности при остановках и задержаниях.</li></ul>",
            "body": [
                (
                    TEXT,
                    "<p>Уважение прав — не препятствие для работы полиции, а то, что делает её действия "
                    "<b>легитимными</b>. Любое применение полицейских полномочий должно быть <i>законным</i>, "
                    "<i>необходимым</i> и <i>соразмерным</i>; задержанному нужно разъяснить его права, дать связаться "
                    "с адвокатом и родственником, и никогда не допускать жестокого обращения.</p>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Где вы стоите?",
                        "minutes": 35,
                        "method": "discussion",
                        "materials": ["три таблички: Согласен, Не согласен, Не уверен", "скотч"],
                        "steps": [
                            "Зачитайте утверждения, например: «Подозреваемого, который отказывается говорить, можно держать, пока он не заговорит».",
                            "Участники встают у таблички, совпадающей с их мнением.",
                            "Попросите по одному человеку из каждого угла объяснить позицию; ссылайтесь на закон и международные стандарты.",
                        ],
                    },
                ),
                (
                    QUESTIONS,
                    {
                        "introduction": "",
                        "questions": [
                            "Что сотрудник обязан сообщить человеку в момент задержания?",
                            "Как справедливое обращение с одним человеком меняет отношение к полиции целой улицы?",
                        ],
                    },
                ),
                (KEY, "Законно, необходимо, соразмерно — каждый раз."),
                (
                    NOTE,
                    "<p>Распечатайте соответствующие статьи национального УПК. Если участник рассказывает о "
                    "жестоком обращении, свидетелем которого он был, признайте это и поговорите с ним отдельно.</p>",
                ),
            ],
        },
    ],
}

FOUNDATIONS_TG = {
    "title": "Асосҳои милитсияи ҷамъиятӣ",
    "summary": (
        "Курси сеирӯза барои нозирони участкавӣ, мақомоти маҳаллӣ ва намояндагони ҷомеа оид ба ҳамкорӣ "
        "барои пешгирии ҷиноят ва ҳалли мушкилоти амнияти маҳаллӣ."
    ),
    "objectives": (
        "<ul><li>Шарҳ додани принсипҳои милитсияи ҷамъиятӣ.</li>"
        "<li>Истифодаи малакаҳои муошират, ки эътимоди сокинонро мустаҳкам мекунанд.</li></ul>"
    ),
    "modules": [
        {
            "title": "Милитсияи ҷамъиятӣ чист",
            "objectives": "<ul><li>Номбар кардани чор асоси милитсияи ҷамъиятӣ.</li>"
            "<li>Муқоисаи равиши вокуниш ва пешгирӣ бо мисолҳои маҳаллӣ.</li></ul>",
            "body": [
                (HEADING, "Аз вокуниш ба пешгирӣ"),
                (
                    TEXT,
                    "<p>Милитсияи ҷамъиятӣ — ин <b>ҳамкорӣ</b>-и милитсия ва мардуме мебошад, ки ба онҳо хизмат "
                    "мекунад. Нозири участкавӣ ба ҷои интизори занг бо сокинон, кумитаи маҳалла, мактабҳо ва "
                    "ташкилотҳои маҳаллӣ кор мекунад, то фаҳмад, ки чӣ мардумро дар ҳолати хатар нигоҳ медорад, ва "
                    "сабабҳоро якҷоя бартараф кунад.</p>"
                    "<h3>Чор асос</h3><ol><li><b>Ҳамкорӣ</b> бо сокинон ва муассисаҳои маҳаллӣ.</li>"
                    "<li><b>Ҳалли мушкилот</b>, ки ба сабабҳо равона шудааст.</li>"
                    "<li><b>Пешгирӣ</b> пеш аз маҷбурсозӣ.</li>"
                    "<li><b>Ҳисоботдиҳӣ</b> ба ҷомеа.</li></ol>",
                ),
                (
                    ACTIVITY,
                    {
                        "title": "Ду тасвири шӯъбаи милитсия",
                        "minutes": 30,
                        "method": "small_groups",
                        "materials": ["варақҳои флипчарт", "маркерҳо", "стикерҳо"],
                        "steps": [
                            "Иштирокчиёнро ба гурӯҳҳои омехтаи панҷнафара тақсим кунед: милитсия, мақомот ва сокинон якҷоя.",
                            "Нисфи гурӯҳҳо як рӯзи шӯъбаеро, ки танҳо ба зангҳо вокуниш нишон медиҳад, ва нисфи дигар шӯъбаеро, ки бо ҷомеа кор мекунад, тасвир мекунанд.",
                            "Ҳар гурӯҳ расми худро дар се дақиқа муаррифӣ мекунад.",
                            "Фарқиятҳоро дар флипчарт қайд кунед: кӣ бо кӣ гап мезанад, ба кӣ бовар мекунанд.",
                        ],
                    },
                ),
                (
                    CASE,
                    {
                        "title": "Роҳи торик ба бозор",
                        "place": "Маркази ноҳияи вилояти Суғд, Тоҷикистон",
                        "story": "<p>Сокинон аз қапидани сумкаҳо дар роҳи торики истгоҳ то бозор шикоят мекарданд. "
                        "Нозири нави участкавӣ бо кумитаи маҳалла ва занони савдогар вохӯрд. Якҷоя аз ҳукумат хоҳиш "
                        "карданд, ки чароғҳоро таъмир кунад, савдогарон розӣ шуданд, ки дӯконҳоро гурӯҳӣ пӯшанд, ва "
                        "нозир вақти посбониро иваз кард. Шумораи дуздӣ аз ёздаҳ то ду кам шуд.</p>",
                        "questions": ["Нозир аз занони савдогар чӣ фаҳмид, ки дар гузоришҳо набуд?"],
                    },
                ),
                (KEY, "Милитсияи ҷамъиятӣ шӯъба ё лоиҳа нест, балки тарзи кори ҳар як корманд аст."),
                (
                    NOTE,
                    "<p>Гурӯҳҳо бояд <i>омехта</i> бошанд; агар кормандони милитсия якҷоя нишинанд, хоҳиш кунед, "
                    "ки аз як то панҷ ҳисоб кунанд.</p>",
                ),
            ],
        },
    ],
}

OTHER_COURSES_EN = [
    {
        "slug": "responding-to-violence-against-women",
        "title": "Responding to Violence against Women and Girls",
        "summary": (
            "For police officers, social workers and women's committees: recognising intimate partner "
            "violence, responding safely to a call, and referring survivors to support."
        ),
        "audiences": ["police", "civil_society"],
        "topics": ["gender", "intimate partner violence"],
        "objectives": "<ul><li>Recognise forms and dynamics of intimate partner violence.</li>"
        "<li>Respond to a domestic-violence call with the survivor's safety first.</li>"
        "<li>Refer survivors to shelters, legal aid and health services.</li></ul>",
        "modules": [
            {
                "slug": "understanding-intimate-partner-violence",
                "title": "Understanding intimate partner violence",
                "minutes": 120,
                "objectives": "<ul><li>Describe physical, psychological, economic and sexual violence.</li>"
                "<li>Explain why survivors often do not leave or report.</li></ul>",
                "body": [
                    (
                        TEXT,
                        "<p>Intimate partner violence is a pattern of <b>control</b>, not a single quarrel. It may be "
                        "physical, psychological, economic (taking wages, hiding documents) or sexual, and it often "
                        "involves the wider family. Survivors stay for many reasons: fear, children, no income, "
                        "shame and pressure to keep the family together.</p>",
                    ),
                    (
                        ACTIVITY,
                        {
                            "title": "The cycle of violence",
                            "minutes": 40,
                            "method": "presentation",
                            "materials": ["cycle of violence poster", "scenario cards"],
                            "steps": [
                                "Present the cycle: tension, incident, reconciliation, calm.",
                                "Give each pair a scenario card and ask where in the cycle it sits.",
                                "Discuss what a police visit at each stage can and cannot achieve.",
                            ],
                        },
                    ),
                    (
                        CASE,
                        {
                            "title": "Three calls from the same house",
                            "place": "Khatlon region, Tajikistan",
                            "story": "<p>Neighbours called the police three times in a year. Each time the husband was "
                            "warned and the wife said it was a family matter. On the third visit a trained inspector "
                            "spoke with her alone, explained the protection order under the law on prevention of "
                            "violence in the family, and gave the number of the local crisis centre. Two months "
                            "later she called the centre herself.</p>",
                            "questions": [
                                "What changed on the third visit?",
                                "Why did speaking alone matter?",
                            ],
                        },
                    ),
                    (KEY, "Ask “what is happening to you?”, not “why don't you leave?”."),
                    (
                        NOTE,
                        "<p>Some participants may be survivors. Announce at the start that no one has to share "
                        "personal experience, and have the crisis-centre contact on the wall.</p>",
                    ),
                ],
            },
            {
                "slug": "responding-to-a-domestic-violence-call",
                "title": "Responding to a domestic-violence call",
                "minutes": 120,
                "objectives": "<ul><li>Follow the safe-response steps on arrival.</li>"
                "<li>Complete a risk assessment and a referral.</li></ul>",
                "body": [
                    (
                        TEXT,
                        "<h3>On arrival</h3><ol><li>Separate the parties and speak to the survivor out of the "
                        "abuser's hearing.</li><li>Check for injuries and children in the house.</li>"
                        "<li>Record what you see and hear, in the survivor's words.</li>"
                        "<li>Assess risk and explain protection options.</li></ol>",
                    ),
                    (
                        ACTIVITY,
                        {
                            "title": "Role play: the evening call",
                            "minutes": 60,
                            "method": "role_play",
                            "materials": ["role cards", "risk assessment form", "referral list"],
                            "steps": [
                                "Two volunteers play the couple, two play the responding officers.",
                                "Officers arrive and must separate the couple within the first two minutes.",
                                "Observers score the response against the four steps.",
                                "Debrief: what made the survivor safer, what made things worse?",
                            ],
                        },
                    ),
                    (
                        QUESTIONS,
                        {
                            "introduction": "",
                            "questions": [
                                "Which services in your district accept referrals at night?",
                                "How do you keep the survivor's information confidential?",
                            ],
                        },
                    ),
                    (KEY, "Mediation is not a response to violence: safety comes first."),
                    (
                        NOTE,
                        "<p>Do not let the role play become physical. Stop it immediately if a participant is "
                        "distressed, and debrief out of role.</p>",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "youth-schools-and-preventing-violent-extremism",
        "title": "Youth, Schools and Preventing Violent Extremism",
        "summary": (
            "For school directors, youth workers, inspectors for juvenile affairs and youth ambassadors: "
            "safer schools and community resilience against recruitment into violent extremism."
        ),
        "audiences": ["youth", "civil_society", "local_authorities"],
        "topics": ["youth", "preventing violent extremism", "school safety"],
        "objectives": "<ul><li>Set up a school safety partnership.</li>"
        "<li>Recognise vulnerability to recruitment without stigmatising young people.</li></ul>",
        "modules": [
            {
                "slug": "safe-schools-partnership",
                "title": "A safe-schools partnership",
                "minutes": 90,
                "objectives": "<ul><li>Map the risks on the way to and around a school.</li></ul>",
                "body": [
                    (
                        TEXT,
                        "<p>A school safety partnership brings together the director, teachers, parents, pupils "
                        "and the inspector for juvenile affairs. It meets each term, walks the routes pupils use, "
                        "and agrees who acts on each risk.</p>",
                    ),
                    (
                        ACTIVITY,
                        {
                            "title": "Safety walk map",
                            "minutes": 50,
                            "method": "field_exercise",
                            "materials": ["printed map of the school area", "red and green stickers"],
                            "steps": [
                                "Pupils mark places where they feel unsafe in red, safe in green.",
                                "Adults add their own marks in another colour.",
                                "Compare: where do pupils and adults disagree, and why?",
                            ],
                        },
                    ),
                    (
                        CASE,
                        {
                            "title": "The underpass",
                            "place": "Bishkek, Kyrgyzstan",
                            "story": "<p>Pupils of a city school marked an underpass as the most unsafe place: older "
                            "boys demanded money there. The partnership asked the municipality for lighting and a "
                            "camera, and youth ambassadors walked younger pupils home for a month.</p>",
                            "questions": ["Who else could have helped?"],
                        },
                    ),
                    (KEY, "Ask pupils: they know where the danger is."),
                    (
                        NOTE,
                        "<p>Obtain the director's permission before the safety walk, and keep groups supervised.</p>",
                    ),
                ],
            },
            {
                "slug": "community-resilience-and-early-signs",
                "title": "Community resilience and early signs",
                "minutes": 120,
                "objectives": "<ul><li>Distinguish vulnerability factors from religious practice.</li>"
                "<li>Plan a proportionate, multi-agency response.</li></ul>",
                "body": [
                    (
                        TEXT,
                        "<p>Recruiters target young people who feel <b>excluded</b>: without work, facing "
                        "injustice, isolated abroad as labour migrants, or looking for belonging. Religious "
                        "observance is <i>not</i> a sign of radicalisation; treating it as one pushes families "
                        "away from the police.</p>",
                    ),
                    (
                        ACTIVITY,
                        {
                            "title": "Sorting the signs",
                            "minutes": 45,
                            "method": "small_groups",
                            "materials": ["sign cards", "two envelopes: concern / not a concern"],
                            "steps": [
                                "Groups sort cards such as “started praying regularly” or “cut contact with family and talks of violence against a group”.",
                                "Each group explains the hardest card.",
                                "Agree on which signs call for a conversation with family, school or a mentor, and which for the police.",
                            ],
                        },
                    ),
                    (
                        CASE,
                        {
                            "title": "A migrant's return",
                            "place": "Rasht valley, Tajikistan",
                            "story": "<p>A young man returned from labour migration, withdrew from friends and shared "
                            "violent videos online. His mother asked the mahalla chair for help. Instead of an "
                            "arrest, the inspector, an imam and a youth worker met the family; he joined a "
                            "vocational course and a sports club.</p>",
                            "questions": [
                                "What risks did the team weigh?",
                                "When would police action be necessary?",
                            ],
                        },
                    ),
                    (
                        KEY,
                        "Belonging protects: a young person with a place in the community is harder to recruit.",
                    ),
                    (
                        NOTE,
                        "<p>This topic is sensitive. Avoid naming real groups or people from the district, and "
                        "stop any discussion that labels a faith or ethnic group.</p>",
                    ),
                ],
            },
        ],
    },
]

CATALOGUE_TRANSLATIONS = {
    "ru": (
        "Курсы",
        "Курсы для полиции, гражданского общества, местных органов власти, молодёжи и сообществ.",
    ),
    "tg": ("Курсҳо", "Курсҳо барои милитсия, ҷомеаи шаҳрвандӣ, мақомоти маҳаллӣ, ҷавонон ва ҷамоатҳо."),
    "ky": ("Курстар", "Милиция, жарандык коом, жергиликтүү бийлик, жаштар жана жамааттар үчүн курстар."),
}

# The demo courses' topics (taggit tags, named in English) in the other languages: TopicName rows.
TOPIC_NAMES = {
    "community policing": {
        "ru": "работа полиции с населением",
        "tg": "ҳамкории милитсия бо аҳолӣ",
        "ky": "милициянын калк менен иштеши",
    },
    "human rights": {"ru": "права человека", "tg": "ҳуқуқи инсон", "ky": "адам укуктары"},
    "problem solving": {"ru": "решение проблем", "tg": "ҳалли мушкилот", "ky": "көйгөйлөрдү чечүү"},
    "gender": {"ru": "гендер", "tg": "гендер", "ky": "гендер"},
    "intimate partner violence": {
        "ru": "насилие со стороны интимного партнёра",
        "tg": "зӯроварӣ байни ҳамсарон",
        "ky": "жубайлар ортосундагы зомбулук",
    },
    "youth": {"ru": "молодёжь", "tg": "ҷавонон", "ky": "жаштар"},
    "preventing violent extremism": {
        "ru": "профилактика насильственного экстремизма",
        "tg": "пешгирии экстремизми хушунатомез",
        "ky": "зордук экстремизминин алдын алуу",
    },
    "school safety": {"ru": "безопасность в школе", "tg": "амнияти мактаб", "ky": "мектептеги коопсуздук"},
}

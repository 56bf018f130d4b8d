"""Personal-data paperwork of the school as operator (152-ФЗ): what the order appointing the
person responsible (ст. 22.1), the list of information systems and the notification to
Роскомнадзор (ст. 22 ч. 3) say, filled from the school's settings. The documents themselves
are shipped templates (docx_templates) issued through the registry like every order.
"""

from __future__ import annotations

from django.conf import settings

from apps.core.declension import Gender
from apps.core.text import lower_first
from apps.documents.context import person_context
from apps.documents.models import DocKind, DocStatus, Document, DocumentSettings
from apps.orgs.models import Organisation
from apps.people.models import Person

BLANK = "____________"
SYSTEM_NAME = "Информационная система «Наставник»"
PURPOSE = (
    "организация наставничества педагогических работников (статья 351.8 Трудового кодекса "
    "Российской Федерации): формирование баз наставников и наставляемых, подбор "
    "наставнических пар (групп), оформление приказов и дополнительных соглашений, "
    "сопровождение персонализированных программ наставничества, мониторинг и отчётность, "
    "информирование о мероприятиях"
)
SUBJECTS = "работники образовательной организации, участвующие в системе наставничества"
CATEGORIES = (
    "фамилия, имя, отчество; пол; дата рождения; должность, стаж, квалификационная "
    "категория, образование, преподаваемые предметы; номер и дата трудового договора; адрес "
    "электронной почты и номер телефона; профессиональные затруднения и запросы (ответы на "
    "анкеты); сведения об участии в программах наставничества; фотографии — только при "
    "наличии согласия на распространение. Специальные категории и биометрические персональные "
    "данные не обрабатываются"
)
LEGAL_BASIS = (
    "статьи 22, 351.8 Трудового кодекса Российской Федерации; Федеральный закон от 29.12.2012 "
    "№ 273-ФЗ «Об образовании в Российской Федерации»; пункты 1, 2 и 5 части 1 статьи 6 "
    "Федерального закона № 152-ФЗ; согласия субъектов на обработку и распространение "
    "персональных данных"
)
ACTIONS = (
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
    "извлечение, использование, передача (предоставление, доступ), обезличивание, блокирование, "
    "удаление, уничтожение; смешанная обработка (с использованием средств автоматизации и без "
    "них) с передачей по внутренней сети образовательной организации и по сети Интернет"
)
MEASURES = (
    "назначен ответственный за организацию обработки персональных данных{order}; изданы "
    "локальные акты по вопросам обработки персональных данных, работники ознакомлены с ними; "
    "доступ к персональным данным разграничен по ролям, действия пользователей записываются в "
    "журнал; вход с двухфакторной аутентификацией для администраторов; передача данных по "
    "защищённому (шифрованному) соединению; резервное копирование; уничтожение персональных "
    "данных по достижении целей обработки или при отзыве согласия с составлением акта "
    "(статьи 18.1 и 19 Федерального закона № 152-ФЗ)"
)


def responsible_person(org: Organisation) -> tuple[Person | None, dict | None]:
    """The person responsible for PD processing: from the settings, or the latest order."""
    order = (
        Document.objects.of(org)
        .filter(kind=DocKind.PD_RESPONSIBLE)
        .exclude(status=DocStatus.CANCELLED)
        .select_related("person")
        .order_by("-date", "-pk")
        .first()
    )
    doc_settings = DocumentSettings.objects.of(org).select_related("pd_responsible").first()
    person = (doc_settings.pd_responsible if doc_settings else None) or (
        order.person if order else None
    )
    reference = {"number": order.number, "date": order.date.strftime("%d.%m.%Y")} if order else None
    return person, reference


def _blank(value: str, what: str, warnings: list[str]) -> str:
    if value:
        return value
    warnings.append(f"Не указано: {what} — в документе оставлено пустое место; заполните его в "
                    "«Документы → Нумерация и шаблоны».")  # fmt: skip
    return "____________________"


def systems(org: Organisation, location: str) -> list[dict]:
    rows = [
        {"name": SYSTEM_NAME, "purpose": PURPOSE, "subjects": f"{SUBJECTS}: {CATEGORIES}",
         "location": location},
    ]  # fmt: skip
    doc_settings = DocumentSettings.objects.of(org).first()
    for line in (doc_settings.pd_other_systems if doc_settings else "").splitlines():
        parts = [p.strip() for p in line.split("—")]
        if not parts[0]:
            continue
        parts += ["", ""]
        rows.append({"name": parts[0], "purpose": parts[1] or "—", "subjects": parts[2] or "—",
                     "location": "—"})  # fmt: skip
    return [{**row, "n": n} for n, row in enumerate(rows, start=1)]


def pd_context(org: Organisation, kind: str, ctx: dict, warnings: list[str]) -> None:
    """Fill `ctx` for the personal-data kinds (PD_RESPONSIBLE gets `person` from issue())."""
    doc_settings = DocumentSettings.objects.of(org).first() or DocumentSettings()
    person, order = responsible_person(org)
    if kind == DocKind.PD_RESPONSIBLE:
        ctx["people"] = [ctx["person"]["name"]["nom"]]
        female = ctx["person"]["gender"] == Gender.FEMALE.value
        ctx["responsible_word"] = "ответственной" if female else "ответственным"
        return
    ctx["responsible"] = person_context(person, warnings) if person else None
    location = _blank(doc_settings.pd_database_location, "место нахождения базы данных",
                      warnings)  # fmt: skip
    if kind == DocKind.PD_SYSTEMS:
        ctx["systems"] = systems(org, location)
        return
    school = ctx["school"]
    if person is None:
        warnings.append(
            "Не назначен ответственный за организацию обработки персональных данных: выпустите "
            "приказ о его назначении или укажите его в настройках документов."
        )
    contacts = "____________________"
    if person is not None:
        contacts = "; ".join(
            part for part in (
                person.full_name, lower_first(person.position),
                f"тел. {person.phone}" if person.phone else "",
                f"e-mail: {person.email}" if person.email else "", org.address,
            ) if part
        )  # fmt: skip
    processor = settings.PERSONAL_DATA_PROCESSOR
    third = (
        "муниципальная и региональная методические службы (сводные показатели и реестр "
        "наставнических пар); другие образовательные организации муниципалитета при сетевом "
        "подборе наставников"
    )
    if processor:
        third = f"{processor} — обработка по поручению оператора (часть 3 статьи 6); {third}"
    start = doc_settings.pd_start_date
    order_ref = f" (приказ от {order['date']} № {order['number']})" if order else ""
    rows = [
        ("Наименование и адрес оператора",
         f"{school['full_name']}; ИНН {org.inn or BLANK}; ОГРН {org.ogrn or BLANK}; "
         f"{org.address or BLANK}"),
        ("Цель обработки персональных данных", PURPOSE),
        ("Категории персональных данных", CATEGORIES),
        ("Категории субъектов персональных данных", SUBJECTS),
        ("Правовое основание обработки", LEGAL_BASIS),
        ("Перечень действий и способы обработки", ACTIONS),
        ("Третьи лица, которым передаются персональные данные", third),
        ("Меры по обеспечению безопасности (статьи 18.1 и 19)",
         MEASURES.format(order=order_ref)),
        ("Ответственный за организацию обработки персональных данных (ФИО, телефон, адрес, "
         "e-mail)", contacts),
        ("Дата начала обработки персональных данных",
         start.strftime("%d.%m.%Y") if start else _blank("", "дата начала обработки", warnings)),
        ("Срок или условие прекращения обработки",
         "достижение целей обработки; прекращение трудовых отношений с учётом сроков хранения "
         "документов; отзыв согласия субъекта; ликвидация или реорганизация оператора"),
        ("Трансграничная передача персональных данных", "не осуществляется"),
        ("Место нахождения базы данных с персональными данными граждан Российской Федерации",
         location),
        ("Обеспечение безопасности по требованиям Правительства Российской Федерации",
         "требования к защите персональных данных при их обработке в информационных системах "
         "(постановление Правительства Российской Федерации от 01.11.2012 № 1119) выполняются; "
         "уровень защищённости определён актом оператора"),
    ]  # fmt: skip
    ctx["notice"] = [{"n": n, "item": item, "value": value}
                     for n, (item, value) in enumerate(rows, start=1)]  # fmt: skip
    ctx["rkn_office"] = doc_settings.pd_rkn_office or (
        "территориальный орган Роскомнадзора ____________________"
    )
    if not doc_settings.pd_rkn_office:
        _blank("", "территориальный орган Роскомнадзора", warnings)

"""The one registry of notification kinds: what each event says, where it links, who may get it how.

A kind's title and text are format strings written here, in code; `notify()` fills them with
values from the event's data (`str.format` never re-reads a value as a template, so text a user
typed — a document title, a survey name — stays data). A kind names the URL its notification
opens (a Django URL name and the context keys that fill it), its priority, the channels it may
use and whether each is on by default. Channels registered by higher apps (the MAX bot) are
allowed for every kind unless the kind lists `channels` explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

NORMAL, HIGH = "normal", "high"
ALL_CHANNELS = None


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # for the preferences page and the filter
    title: str
    text: str
    url_name: str
    url_keys: tuple[str, ...] = ()
    priority: str = NORMAL
    # Allowed channel codes; None — every registered channel.
    channels: tuple[str, ...] | None = ALL_CHANNELS
    # Channels off unless the user turns them on (the app sends its own letter already, …).
    off_by_default: frozenset[str] = field(default_factory=frozenset)
    # Quick-action buttons: (Russian label, URL name, context keys).
    actions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def allows(self, channel: str) -> bool:
        return self.channels is None or channel in self.channels

    def default_on(self, channel: str) -> bool:
        return self.allows(channel) and channel not in self.off_by_default

    def render(self, context: dict) -> tuple[str, str]:
        return self.title.format(**context), self.text.format(**context)

    def path(self, context: dict) -> str:
        return reverse(self.url_name, kwargs={k: context[k] for k in self.url_keys})

    def action_paths(self, context: dict) -> tuple[tuple[str, str], ...]:
        return tuple(
            (label, reverse(name, kwargs={k: context[k] for k in keys}))
            for label, name, keys in self.actions
        )


UNIT = ("programs:my-unit", ("unit_id",))
SCHOOL_UNIT = ("programs:unit-detail", ("org_id", "unit_id"))
DOCUMENT = ("documents:detail", ("org_id", "document_id"))
SIGN = (("Подписать", "documents:detail", ("org_id", "document_id")),)
DIARY = (("Встреча состоялась", "programs:my-unit", ("unit_id",)),)
# The task's status form; the MAX bot turns this action into a button that marks it done.
TASK_DONE = (("Задача выполнена", "programs:my-task-status", ("unit_id", "task_id")),)
SURVEY = (("Открыть анкету", "surveys:answer", ("token",)),)

ALL_KINDS = "*"  # the digest's unsubscribe link: no more e-mail at all
KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


for _kind in (
    Kind(
        "survey_invitation", "Приглашение заполнить анкету",
        "Новая анкета: «{survey}»",
        "Просим заполнить анкету «{survey}» ({org}) до {deadline}.",
        "surveys:answer", ("token",), actions=SURVEY,
        # The survey's own letter carries the personal link already.
        off_by_default=frozenset({"email"}),
    ),
    Kind(
        "survey_reminder", "Напоминание об анкете",
        "Напоминание: анкета «{survey}»",
        "Анкета «{survey}» ждёт ваших ответов до {deadline} — {left}.",
        "surveys:answer", ("token",), priority=HIGH, actions=SURVEY,
    ),
    Kind(
        "document_signing", "Документ ждёт подписи",
        "На подпись: {document}",
        "Документ «{document}» (№ {number} от {date}) передан вам на подпись.",
        *DOCUMENT, priority=HIGH, actions=SIGN,
    ),
    Kind(
        "document_signed", "Документ подписан",
        "Подписан: {document}",
        "Документ «{document}» (№ {number} от {date}) подписан, скан загружен.",
        *DOCUMENT,
    ),
    Kind(
        "unit_formed", "Сформирована пара или группа",
        "Сформирована наставническая {unit_word}",
        "Наставник: {mentor}; наставляемые: {mentees}; программа с {start} по {end}.",
        *UNIT,
    ),
    Kind(
        "mentor_replaced", "Замена наставника",
        "Новый наставник: {new_mentor}",
        "В паре (группе) заменён наставник: был {old_mentor}, теперь {new_mentor} "
        "(с {date}).",
        *UNIT, priority=HIGH,
    ),
    Kind(
        "meeting_tomorrow", "Встреча завтра",
        "Завтра встреча: {topic}",
        "По плану наставничества завтра, {date}, — «{topic}». После встречи отметьте её в "
        "дневнике.",
        *UNIT, actions=DIARY,
    ),
    Kind(
        "task_due", "Срок задачи через 3 дня",
        "Срок задачи — {due}",
        "Задача ПНП «{task}» должна быть выполнена до {due}.",
        *UNIT, actions=TASK_DONE,
    ),
    Kind(
        "task_overdue", "Задача просрочена",
        "Просрочена задача: {task}",
        "Срок задачи ПНП «{task}» прошёл {due}; отметьте выполнение или перенесите срок.",
        *UNIT, priority=HIGH, actions=TASK_DONE,
    ),
    Kind(
        "unit_quiet", "Нет встреч в паре",
        "Нет встреч {days_text}",
        "В паре (группе) наставника {mentor} нет записей о встречах {days_text} "
        "(последняя — {last}).",
        *SCHOOL_UNIT,
    ),
    Kind(
        "fit_check", "Вопрос после первой встречи",
        "Как прошла первая встреча?",
        "Первая встреча пары записана ({date}). Подходите ли вы друг другу? Если нет — "
        "скажите куратору, он подберёт другого наставника.",
        *UNIT,
    ),
    Kind(
        "request_received", "Запрос наставляемого",
        "Вас выбрали наставником",
        "Наставляемый {mentee} просит вас стать наставником. Ответьте на странице запросов.",
        "matching:my-requests", priority=HIGH,
    ),
    Kind(
        "request_answered", "Ответ наставника на запрос",
        "Наставник ответил на запрос: {answer}",
        "Наставник {mentor}: «{answer}». Дальше решение за куратором.",
        "matching:my-choice",
    ),
    Kind(
        "network_proposal", "Сетевое предложение пары",
        "Сетевое предложение ждёт согласия школы",
        "Методист предложил межшкольную пару: наставляемый — {mentee_org}, наставник — "
        "{mentor_org}. Нужно согласие школы.",
        "matching:run-list", ("org_id",), priority=HIGH,
    ),
    Kind(
        "event_invitation", "Приглашение на мероприятие",
        "Приглашение: {event}",
        "Вы приглашены на мероприятие «{event}» — {when}.",
        "events:my",
        # The event's own letter with the .ics goes already.
        off_by_default=frozenset({"email"}),
    ),
    Kind(
        "event_reminder", "Напоминание о мероприятии",
        "Завтра: {event}",
        "Мероприятие «{event}» — {when}.",
        "events:my",
    ),
    Kind(
        "consent_expiring", "Срок согласия истекает",
        "Срок согласия истекает {until}",
        "Согласие «{consent}» сотрудника {person} действует до {until}. Оформите новое, "
        "чтобы не прерывать участие в наставничестве.",
        "people:consent-detail", ("org_id", "consent_id"),
    ),
    Kind(
        "feedback_launched", "Анкета обратной связи",
        "Анкета обратной связи: «{survey}»",
        "Заполните, пожалуйста, анкету «{survey}» до {deadline}: это займёт несколько минут.",
        "surveys:answer", ("token",), actions=SURVEY,
    ),
    Kind(
        "news_proposed", "Предложен черновик новости",
        "Черновик новости: {post}",
        "Система подготовила черновик новости «{post}». Проверьте текст и опубликуйте.",
        "publicity:post-edit", ("org_id", "post_id"),
    ),
):  # fmt: skip
    register(_kind)


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}") from None

"""Finding people of the staff register named in a news text (pure, no database)."""

import pytest

from apps.publicity.names import (
    NameRecord,
    SurnameMention,
    find_named,
    name_forms,
    surname_doubts,
    tokenize,
)

MARIA = NameRecord(1, "Иванова", "Мария", "Петровна", "female")
PETR = NameRecord(2, "Иванов", "Пётр", "Сергеевич", "male")
ANNA = NameRecord(3, "Римская-Корсакова", "Анна", "Ильинична")  # gender from the patronymic
OLGA = NameRecord(4, "Петрова", "Ольга", "Андреевна", "female")
ALIEV = NameRecord(5, "Алиев", "Мамед", "Гасан оглы")
FEDOR = NameRecord(6, "Семёнов", "Фёдор", "", "male")  # no patronymic in the register
STAFF = [MARIA, PETR, ANNA, OLGA, ALIEV, FEDOR]


def named(text: str) -> list[int]:
    return find_named(text, STAFF)


# --- surname + first name, optionally with the patronymic ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Иванова Мария Петровна провела урок.",  # nominative
        "Открытый урок Ивановой Марии Петровны.",  # genitive
        "Грамота вручена Ивановой Марии Петровне.",  # dative
        "Поздравляем Иванову Марию Петровну!",  # accusative
        "Беседа с Ивановой Марией Петровной.",  # instrumental
        "Рассказ о Ивановой Марии Петровне.",  # prepositional
        "Мария Петровна Иванова провела урок.",
        "Открытый урок Марии Петровны Ивановой.",
        "Поздравляем Марию Иванову!",
        "Беседа с Марией Ивановой.",
        "Слово Ивановой Марии.",
        "Мария Иванова — победитель конкурса.",
        "О Марии Ивановой.",
    ],
)
def test_surname_and_first_name_in_any_case_and_order(text: str) -> None:
    assert named(text) == [1]


@pytest.mark.parametrize(
    "text",
    [
        "Иванов Пётр Сергеевич",
        "Иванова Петра Сергеевича",
        "Иванову Петру Сергеевичу",
        "Ивановым Петром Сергеевичем",
        "Иванове Петре Сергеевиче",
        "Петра Иванова",
        "Петром Ивановым",
    ],
)
def test_masculine_forms(text: str) -> None:
    assert named(text) == [2]


def test_register_without_patronymic_still_matches_a_text_with_one() -> None:
    assert named("Семёнову Фёдору Ивановичу вручена грамота") == [6]
    assert named("Семёнов Фёдор рассказал") == [6]


def test_patronymic_contradicting_the_register_is_another_person() -> None:
    assert named("Иванова Мария Сергеевна провела урок") == []
    assert named("Иванова Мария провела урок") == [1]


# --- surname with initials -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Иванова М. П. провела урок",
        "Иванова М.П. провела урок",
        "урок провела М. П. Иванова",
        "благодарность М.П. Ивановой",
        "благодарность М.П.Ивановой",
        "поздравляем Иванову М.",
        "выступила М. Иванова",
        "Подготовила: Иванова М.П.",
        "Спасибо Ивановой М.П.!",
    ],
)
def test_surname_with_initials(text: str) -> None:
    assert named(text) == [1]


def test_initials_must_be_the_persons_own() -> None:
    assert named("Иванова А. П. провела урок") == []
    assert named("Иванова М. С. провела урок") == []
    assert named("А. Иванова провела урок") == []
    assert named("С.М. Ивановой") == []


def test_initials_of_a_previous_name_in_a_list_are_not_borrowed() -> None:
    people = [NameRecord(10, "Иванова", "Анна", "", "female")]
    assert find_named("Петров А., Иванова М.", people) == []
    assert find_named("Петров А., Иванова А.", people) == [10]


# --- first name + patronymic ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Мария Петровна провела классный час.",
        "Поблагодарили Марию Петровну за урок.",
        "Подарок для Марии Петровны.",
        "Слово Марии Петровне!",
        "Вместе с Марией Петровной.",
        "Мы говорили о Марии Петровне.",
    ],
)
def test_first_name_and_patronymic(text: str) -> None:
    assert named(text) == [1]


DENISOVA = NameRecord(20, "Денисова", "Оксана", "Юрьевна", "female")


@pytest.mark.parametrize(
    "text",
    [
        "Поздравляем Беляеву Оксану Юрьевну с юбилеем!",  # a surname inside the sentence
        "Беляеву Оксану Юрьевну поздравили коллеги.",  # a surname opening the sentence
        "Оксана Юрьевна Беляева провела урок.",  # a surname after the pair
        "Грамоту получила Оксана Юрьевна Беляева.",
        "Урок провела Оксана Юрьевна Ковальчук.",  # any capitalised word inside a sentence
        "Открытый урок Оксаны Юрьевны Белой.",
    ],
)
def test_it_takes_no_first_name_and_patronymic_beside_another_surname(text: str) -> None:
    assert find_named(text, [DENISOVA]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Вчера Оксана Юрьевна провела урок.",  # a capitalised word that opens the sentence
        "Коллеги поздравили Оксану Юрьевну.",
        "В МБОУ СОШ Оксана Юрьевна провела урок.",  # an abbreviation is no surname
        "Поздравляем Денисову Оксану Юрьевну!",  # her own surname
        "Оксана Юрьевна Денисова провела урок.",
        "Беляеву Оксану Юрьевну и Денисову Оксану Юрьевну поздравили.",
        "поздравляем беляеву оксану юрьевну",  # no capitals: the pair alone still counts
    ],
)
def test_it_keeps_first_name_and_patronymic_without_another_surname(text: str) -> None:
    assert find_named(text, [DENISOVA]) == [20]


def test_indeclinable_patronymic_of_two_words() -> None:
    assert named("Мамед Гасан оглы рассказал") == [5]
    assert named("Поздравляем Алиева Мамеда Гасан оглы") == [5]
    assert named("Мамеду Гасан оглы") == [5]


# --- what does not count -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Иванова провела урок.",  # her nominative and his genitive: two people
        "Поздравляем Иванову!",
        "Мария провела урок.",
        "Марию поздравили.",
        "Петровна — так её зовут ученики.",
    ],
)
def test_surname_alone_or_first_name_alone_is_not_naming(text: str) -> None:
    assert named(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Урок провела Иванова. Мария пришла позже.",
        "Урок провела Иванова! Мария пришла позже.",
        "Иванова? Мария?",
        "Приглашены Иванова, Мария и Пётр.",
        "Мария. Петровна.",
        "<p>Урок провела Иванова</p><p>Мария пришла позже</p>",
        "Урок провела Иванова\n\nМария пришла позже",
    ],
)
def test_no_joining_across_sentences_or_punctuation(text: str) -> None:
    assert named(text) == []


def test_namesake_of_the_other_gender_is_not_matched() -> None:
    maria_only = [MARIA]
    assert find_named("Иванов М. П. провёл урок", maria_only) == []
    assert find_named("Ивановым М.П.", maria_only) == []
    assert find_named("М. П. Иванов", maria_only) == []
    petr_only = [PETR]
    assert find_named("Ивановой П. С. вручена грамота", petr_only) == []
    assert find_named("П.С. Ивановой", petr_only) == []
    # «Иванова П. С.» is also his genitive («для Иванова П. С.»): ambiguous, so it counts
    assert find_named("для Иванова П. С.", petr_only) == [2]


def test_gender_decides_the_forms_of_a_shared_surname() -> None:
    # A woman's «Шевчук» does not decline; «Шевчуку А. И.» can only be a man.
    anna = NameRecord(22, "Шевчук", "Анна", "Ивановна", "female")
    andrey = NameRecord(23, "Шевчук", "Андрей", "Игоревич", "male")
    assert find_named("Благодарность Шевчуку А. И.", [anna, andrey]) == [23]
    assert find_named("Благодарность Шевчук А. И.", [anna, andrey]) == [22, 23]  # ambiguous
    assert find_named("Беседа со Шевчуком А.", [anna]) == []
    assert find_named("Беседа со Шевчуком А.", [andrey]) == [23]
    # gender guessed from the patronymic when the register has none
    assert find_named("Шевчуку А. И.", [NameRecord(24, "Шевчук", "Анна", "Ивановна")]) == []


def test_the_other_gender_by_full_name() -> None:
    sasha = NameRecord(20, "Смирнова", "Александра", "Игоревна", "female")
    alexander = NameRecord(21, "Смирнов", "Александр", "Игоревич", "male")
    people = [sasha, alexander]
    assert find_named("Беседа с Александрой Смирновой", people) == [20]
    assert find_named("Беседа с Александром Смирновым", people) == [21]
    assert find_named("Александра Игоревна пришла", people) == [20]
    assert find_named("Александр Игоревич пришёл", people) == [21]


def test_surname_petrova_is_not_patronymic_petrovna() -> None:
    # Ольга Андреевна Петрова: «Ольга Петровна» is somebody else.
    assert named("Ольга Петровна провела урок") == []
    assert named("Ольга Петрова провела урок") == [4]
    # Мария Петровна Иванова: «Мария Петрова» is a surname, not her patronymic.
    assert find_named("Мария Петрова провела урок", [MARIA]) == []
    # and a patronymic after a surname is not taken for the surname itself
    assert find_named("Мария Петровна", [NameRecord(30, "Петрова", "Мария", "", "female")]) == []


# --- text shapes ---------------------------------------------------------------------------


def test_html_input() -> None:
    assert named("<p>Поздравляем <b>Ивановой</b> Марии</p>") == [1]
    assert named("<p>Поздравляем&nbsp;<i>М.&nbsp;П.</i>&nbsp;Иванову</p>") == [1]
    assert named("<div>Спасибо <span>Марии</span>\n<span>Петровне</span></div>") == [1]
    assert named("<p>Иванова</p><p>Мария</p>") == []
    assert named('<a href="/people/ivanova-maria">Иванова</a> провела урок') == []
    assert named("<!-- Иванова Мария --><p>Урок</p>") == []


def test_two_people_in_order_of_first_mention() -> None:
    text = "Пётр Сергеевич и коллеги поздравили Иванову М. П. Позже Петру Иванову вручили грамоту."
    assert named(text) == [2, 1]
    assert named("Иванова М.П. и Иванов П.С.") == [1, 2]


def test_each_person_once() -> None:
    assert named("Мария Петровна, Иванова Мария, М. П. Иванова") == [1]


def test_hyphenated_surname() -> None:
    assert named("Римская-Корсакова Анна Ильинична провела урок") == [3]
    assert named("Поздравляем Римскую-Корсакову Анну!") == [3]
    assert named("с Анной Римской-Корсаковой") == [3]
    assert named("А. И. Римской-Корсаковой") == [3]
    assert named("Римской\u2011Корсаковой А.И.") == [3]  # non-breaking hyphen
    assert named("Корсакова Анна") == []
    assert named("Римская Анна") == []


def test_yo_and_ye_are_the_same_letter() -> None:
    assert named("Семенову Федору вручена грамота") == [6]
    assert named("Петр Иванов") == [2]
    people = [NameRecord(40, "Соловьев", "Артем", "Петрович", "male")]
    assert find_named("Артём Петрович Соловьёв", people) == [40]
    assert find_named("Соловьёву Артёму", people) == [40]


def test_case_spaces_and_invisible_characters() -> None:
    assert named("ИВАНОВА МАРИЯ ПЕТРОВНА") == [1]
    assert named("иванова мария") == [1]
    assert named("Ивановой\u00a0Марии\u00a0Петровне") == [1]
    assert named("Ива\u00adновой Марии") == [1]
    assert named("«Иванова Мария» — лучший учитель года") == [1]
    assert named("(Иванова М.П.)") == [1]
    assert named("поздравляем Иванову\nМарию") == [1]
    assert named("Ивaновa Мaрия") == [1]  # Latin «a» typed in a Cyrillic word
    assert named("M. Ивановой") == [1]  # a Latin initial


def test_empty_inputs() -> None:
    assert find_named("", STAFF) == []
    assert find_named("Иванова Мария", []) == []
    assert find_named("Иванова", [NameRecord(50, "Иванова", "", "", "female")]) == []


def test_tokenize_marks_initials_and_sentences() -> None:
    tokens = tokenize("М.П. Иванова. Мария")
    assert [t.text for t in tokens] == ["м", "п", "иванова", "мария"]
    assert [t.initial for t in tokens] == [True, True, False, False]
    assert tokens[0].chunk == tokens[2].chunk != tokens[3].chunk


def test_forms_cover_all_cases_of_the_own_gender_only() -> None:
    forms = name_forms("Иванова", "Мария", "Петровна", "")
    assert forms.surnames.forms == {"иванова", "ивановой", "иванову"}
    assert {"мария", "марии", "марию", "марией"} <= forms.firsts.forms
    assert "иванов" not in forms.surnames.forms


# --- a surname alone -----------------------------------------------------------------------

ZAITSEVA = NameRecord(30, "Зайцева", "Ольга", "Игоревна", "female")
TSOY = NameRecord(31, "Цой", "Виктор", "Робертович", "male")
TARASOVA = NameRecord(32, "Тарасова", "Виктория", "Денисовна", "female")
MOROZ = NameRecord(33, "Мороз", "Иван", "Петрович", "male")
ZIMA = NameRecord(34, "Зима", "Анна", "Сергеевна", "female")
ROZA = NameRecord(35, "Роза", "Елена", "Павловна", "female")
SCHOOL = [ZAITSEVA, TSOY, TARASOVA, MOROZ, ZIMA, ROZA, MARIA, PETR, OLGA]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Коллеги поблагодарили Зайцеву", 30),
        ("Вопросов от Цоя не было", 31),
        ("На фото — Тарасова", 32),
        ("Зайцева провела открытый урок.", 30),  # opening the sentence, nominative
        ("Беседа с Цоем.", 31),
        ("Грамота Ивановой и Петровой.", 1),  # «Ивановой» is only hers, not Пётр's
    ],
)
def test_it_takes_a_surname_alone_that_is_one_persons(text: str, key: int) -> None:
    assert find_named(text, SCHOOL)[0] == key
    assert surname_doubts(text, SCHOOL) == []


def test_it_lists_surnames_alone_in_order_of_mention() -> None:
    assert find_named("Грамота Петровой, Ивановой и Римской-Корсаковой.", STAFF) == [4, 1, 3]


@pytest.mark.parametrize(
    "text",
    [
        "Ударил мороз, занятия перенесли.",  # lower case: a word, not a name
        "Зимой прошёл семинар.",
        "Тарасов пришёл.",  # a man's form; she is Тарасова
        "Зайцевы пришли всей семьёй.",  # a plural is not one of her forms
        "ЦОЙ — ЦЕНТР ОБРАЗОВАНИЯ",  # all capitals: an abbreviation
    ],
)
def test_it_takes_no_lowercase_words_other_genders_or_abbreviations(text: str) -> None:
    assert find_named(text, SCHOOL) == []
    assert surname_doubts(text, SCHOOL) == []


@pytest.mark.parametrize(
    ("text", "word", "key"),
    [
        ("Мороз ударил внезапно.", "мороз", 33),
        ("Зима выдалась снежной.", "зима", 34),
        ("На столе стояла Роза.", "роза", 35),
    ],
)
def test_it_doubts_a_surname_that_is_also_a_common_word(text: str, word: str, key: int) -> None:
    assert find_named(text, SCHOOL) == []
    assert surname_doubts(text, SCHOOL) == [SurnameMention(word, (key,), common=True)]


def test_it_doubts_a_surname_form_of_several_people() -> None:
    # «Иванова»: her nominative and his genitive; «Иванову»: her accusative and his dative.
    text = "Иванова провела урок, Иванову вручили грамоту, Иванова отметили."
    assert find_named(text, SCHOOL) == []
    assert surname_doubts(text, SCHOOL) == [
        SurnameMention("иванова", (1, 2), common=False),
        SurnameMention("иванову", (1, 2), common=False),
    ]


def test_it_doubts_namesakes_sharing_one_surname() -> None:
    twins = [NameRecord(40, "Орлова", "Вера", "", "female"), NameRecord(41, "Орлова", "Анна", "")]
    assert find_named("Выступила Орлова.", twins) == []
    assert surname_doubts("Выступила Орлова.", twins) == [
        SurnameMention("орлова", (40, 41), common=False)
    ]


def test_a_full_naming_is_not_also_a_surname_alone() -> None:
    text = "Выступила Тарасова Виктория Денисовна, Зайцева О. И. вела протокол."
    assert find_named(text, SCHOOL) == [32, 30]
    assert surname_doubts(text, SCHOOL) == []
    # «Иванова М. П.» is Мария, so the surname does not stand alone and is no doubt
    assert surname_doubts("Урок провела Иванова М. П.", SCHOOL) == []


def test_a_surname_beside_someone_elses_initials_or_first_name_is_theirs() -> None:
    # Not in the register: Тарасова Анна, Тарасова А. С. — other people, not Виктория.
    for text in ("Выступила Тарасова Анна.", "Выступила Тарасова А. С.", "А. Тарасова пришла"):
        assert find_named(text, SCHOOL) == []
        assert surname_doubts(text, SCHOOL) == []

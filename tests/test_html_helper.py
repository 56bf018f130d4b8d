"""The page helpers the tests assert with: they find the element, or say why not."""

import pytest

from tests.html import cells, definitions, errors, one, records, text_of, texts

PAGE = """<!doctype html><html class="vi"><body>
<h1>Кадровый <b>реестр</b></h1><p>нет данных<br>в шапке</p>
<table id="t"><thead><tr><th>Имя</th><th>Мест</th></tr></thead>
<tbody><tr><td><a href="/p/1/">Петрова</a></td><td class="num">10</td></tr>
<tr><td>Иванова<img src="x.png" alt=""></td><td class="num">2</td></tr></tbody></table>
<dl><dt>Телефон</dt><dd>+7 900</dd></dl>
<div class="invalid-feedback d-block">Не больше 10.</div>
<script>var x = "<td>не текст</td>";</script>
</body></html>"""


def test_it_reads_one_elements_text_with_spaces_collapsed():
    assert text_of(PAGE, "h1") == "Кадровый реестр"
    assert text_of(PAGE, "html.vi p") == "нет данных в шапке"


def test_it_selects_by_id_class_attribute_and_descendant():
    assert texts(PAGE, "#t td.num") == ["10", "2"]
    assert texts(PAGE, 'a[href="/p/1/"]') == ["Петрова"]
    assert one(PAGE, "img[alt]").attrs["src"] == "x.png"


def test_it_reads_tables_lists_and_errors():
    assert cells(PAGE, "#t") == [["Имя", "Мест"], ["Петрова", "10"], ["Иванова", "2"]]
    assert records(PAGE, "#t")[1] == {"Имя": "Иванова", "Мест": "2"}
    assert definitions(PAGE) == {"Телефон": "+7 900"}
    assert errors(PAGE) == ["Не больше 10."]


def test_it_fails_when_the_element_is_missing_or_not_unique():
    with pytest.raises(AssertionError, match="0 elements match '#none'"):
        text_of(PAGE, "#none")
    with pytest.raises(AssertionError, match=r"2 elements match 'td\.num'"):
        text_of(PAGE, "td.num")
    with pytest.raises(ValueError, match="Unsupported selector"):
        texts(PAGE, "h1 > b")

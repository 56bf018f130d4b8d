"""The font of every generated document unless a school picks another one (ГОСТ Р 7.0.97-2016).

Apart from `docx_page` so that a page comparing a school's font with it does not load
python-docx. Pure: no Django.
"""

FONT = "Times New Roman"

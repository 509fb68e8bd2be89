"""Names as in the passport: the transliteration standards, tested against their own examples."""

import pytest

from evac.people.latin import (
    Standard,
    is_passport_latin,
    latin_offer,
    standard_for,
    transliterate,
)

# The examples printed in the table of Cabinet of Ministers of Ukraine resolution No. 55 of
# 27 January 2010, as the resolution gives them (upper-cased, as a passport prints them).
KMU_55_EXAMPLES = {
    "Алушта": "ALUSHTA",
    "Андрій": "ANDRII",
    "Борщагівка": "BORSHCHAHIVKA",
    "Борисенко": "BORYSENKO",
    "Вінниця": "VINNYTSIA",
    "Володимир": "VOLODYMYR",
    "Гадяч": "HADIACH",
    "Богдан": "BOHDAN",
    "Згурський": "ZGHURSKYI",
    "Ґалаґан": "GALAGAN",
    "Ґорґани": "GORGANY",
    "Донецьк": "DONETSK",
    "Дмитро": "DMYTRO",
    "Рівне": "RIVNE",
    "Олег": "OLEH",
    "Есмань": "ESMAN",
    "Єнакієве": "YENAKIIEVE",
    "Гаєвич": "HAIEVYCH",
    "Короп'є": "KOROPIE",
    "Житомир": "ZHYTOMYR",
    "Жанна": "ZHANNA",
    "Жежелів": "ZHEZHELIV",
    "Закарпаття": "ZAKARPATTIA",
    "Казимирчук": "KAZYMYRCHUK",
    "Медвин": "MEDVYN",
    "Михайленко": "MYKHAILENKO",
    "Іванків": "IVANKIV",
    "Іващенко": "IVASHCHENKO",
    "Їжакевич": "YIZHAKEVYCH",
    "Кадиївка": "KADYIVKA",
    "Мар'їне": "MARINE",
    "Йосипівка": "YOSYPIVKA",
    "Стрий": "STRYI",
    "Олексій": "OLEKSII",
    "Київ": "KYIV",
    "Коваленко": "KOVALENKO",
    "Лебедин": "LEBEDYN",
    "Леонід": "LEONID",
    "Миколаїв": "MYKOLAIV",
    "Маринич": "MARYNYCH",
    "Ніжин": "NIZHYN",
    "Наталія": "NATALIIA",
    "Одеса": "ODESA",
    "Онищенко": "ONYSHCHENKO",
    "Полтава": "POLTAVA",
    "Петро": "PETRO",
    "Решетилівка": "RESHETYLIVKA",
    "Рибчинський": "RYBCHYNSKYI",
    "Суми": "SUMY",
    "Соломія": "SOLOMIIA",
    "Тернопіль": "TERNOPIL",
    "Троць": "TROTS",
    "Ужгород": "UZHHOROD",
    "Уляна": "ULIANA",
    "Фастів": "FASTIV",
    "Філіпчук": "FILIPCHUK",
    "Харків": "KHARKIV",
    "Христина": "KHRYSTYNA",
    "Біла Церква": "BILA TSERKVA",
    "Стеценко": "STETSENKO",
    "Чернівці": "CHERNIVTSI",
    "Шевченко": "SHEVCHENKO",
    "Шостка": "SHOSTKA",
    "Кишеньки": "KYSHENKY",
    "Щербухи": "SHCHERBUKHY",
    "Гоща": "HOSHCHA",
    "Гаращенко": "HARASHCHENKO",
    "Юрій": "YURII",
    "Корюківка": "KORIUKIVKA",
    "Яготин": "YAHOTYN",
    "Ярошенко": "YAROSHENKO",
    "Костянтин": "KOSTIANTYN",
    "Знам'янка": "ZNAMIANKA",
    "Феодосія": "FEODOSIIA",
    # The resolution's note on "зг", and the names the issue quotes.
    "Згорани": "ZGHORANY",
    "Розгон": "ROZGHON",
    "Щербак": "SHCHERBAK",
}


@pytest.mark.parametrize(("cyrillic", "latin"), KMU_55_EXAMPLES.items())
def test_ukrainian_follows_resolution_55_of_2010(cyrillic, latin):
    assert transliterate(cyrillic, standard=Standard.UKRAINIAN) == latin


# ICAO Doc 9303 part 3's Cyrillic table, as Russian passports print it.
ICAO_EXAMPLES = {
    "Щукин": "SHCHUKIN",
    "Юлия": "IULIIA",
    "Наталья": "NATALIA",
    "Пётр": "PETR",
    "Подъячев": "PODIEIACHEV",
    "Хрущёв": "KHRUSHCHEV",
    "Цой": "TSOI",
    "Эрнст": "ERNST",
    "Рыбаков": "RYBAKOV",
    "Жуков": "ZHUKOV",
    "Ђорђевић": "DORDEVIC",
    "Ўладзімір": "ULADZIMIR",
}


@pytest.mark.parametrize(("cyrillic", "latin"), ICAO_EXAMPLES.items())
def test_russian_and_other_cyrillic_follow_icao_9303(cyrillic, latin):
    assert transliterate(cyrillic, standard=Standard.ICAO) == latin


def test_the_same_letters_differ_between_the_two_standards():
    assert transliterate("Юрій", standard=Standard.UKRAINIAN) == "YURII"
    assert transliterate("Юрий", standard=Standard.ICAO) == "IURII"
    assert transliterate("Григорий", standard=Standard.ICAO) == "GRIGORII"
    assert transliterate("Григорій", standard=Standard.UKRAINIAN) == "HRYHORII"


@pytest.mark.parametrize(
    ("text", "country", "standard"),
    [
        ("Юрій", "", Standard.UKRAINIAN),  # і is only Ukrainian
        ("Ґалаґан", "KZ", Standard.UKRAINIAN),
        ("Пётр", "UA", Standard.ICAO),  # ё is only Russian
        ("Подъячев", "UA", Standard.ICAO),
        ("Коваленко", "UA", Standard.UKRAINIAN),  # shared letters: the issuing state
        ("Коваленко", "RU", Standard.ICAO),
        ("Коваленко", "", Standard.ICAO),
    ],
)
def test_the_standard_follows_the_letters_then_the_country(text, country, standard):
    assert standard_for(text, country=country) == standard


@pytest.mark.parametrize(
    ("text", "offer"),
    [
        ("Müller", "MUELLER"),
        ("Øyvind", "OEYVIND"),
        ("Strauß", "STRAUSS"),
        ("Łukasz", "LUKASZ"),
        ("José María", "JOSE MARIA"),
        ("O’Brien", "O'BRIEN"),
        ("Smith-Jones", "SMITH-JONES"),
        ("Іванна  Марія", "IVANNA MARIIA"),
        ("山田", ""),  # nothing Latin to offer: staff write it from the passport
    ],
)
def test_latin_offer(text, offer):
    assert latin_offer(text, country="UA") == offer


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("SHCHERBAK", True),
        ("Savchenko", True),
        ("O'BRIEN", True),
        ("SMITH-JONES ANNA", True),
        ("Щербак", False),
        ("Müller", False),
        ("O’Brien", False),  # a typographic apostrophe is not the MRZ's
        ("R2D2", False),
    ],
)
def test_passport_latin(text, ok):
    assert is_passport_latin(text) is ok


# Kazakh letters, as Kazakhstan's passports print them (the Russian-style ICAO table for
# the shared letters, each Kazakh letter as its nearest Latin one).
KAZAKH_EXAMPLES = {
    "Қуанышев": "KUANYSHEV",
    "Әсел": "ASEL",
    "Ғалым": "GALYM",
    "Жаңабаев": "ZHANABAEV",
    "Өмірзақ": "OMIRZAK",
    "Ұлан": "ULAN",
    "Үмбетов": "UMBETOV",
    "Һадиша": "HADISHA",
}


@pytest.mark.parametrize(("cyrillic", "latin"), KAZAKH_EXAMPLES.items())
def test_kazakh_letters_are_written_not_dropped(cyrillic, latin):
    assert latin_offer(cyrillic, country="KZ") == latin
    # A Kazakh letter says Kazakh whatever the country, even beside a Ukrainian-looking і.
    assert latin_offer(cyrillic, country="UA") == latin


def test_a_letter_with_no_latin_spelling_gets_no_offer_rather_than_a_shorter_name():
    assert latin_offer("Ӏаьржа", country="RU") == ""  # Chechen palochka
    assert latin_offer("Ivanov 山", country="RU") == ""

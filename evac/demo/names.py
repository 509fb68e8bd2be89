"""Synthetic names for the demo, and the passport transliteration that gives their Latin form.

Ukrainian passports write names in Latin letters by the Cabinet of Ministers' rules of 2010
(resolution no. 55), so the demo keeps only the Cyrillic names and derives the Latin ones:
the two spellings can never disagree, and a reviewer can check one against a real passport.
"""

from evac.people.latin import Standard, transliterate


def to_latin(cyrillic: str) -> str:
    """Гончаренко → Honcharenko, Юлія → Yuliia, Згурський → Zghurskyi (people.latin's rules)."""
    return transliterate(cyrillic, standard=Standard.UKRAINIAN).title()


# Surnames that are the same for women and men.
SURNAMES = (
    "Гончаренко", "Шевченко", "Бондаренко", "Коваленко", "Ткаченко", "Кравченко", "Олійник",
    "Шевчук", "Поліщук", "Ковальчук", "Мельник", "Лисенко", "Марченко", "Руденко",
    "Савченко", "Петренко", "Клименко", "Павленко", "Мороз", "Гриценко", "Зінченко", "Бойко",
    "Козак", "Левченко", "Харченко", "Діденко", "Яремчук", "Гаврилюк", "Романюк", "Кузьменко",
    "Вакуленко", "Дорошенко", "Федорчук", "Пономаренко", "Сидоренко", "Яценко", "Журавель",
    "Семенюк", "Данилюк", "Осадчук", "Гуменюк", "Вовк", "Гордієнко", "Кушнір", "Ничипорук",
    "Прокопенко", "Мартинюк", "Костенко", "Литвиненко", "Білоус", "Кравець", "Гнатюк",
    "Остапенко", "Юрченко", "Ярошенко", "Тимченко", "Стасюк", "Головко", "Заїка", "Ющук",
)  # fmt: skip
# Surnames with a masculine and a feminine form.
SURNAME_PAIRS = (
    ("Ковальський", "Ковальська"),
    ("Савицький", "Савицька"),
    ("Завадський", "Завадська"),
    ("Вишневський", "Вишневська"),
    ("Згурський", "Згурська"),
)

MEN = (
    "Андрій", "Олександр", "Сергій", "Дмитро", "Володимир", "Іван", "Михайло", "Микола",
    "Василь", "Юрій", "Олег", "Богдан", "Тарас", "Віталій", "Ярослав", "Максим", "Артем",
    "Денис", "Павло", "Петро", "Роман", "Євген", "Ігор", "Степан", "Віктор", "Олексій",
    "Руслан", "Костянтин",
)  # fmt: skip
WOMEN = (
    "Оксана", "Олена", "Ірина", "Наталія", "Тетяна", "Юлія", "Світлана", "Марія", "Анна",
    "Катерина", "Людмила", "Вікторія", "Дарина", "Ганна", "Лариса", "Надія", "Ольга", "Яна",
    "Христина", "Алла", "Євгенія", "Зоряна", "Інна", "Леся", "Мар'яна",
)  # fmt: skip
BOYS = ("Марко", "Матвій", "Назар", "Данило", "Тимофій", "Остап", "Артем", "Максим", "Ілля")
GIRLS = ("Софія", "Злата", "Мирослава", "Анастасія", "Вероніка", "Єва", "Поліна", "Соломія")
OLDER_MEN = ("Микола", "Василь", "Петро", "Іван", "Анатолій", "Григорій", "Леонід", "Федір")
OLDER_WOMEN = ("Галина", "Валентина", "Ніна", "Людмила", "Раїса", "Віра", "Лідія", "Тамара")

# Kazakh spouses: (surname, given name) in Latin as in a Kazakh passport, then in Cyrillic.
KAZAKH_WIVES = (
    ("Zhumabekova", "Aigerim", "Жумабекова", "Айгерим"),
    ("Iskakova", "Dana", "Искакова", "Дана"),
)
KAZAKH_HUSBANDS = (("Abdrakhmanov", "Nurlan", "Абдрахманов", "Нурлан"),)

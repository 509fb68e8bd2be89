import re

import pytest
from django.urls import reverse
from pyuca import Collator

pytestmark = pytest.mark.django_db

# What the home page says in each language: the register button, the open flight's status,
# its date (a month name as it follows the day) and the note on local time.
HOME_IN = {
    "uk": ("Я не можу виїхати: зареєструватися", "Відкрито для бронювання", "13 січня"),
    "ru": ("Я не могу выехать: зарегистрироваться", "Открыто бронирование", "13 января"),
}
LOCAL_TIME_IN = {"uk": "місцевий час, UTC+5", "ru": "местное время, UTC+5"}
LANGUAGE_LABEL_IN = {"uk": "Мова", "ru": "Язык"}


@pytest.mark.parametrize(
    "header, language",
    [
        ("uk", "uk"),
        ("ru", "ru"),
        # A phone bought in Kazakhstan, set to Russian.
        ("ru-KZ,ru;q=0.9,kk;q=0.8,en-US;q=0.7,en;q=0.6", "ru"),
    ],
)
def test_the_browser_language_gives_the_page_in_that_language(
    client, operation, flight, header, language
):
    page = client.get(
        reverse("portal:home", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=header
    ).content.decode()
    assert all(text in page for text in HOME_IN[language])
    assert LOCAL_TIME_IN[language] in page
    assert f'<html lang="{language}">' in page
    assert f'<option value="{language}" lang="{language}" selected>' in page


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_footer_switches_the_language(client, operation, language):
    home = reverse("portal:home", args=[operation.slug])
    assert f'<option value="{language}" lang="{language}">' in client.get(home).content.decode()
    response = client.post(reverse("set_language"), {"language": language, "next": home})
    assert response.status_code == 302
    # The choice outlasts a browser that asks for English.
    page = client.get(home, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert LANGUAGE_LABEL_IN[language] in page and f'<html lang="{language}">' in page
    # Each language is offered in its own words, whatever the page's language.
    for code, name in (("en", "English"), ("uk", "Українська"), ("ru", "Русский")):
        assert re.search(f'<option value="{code}" lang="{code}"( selected)?>{name}</option>', page)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_a_person_registering_in_a_language_is_written_to_in_it_by_default(
    client, operation, language
):
    page = client.get(
        reverse("portal:register", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'<option value="{language}" selected>' in page


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_each_public_page_is_small(client, operation, flight, language):
    for name in ("home", "register", "status"):
        page = client.get(
            reverse(f"portal:{name}", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=language
        )
        assert page.status_code == 200 and len(page.content) < 30_000, (name, language)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_nationality_list_is_in_the_alphabet_of_the_page(client, operation, language):
    page = client.get(
        reverse("portal:register", args=[operation.slug]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    select = re.search(r'<select name="[^"]*nationality"[^>]*>(.*?)</select>', page, re.S)
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)<', select[1])
    # Cyrillic names in dictionary order (django-countries sorts them with pyuca), not in
    # the order of their English names.
    assert names[0].startswith("А")
    assert names == sorted(names, key=Collator().sort_key)

"""Families read the page around the family pages (header, footer, navigation) in their own language too."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SHELL_IN = {
    "uk": ["Перейти до основного вмісту", "Записати дитину до школи", "Заява про доступність"],
    "ru": ["Перейти к основному содержанию", "Записать ребёнка в школу", "Заявление о доступности"],
    "tr": ["Ana içeriğe geç", "Çocuğu okula kaydettir", "Erişilebilirlik beyanı"],
    "ar": ["الانتقال إلى المحتوى الرئيسي", "تسجيل طفل في المدرسة", "بيان إمكانية الوصول"],
    "fa": ["رفتن به محتوای اصلی", "ثبت‌نام کودک در مدرسه", "بیانیهٔ دسترس‌پذیری"],
}


@pytest.mark.parametrize("language", sorted(SHELL_IN))
def test_the_page_shell_of_the_family_pages_speaks_the_familys_language(client, language):
    client.cookies["django_language"] = language
    content = client.get(reverse("schooling:preregistration_form")).content.decode()
    for text in SHELL_IN[language]:
        assert text in content
    for german in ("Zum Hauptinhalt springen", "Erklärung zur Barrierefreiheit", "Kind zur Schule anmelden"):
        assert german not in content

"""Labels of a small form in 32 languages (written for this test set).

Each language has two field labels, three button labels and a value to type. The pages
built from them (:mod:`devtools.languages.page`) are what the OCR engines read and what
the offline policy acts on.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Language(BaseModel):
    """One language of the test set.

    Attributes:
        code: ISO 639-3-style code, also the Tesseract pack name.
        name: English name.
        html_lang: BCP 47 tag for the page's ``lang`` attribute (picks the right CJK glyphs).
        rtl: Written right to left.
        name_label: Label of the first field ("Full name").
        city_label: Label of the second field ("City").
        buttons: Labels of three buttons ("Save", "Cancel", "Send").
        value: A city name to type into the second field.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    html_lang: str
    rtl: bool = False
    name_label: str
    city_label: str
    buttons: tuple[str, str, str]
    value: str

    @property
    def texts(self) -> tuple[str, ...]:
        """Every label shown on the page (the OCR ground truth)."""
        return (self.name_label, self.city_label, *self.buttons)


def _l(code: str, name: str, tag: str, labels: str, value: str, *, rtl: bool = False) -> Language:
    n, c, b1, b2, b3 = labels.split("|")
    return Language(
        code=code,
        name=name,
        html_lang=tag,
        rtl=rtl,
        name_label=n,
        city_label=c,
        buttons=(b1, b2, b3),
        value=value,
    )


LANGUAGES: tuple[Language, ...] = (
    _l("eng", "English", "en", "Full name|City|Save|Cancel|Send", "London"),
    _l("fra", "French", "fr", "Nom complet|Ville|Enregistrer|Annuler|Envoyer", "Genève"),
    _l("deu", "German", "de", "Vollständiger Name|Stadt|Speichern|Abbrechen|Senden", "München"),
    _l("spa", "Spanish", "es", "Nombre completo|Ciudad|Guardar|Cancelar|Enviar", "Málaga"),
    _l("ita", "Italian", "it", "Nome completo|Città|Salva|Annulla|Invia", "Forlì"),
    _l("por", "Portuguese", "pt", "Nome completo|Cidade|Guardar|Cancelar|Enviar", "São Paulo"),
    _l("nld", "Dutch", "nl", "Volledige naam|Stad|Opslaan|Annuleren|Verzenden", "Utrecht"),
    _l("pol", "Polish", "pl", "Imię i nazwisko|Miasto|Zapisz|Anuluj|Wyślij", "Łódź"),
    _l("ces", "Czech", "cs", "Celé jméno|Město|Uložit|Zrušit|Odeslat", "Plzeň"),
    _l("swe", "Swedish", "sv", "Fullständigt namn|Stad|Spara|Avbryt|Skicka", "Göteborg"),
    _l("dan", "Danish", "da", "Fulde navn|By|Gem|Annuller|Send", "Århus"),
    _l("fin", "Finnish", "fi", "Koko nimi|Kaupunki|Tallenna|Peruuta|Lähetä", "Jyväskylä"),
    _l("hun", "Hungarian", "hu", "Teljes név|Város|Mentés|Mégse|Küldés", "Győr"),
    _l("ron", "Romanian", "ro", "Nume complet|Oraș|Salvează|Anulează|Trimite", "Brașov"),
    _l("tur", "Turkish", "tr", "Ad soyad|Şehir|Kaydet|İptal|Gönder", "İzmir"),
    _l("ind", "Indonesian", "id", "Nama lengkap|Kota|Simpan|Batal|Kirim", "Surabaya"),
    _l("vie", "Vietnamese", "vi", "Họ và tên|Thành phố|Lưu|Hủy|Gửi", "Đà Nẵng"),
    _l("rus", "Russian", "ru", "Полное имя|Город|Сохранить|Отмена|Отправить", "Москва"),
    _l("ukr", "Ukrainian", "uk", "Повне ім'я|Місто|Зберегти|Скасувати|Надіслати", "Київ"),
    _l("bul", "Bulgarian", "bg", "Пълно име|Град|Запази|Отказ|Изпрати", "София"),
    _l("ell", "Greek", "el", "Ονοματεπώνυμο|Πόλη|Αποθήκευση|Ακύρωση|Αποστολή", "Αθήνα"),
    _l("ara", "Arabic", "ar", "الاسم الكامل|المدينة|حفظ|إلغاء|إرسال", "القاهرة", rtl=True),
    _l("fas", "Persian", "fa", "نام کامل|شهر|ذخیره|لغو|ارسال", "تهران", rtl=True),
    _l("heb", "Hebrew", "he", "שם מלא|עיר|שמירה|ביטול|שליחה", "חיפה", rtl=True),
    _l("hin", "Hindi", "hi", "पूरा नाम|शहर|सहेजें|रद्द करें|भेजें", "दिल्ली"),
    _l("mar", "Marathi", "mr", "पूर्ण नाव|शहर|जतन करा|रद्द करा|पाठवा", "पुणे"),
    _l("ben", "Bengali", "bn", "পুরো নাম|শহর|সংরক্ষণ|বাতিল|পাঠান", "ঢাকা"),
    _l("tha", "Thai", "th", "ชื่อเต็ม|เมือง|บันทึก|ยกเลิก|ส่ง", "เชียงใหม่"),
    _l("jpn", "Japanese", "ja", "氏名|都市|保存|キャンセル|送信", "東京"),
    _l("kor", "Korean", "ko", "이름|도시|저장|취소|보내기", "서울"),
    _l("chi_sim", "Chinese (simplified)", "zh-Hans", "姓名|城市|保存|取消|发送", "北京"),
    _l("chi_tra", "Chinese (traditional)", "zh-Hant", "姓名|城市|儲存|取消|傳送", "臺北"),
)


def by_code(codes: list[str] | tuple[str, ...] | None = None) -> list[Language]:
    """The languages with these codes (all when ``None``), in table order."""
    if not codes:
        return list(LANGUAGES)
    known = {lang.code: lang for lang in LANGUAGES}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise KeyError(f"unknown language codes: {', '.join(unknown)}")
    return [known[c] for c in codes]

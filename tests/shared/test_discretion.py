"""The discretion guard reads texts as people see them, and knows the topic's words in every language.

Before (commit 1bd87c3: stems matched as substrings of ``text.casefold()``), run with
``pytest tests/shared/test_discretion.py``: 62 failed, 71 passed. 17 of the 23
look-alike texts passed the guard (zero-width characters, full-width and
mathematical letters, Cyrillic and Greek look-alikes, diacritics, "viol." at
the end of a sentence, Arabic tatweel, vowel marks and presentation forms,
Latin letters in a Cyrillic word, Turkish İ); 41 of the 75 texts naming a topic
were not recognised (shelters, honour-based violence, forced marriage,
trafficking, LGBTQI+ terms, incest in most languages); and "Grape harvest",
"Geweldige avond!" and "الجنسية والإقامة" (nationality and residence) were
refused. After: all 133 pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.discretion import SENSITIVE, is_discreet, sensitive_words_in
from shared.i18n import SUPPORTED

ROOT = Path(__file__).resolve().parents[2]

#: "Rape support" and other topic words, typed so that a reader sees them but a plain comparison does not.
LOOK_ALIKES = {
    "zero-width space inside the word": "Ra\u200bpe support",
    "zero-width space between the words": "Rape\u200bsupport",
    "zero-width joiner and soft hyphen": "Ra\u200dp\u00ade support",
    "word joiner and a bidi mark": "R\u2060ap\u200ee support",
    "full-width letters": "Ｒａｐｅ support",
    "mathematical bold letters": "𝐑𝐚𝐩𝐞 support",
    "Cyrillic а in a Latin word": "R\u0430pe support",
    "Cyrillic а, е, о": "Viоl\u0435nc\u0435 \u0430nd help",
    "Greek alpha and rho": "R\u03b1\u03c1e support",
    "word at the end of a sentence": "Support after rape.",
    "French word before a full stop": "Parler du viol.",
    "upper case and an exclamation mark": "RAPE!",
    "diacritics added": "Rápè support",
    "combining marks added": "Ra\u0301pe\u0308 support",
    "another script right after it": "Rapeподдержка",
    "digits right after it": "Rape2026 evening",
    "Arabic with tatweel": "لقاء حول العـــنف",
    "Arabic with vowel marks and a prefix": "وَالاِغْتِصَاب",
    "Arabic presentation forms": "\ufecb\ufee8\ufed2",
    "Persian with a zero-width non-joiner": "خشونت\u200cهای خانگی",
    "Latin letters inside a Cyrillic word": "Про н\u0061\u0063илие",
    "Turkish dotless i in upper case": "CİNSEL SAĞLIK",
    "Ukrainian with a Latin a": "Після зґв\u0061лтування",
}


@pytest.mark.parametrize("text", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_a_look_alike_text_is_refused(text: str) -> None:
    assert sensitive_words_in(text), "this text names the topic to a reader and must be refused"
    assert not is_discreet(text)


#: per language, texts that name one of the topics (language, what, text).
CATALOGUE = [
    ("en", "shelter", "Visit to the women's shelter"),
    ("en", "honour-based violence", "Honour-based violence"),
    ("en", "honour killing", "Honour killings and family"),
    ("en", "trafficking", "Human trafficking"),
    ("en", "forced marriage", "Forced marriage"),
    ("en", "FGM", "Female genital cutting"),
    ("en", "LGBTQI+", "LGBTQI+ evening"),
    ("en", "LGBTQI+", "Queer coffee"),
    ("en", "abuse", "Child abuse"),
    ("en", "incest", "Incest"),
    ("en", "domestic violence", "Domestic violence"),
    ("nl", "shelter", "Bezoek aan de vrouwenopvang"),
    ("nl", "honour-based violence", "Eergerelateerd geweld"),
    ("nl", "honour revenge", "Over eerwraak"),
    ("nl", "trafficking", "Mensenhandel"),
    ("nl", "forced marriage", "Gedwongen huwelijken"),
    ("nl", "forced marriage", "Huwelijksdwang"),
    ("nl", "FGM", "Vrouwenbesnijdenis"),
    ("nl", "LGBTQI+", "LHBTI-café"),
    ("nl", "abuse", "Kindermisbruik"),
    ("nl", "domestic violence", "Partnergeweld"),
    ("nl", "rape", "Na een verkrachting"),
    ("ar", "violence", "العنف الأسري"),
    ("ar", "rape", "الاغتصاب"),
    ("ar", "trafficking", "الاتجار بالبشر"),
    ("ar", "forced marriage", "الزواج القسري"),
    ("ar", "FGM", "ختان الإناث"),
    ("ar", "honour crimes", "جرائم الشرف"),
    ("ar", "LGBTQI+", "المثليين"),
    ("ar", "incest", "زنا المحارم"),
    ("ar", "harassment", "التحرش"),
    ("fa", "violence", "خشونت خانگی"),
    ("fa", "trafficking", "قاچاق انسان"),
    ("fa", "forced marriage", "ازدواج اجباری"),
    ("fa", "honour killing", "قتل ناموسی"),
    ("fa", "LGBTQI+", "همجنسگرایان"),
    ("fa", "FGM", "ختنه زنان"),
    ("fa-AF", "harassment", "آزار و اذیت"),
    ("ps", "violence", "کورنی تاوتریخوالی"),
    ("ps", "forced marriage", "جبري واده"),
    ("ti", "violence", "ዓመጽ ኣብ ገዛ"),
    ("ti", "sexual", "ጾታዊ ዓመጽ"),
    ("ti", "FGM", "ግርዛት ኣንስቲ"),
    ("so", "rape", "Kufsiga"),
    ("so", "FGM", "Gudniinka gabdhaha"),
    ("so", "forced marriage", "Guurka qasabka ah"),
    ("so", "trafficking", "Ka ganacsiga dadka"),
    ("tr", "violence", "Aile içi şiddet"),
    ("tr", "rape", "Tecavüz"),
    ("tr", "honour killing", "Namus cinayetleri"),
    ("tr", "forced marriage", "Zorla evlendirme"),
    ("tr", "trafficking", "İnsan ticareti"),
    ("tr", "shelter", "Kadın sığınma evi"),
    ("tr", "LGBTQI+", "Eşcinsel bireyler"),
    ("uk", "violence", "Домашнє насильство"),
    ("uk", "rape", "Зґвалтування"),
    ("uk", "trafficking", "Торгівля людьми"),
    ("uk", "forced marriage", "Примусовий шлюб"),
    ("uk", "LGBTQI+", "ЛГБТ-спільнота"),
    ("ru", "violence", "Домашнее насилие"),
    ("ru", "rape", "Изнасилование"),
    ("ru", "trafficking", "Торговля людьми"),
    ("ru", "honour killing", "Убийства чести"),
    ("ru", "FGM", "Женское обрезание"),
    ("ru", "shelter", "Приют для женщин"),
    ("fr", "violence", "Violences conjugales"),
    ("fr", "rape", "Après un viol"),
    ("fr", "forced marriage", "Mariage forcé"),
    ("fr", "honour crime", "Crimes d'honneur"),
    ("fr", "trafficking", "Traite des êtres humains"),
    ("fr", "FGM", "Excision"),
    ("fr", "incest", "Inceste"),
    ("ku", "violence", "Tundiya malbatî"),
    ("ku", "forced marriage", "Zewaca bi zorê"),
    ("ku", "honour killing", "Kuştina namûsê"),
    ("ckb", "violence", "توندوتیژیی خێزانی"),
    ("ckb", "sexual", "دەستدرێژیی سێکسی"),
    ("ckb", "FGM", "خەتەنەکردنی کچان"),
    ("ckb", "forced marriage", "هاوسەرگیریی زۆرەملێ"),
    ("ckb", "trafficking", "بازرگانی بە مرۆڤەوە"),
    ("ckb", "shelter", "پەناگەی ژنان"),
    ("ckb", "HIV", "ئایدز"),
    ("ckb", "LGBTQI+", "هاوڕەگەزەکان"),
    ("am", "sexual violence", "ጾታዊ ጥቃት"),
    ("am", "rape", "አስገድዶ መድፈር"),
    ("am", "FGM", "የሴት ልጅ ግርዛት"),
    ("am", "forced marriage", "የግዳጅ ጋብቻ"),
    ("am", "child marriage", "ያለዕድሜ ጋብቻ"),
    ("am", "trafficking", "ሕገወጥ የሰው ዝውውር"),
    ("am", "shelter", "የሴቶች መጠለያ"),
    ("am", "HIV", "ኤች አይ ቪ"),
    ("am", "LGBTQI+", "ግብረ ሰዶማውያን"),
]


@pytest.mark.parametrize(
    ("locale", "what", "text"), CATALOGUE, ids=[f"{r[0]}-{r[1]}-{i}" for i, r in enumerate(CATALOGUE)]
)
def test_the_catalogue_names_the_topics_in_each_language(locale: str, what: str, text: str) -> None:
    assert sensitive_words_in(text), f"{locale}: {what} is not recognised"


def test_every_language_brug_speaks_has_words_and_the_table_tries_each() -> None:
    assert {locale.split("-")[0] for locale in SUPPORTED} <= set(SENSITIVE)
    assert {locale for locale, _, _ in CATALOGUE} == set(SUPPORTED)


#: everyday titles and places, which a guard that is too eager would refuse.
EVERYDAY = [
    "Thursday meeting",
    "Thursday afternoon meeting",
    "Women's café",
    "Help and health",
    "Language café for women",
    "Meeting for parents",
    "Grape harvest",
    "Therapist's open hour",
    "Essex Road 12",
    "Violenstraat 3",
    "Geweldige avond!",
    "Bijeenkomst voor vrouwen",
    "Eer en familie",
    "Honour and family",
    "Marriage and family life",
    "Opvang en wonen",
    "Asielzoekerscentrum Oost",
    "Sığınmacılar için buluşma",
    "Perşembe buluşması",
    "لقاء يوم الخميس",
    "مقهى النساء",
    "الجنسية والإقامة",
    "جلسه پنجشنبه",
    "د پنجشنبې غونډه",
    "ናይ ሓሙስ ኣኼባ",
    "Kulanka Khamiista",
    "Зустріч у четвер",
    "Встреча в четверг",
    "Rencontre du jeudi",
    "Café des femmes",
    "Civîna Pêncşemê",
    "کۆبوونەوەی پێنجشەممە",
    "کافێی ژنان",
    "کۆبوونەوە لە ئازاردا",  # in March: ئازار alone is not a topic word
    "የሐሙስ ስብሰባ",
    "የሴቶች ቡና",
    "ጤና እና ቤተሰብ",
    "K7QF-93XA",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_titles_and_places_pass(text: str) -> None:
    assert sensitive_words_in(text) == []


#: how the README and the tests write public titles and names: "public_title": "…" or public_name="…".
WRITTEN = re.compile(r"\bpublic_(?:title|name)\"?\s*[:=]\s*\"([^\"]+)\"")


def test_the_readme_and_test_suite_titles_still_pass() -> None:
    sources = [ROOT / "README.md", *sorted((ROOT / "tests").rglob("*.py"))]
    written = {title for path in sources for title in WRITTEN.findall(path.read_text())}
    assert len(written) >= 10 and "Thursday meeting" in written and "Keizersgracht 12" in written
    assert {title: sensitive_words_in(title) for title in written if sensitive_words_in(title)} == {}


def test_a_refusal_names_catalogue_entries_never_the_text() -> None:
    text = "Ra\u200bpe support"
    found = sensitive_words_in(text)
    assert found == ["rape"]
    assert all(entry in {e for entries in SENSITIVE.values() for e in entries} for entry in found)


#: Sorani topic words as people type them without a Sorani keyboard: heh (or heh and a zero-width
#: non-joiner, the Persian keyboard's way) for ە, yeh for ێ, waw for ۆ, lam for ڵ, reh for ڕ, feh for ڤ.
SORANI_TYPED_ELSEWHERE = {
    "heh for ae": "لاقهکردن",
    "heh and ZWNJ for ae": "ده\u200cستدرێژی",
    "yeh for yeh with v": "دەستدریژی",
    "both": "دهستدریژی سیکسی",
    "heh in a phrase": "کوشتنی شهرهف",
    "lam for l with v": "هاوسهرگیری مندالان",
    "waw and feh": "بازرگانی به مروف",
    "reh for rr": "هاورەگەزەکان",
}


@pytest.mark.parametrize("text", SORANI_TYPED_ELSEWHERE.values(), ids=SORANI_TYPED_ELSEWHERE.keys())
def test_sorani_words_typed_with_arabic_or_persian_letters_are_refused(text: str) -> None:
    """Before: all eight passed the guard (only the Sorani letters themselves were in the catalogue)."""
    assert sensitive_words_in(text) != []

"""What a feedback comment loses on receipt: e-mail addresses, phone numbers, street addresses,
postcodes, house numbers; and what it keeps: the numbers of ordinary feedback."""

from __future__ import annotations

import pytest

from shared.redaction import scrub_comment

SCRUBBED = {
    # Dutch streets: a suffix joined to the name, or a separate word
    "Kalverstraat 5": ("I live at Kalverstraat 5.", "I live at [address]."),
    "Van Woustraat 12-3": ("Kom naar Van Woustraat 12-3 om 5 uur", "Kom naar [address] om 5 uur"),
    "Laan van Meerdervoort 100a": ("Ik woon Laan van Meerdervoort 100a", "Ik woon [address]"),
    "Keizersgracht 12 hs": ("Keizersgracht 12 hs, bel aan", "[address], bel aan"),
    "Prins Hendrikkade 33bis": ("at Prins Hendrikkade 33 bis", "at [address]"),
    "Bijlmerdreef 101": ("zij woont op bijlmerdreef 101", "zij woont op [address]"),
    "Rozenweg 4": ("Rozenweg 4", "[address]"),
    "Oudezijds Achterburgwal 12": ("Oudezijds Achterburgwal 12", "[address]"),
    "Burgemeester Stramanweg 105": ("Burgemeester Stramanweg 105", "[address]"),
    "Singel 250": ("we met at Singel 250 yesterday", "we met at [address] yesterday"),
    "Mercatorplein 1": ("Mercatorplein 1", "[address]"),
    "Postbus 123": ("stuur naar Postbus 123", "stuur naar [address]"),
    "abbreviated": ("Kalverstr. 5", "[address]"),
    "a street without its number": ("she lives in the Kalverstraat", "she lives in the [address]"),
    "with a postcode and a city": ("Kalverstraat 5, 1012 NX Amsterdam", "[address] Amsterdam"),
    # Dutch postcodes on their own
    "postcode with a space": ("my postcode is 1012 AB", "my postcode is [postcode]"),
    "postcode without a space": ("postcode 1012AB", "postcode [postcode]"),
    "postcode in lower case without a space": ("postcode 1012ab", "postcode [postcode]"),
    # house numbers with an addition, with no street named
    "12a": ("nummer 12a, derde etage", "nummer [number], derde etage"),
    "12-hs": ("huisnummer 12-hs", "huisnummer [number]"),
    "12 bis": ("number 12 bis", "number [number]"),
    "12-II": ("op 12-II", "op [number]"),
    # Belgium and Germany (BRUG_SMS_COUNTRIES defaults to NL, BE, DE)
    "Rue de la Loi 16": ("Rue de la Loi 16, 1000 Bruxelles", "[address] Bruxelles"),
    "Avenue Louise 54": ("avenue Louise 54 bus 3", "[address]"),
    "Hauptstraße 5": ("Hauptstraße 5", "[address]"),
    "Berliner Strasse 12b": ("in der Berliner Strasse 12b", "in der [address]"),
    "Marktplatz 3, 10115 Berlin": ("Marktplatz 3, 10115 Berlin", "[address] Berlin"),
    "Meir 50 (Antwerp)": ("Meir 50", "Meir 50"),  # a street with no street word: a coordinator must read
    # digits of another script
    "Persian digits": ("Kalverstraat ۵", "[address]"),
}


@pytest.mark.parametrize(("text", "scrubbed"), SCRUBBED.values(), ids=SCRUBBED.keys())
def test_addresses_postcodes_and_house_numbers_are_scrubbed(text: str, scrubbed: str) -> None:
    assert scrub_comment(text) == scrubbed


KEPT = [
    "I have 2 children aged 5 and 7",
    "I give it 10 out of 10, 3 times better than last year",
    "We waited 15 minutes; the meeting was at 14:00 on 3 December 2026",
    "In 2024 I came to the Netherlands; in 2025 it is better",
    "My iPad 5 and the 10am bus",
    "during 5 days, the first place 3 times",
    "Ik ben weg om 5 uur, de 2e keer was beter",
    "Ik was onderweg en kwam 10 minuten te laat, ik was onderweg 10 minuten",
    "The court (gerechtshof) and the kerkhof are far",
    "Page 12 of the booklet, question 3a was hard",
    "It took 2h, 4x better than I feared",
    "Please do more in room 2, with 12 chairs",
    "Plein was full 5 times",
    "De 5-7 jarigen speelden buiten",
]


@pytest.mark.parametrize("text", KEPT)
def test_the_numbers_of_ordinary_feedback_stay(text: str) -> None:
    assert scrub_comment(text) == text


def test_phones_and_emails_are_still_scrubbed_beside_an_address() -> None:
    text = "Bel 06 12345678 of mail amal@example.org, Kalverstraat 5"
    assert scrub_comment(text) == "Bel [phone] of mail [email], [address]"

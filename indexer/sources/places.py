"""Where a site is: a country name → ISO 3166-1 alpha-2, and the Korean 시/도 a record states.

A region is read only from what names a place (a state or province field, a city that is itself a
시/도 such as Seoul or Busan, an address); never from a facility's name ("Seoul National
University Bundang Hospital" is in 경기도).
"""

from __future__ import annotations

import re
import unicodedata

from trials.regions import REGIONS, region_named

# Country names as registries write them (ClinicalTrials.gov uses ISO's "Korea, Republic of").
_COUNTRIES = {
    "KR": ("Korea, Republic of", "Republic of Korea", "South Korea", "Korea", "대한민국", "한국"),
    "KP": ("Korea, Democratic People's Republic of", "North Korea"),
    "US": ("United States", "United States of America", "USA"),
    "JP": ("Japan",),
    "CN": ("China", "People's Republic of China"),
    "TW": ("Taiwan", "Taiwan, Province of China"),
    "HK": ("Hong Kong",),
    "MO": ("Macau", "Macao"),
    "SG": ("Singapore",),
    "MY": ("Malaysia",),
    "TH": ("Thailand",),
    "VN": ("Vietnam", "Viet Nam"),
    "PH": ("Philippines",),
    "ID": ("Indonesia",),
    "IN": ("India",),
    "PK": ("Pakistan",),
    "BD": ("Bangladesh",),
    "LK": ("Sri Lanka",),
    "NP": ("Nepal",),
    "MN": ("Mongolia",),
    "KZ": ("Kazakhstan",),
    "UZ": ("Uzbekistan",),
    "AU": ("Australia",),
    "NZ": ("New Zealand",),
    "CA": ("Canada",),
    "MX": ("Mexico",),
    "BR": ("Brazil",),
    "AR": ("Argentina",),
    "CL": ("Chile",),
    "CO": ("Colombia",),
    "PE": ("Peru",),
    "VE": ("Venezuela",),
    "EC": ("Ecuador",),
    "UY": ("Uruguay",),
    "PA": ("Panama",),
    "CR": ("Costa Rica",),
    "GT": ("Guatemala",),
    "DO": ("Dominican Republic",),
    "PR": ("Puerto Rico",),
    "CU": ("Cuba",),
    "GB": ("United Kingdom", "UK", "Great Britain"),
    "IE": ("Ireland",),
    "FR": ("France",),
    "DE": ("Germany",),
    "IT": ("Italy",),
    "ES": ("Spain",),
    "PT": ("Portugal",),
    "NL": ("Netherlands", "The Netherlands"),
    "BE": ("Belgium",),
    "LU": ("Luxembourg",),
    "CH": ("Switzerland",),
    "AT": ("Austria",),
    "DK": ("Denmark",),
    "SE": ("Sweden",),
    "NO": ("Norway",),
    "FI": ("Finland",),
    "IS": ("Iceland",),
    "PL": ("Poland",),
    "CZ": ("Czechia", "Czech Republic"),
    "SK": ("Slovakia",),
    "HU": ("Hungary",),
    "RO": ("Romania",),
    "BG": ("Bulgaria",),
    "GR": ("Greece",),
    "HR": ("Croatia",),
    "SI": ("Slovenia",),
    "RS": ("Serbia",),
    "BA": ("Bosnia and Herzegovina",),
    "MK": ("North Macedonia", "Macedonia, The Former Yugoslav Republic of"),
    "AL": ("Albania",),
    "ME": ("Montenegro",),
    "EE": ("Estonia",),
    "LV": ("Latvia",),
    "LT": ("Lithuania",),
    "BY": ("Belarus",),
    "UA": ("Ukraine",),
    "MD": ("Moldova", "Moldova, Republic of"),
    "RU": ("Russian Federation", "Russia"),
    "GE": ("Georgia",),
    "AM": ("Armenia",),
    "AZ": ("Azerbaijan",),
    "TR": ("Turkey", "Türkiye"),
    "CY": ("Cyprus",),
    "MT": ("Malta",),
    "IL": ("Israel",),
    "PS": ("Palestine", "Palestinian Territory, occupied", "Palestine, State of"),
    "LB": ("Lebanon",),
    "JO": ("Jordan",),
    "SY": ("Syrian Arab Republic", "Syria"),
    "IQ": ("Iraq",),
    "IR": ("Iran, Islamic Republic of", "Iran"),
    "SA": ("Saudi Arabia",),
    "AE": ("United Arab Emirates",),
    "QA": ("Qatar",),
    "KW": ("Kuwait",),
    "BH": ("Bahrain",),
    "OM": ("Oman",),
    "YE": ("Yemen",),
    "EG": ("Egypt",),
    "LY": ("Libya", "Libyan Arab Jamahiriya"),
    "TN": ("Tunisia",),
    "DZ": ("Algeria",),
    "MA": ("Morocco",),
    "SD": ("Sudan",),
    "ET": ("Ethiopia",),
    "KE": ("Kenya",),
    "UG": ("Uganda",),
    "TZ": ("Tanzania", "Tanzania, United Republic of"),
    "RW": ("Rwanda",),
    "NG": ("Nigeria",),
    "GH": ("Ghana",),
    "SN": ("Senegal",),
    "CI": ("Côte D'Ivoire", "Cote d'Ivoire", "Ivory Coast"),
    "CM": ("Cameroon",),
    "CD": ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
    "ZA": ("South Africa",),
    "ZW": ("Zimbabwe",),
    "ZM": ("Zambia",),
    "MW": ("Malawi",),
    "MZ": ("Mozambique",),
    "BW": ("Botswana",),
}


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    return re.sub(r"\s+", " ", folded).strip()


_CODE_OF = {_key(name): code for code, names in _COUNTRIES.items() for name in names}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country name ("Korea, Republic of" → KR); None if unknown."""
    return _CODE_OF.get(_key(name)) if name else None


# Romanised stems of the 시/도 (several romanisations are in use), in REGIONS' order.
_STEMS = (
    ("seoul",),
    ("busan", "pusan"),
    ("daegu", "taegu"),
    ("incheon", "inchon"),
    ("gwangju", "kwangju"),
    ("daejeon", "daejon", "taejon"),
    ("ulsan",),
    ("sejong",),
    ("gyeonggi", "gyounggi", "kyonggi", "kyeonggi", "kyunggi", "gyeongki"),
    ("gangwon", "kangwon"),
    ("chungcheongbuk", "chungchongbuk", "chungbuk", "northchungcheong"),
    ("chungcheongnam", "chungchongnam", "chungnam", "southchungcheong"),
    ("jeollabuk", "jeonrabuk", "chollabuk", "jeonbuk", "chonbuk", "northjeolla"),
    ("jeollanam", "jeonranam", "chollanam", "jeonnam", "chonnam", "southjeolla"),
    ("gyeongsangbuk", "kyongsangbuk", "gyeongbuk", "kyungbuk", "kyeongbuk", "northgyeongsang"),
    ("gyeongsangnam", "kyongsangnam", "gyeongnam", "kyungnam", "kyeongnam", "southgyeongsang"),
    ("jeju", "cheju"),
)
# What may follow a stem: "-do", "Province", "Teukbyeolsi", "Metropolitan City" …
_SUFFIX = (
    r"(?:do|province|si|city|teu[kg]byeolsi|gwangyeoksi|metropolitan(?:city)?|specialcity"
    r"|special(?:selfgoverning)?(?:city|province)|teukbyeoljachi(?:si|do))?"
)
_ROMAN = {
    re.compile(rf"^(?:{'|'.join(stems)}){_SUFFIX}$"): region
    for stems, region in zip(_STEMS, REGIONS, strict=True)
}
_PARTS = re.compile(r"[,;/()\[\]]")


def _roman_part(part: str) -> str | None:
    compact = re.sub(r"[^a-z]", "", _key(part))
    return next((region for pattern, region in _ROMAN.items() if pattern.match(compact)), None)


def _korean_region(text: str) -> str | None:
    # a Korean address runs from the largest unit down: the first 시/도 named is it
    words = re.split(r"[\s,;/()\[\]]+", text)
    return next((found for w in words if (found := region_named(w))), None)


def _roman_region(text: str) -> str | None:
    # English order runs the other way ("Gwangju-si, Gyeonggi-do"): the last part named wins
    return next((found for p in reversed(_PARTS.split(text)) if (found := _roman_part(p))), None)


def region_in(text: str | None) -> str | None:
    """The 시/도 that a place's text names: a state ("Gyeonggi-do", "Seoul Teugbyeolsi",
    "Incheon-gwangyeoksi [Incheon]"), a city that is itself a 시/도 ("Busan"), or a Korean
    address ("경기도 고양시 …"); None when it names none ("Gangnam-gu", "Seongnam-si")."""
    if not text:
        return None
    return _korean_region(text) or _roman_region(text)


def korean_region(*texts: str | None) -> str | None:
    """The first 시/도 named by `texts`, in the order given (a state before its city)."""
    return next((found for text in texts if (found := region_in(text))), None)

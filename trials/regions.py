"""The 17 Korean first-level divisions (시/도) under their official names, the names stored in
`sites.region`, with the short Korean forms people and registries write (서울, 경기, 충북).

Official names are today's: 강원특별자치도 (since 2023-06) and 전북특별자치도 (since 2024-01);
the older 강원도 / 전라북도 are accepted as forms of them.
"""

from __future__ import annotations

import re

# official name → other Korean forms of it
_FORMS: dict[str, tuple[str, ...]] = {
    "서울특별시": ("서울", "서울시"),
    "부산광역시": ("부산", "부산시"),
    "대구광역시": ("대구", "대구시"),
    "인천광역시": ("인천", "인천시"),
    # not 광주시: that is Gwangju-si in 경기도
    "광주광역시": ("광주",),
    "대전광역시": ("대전", "대전시"),
    "울산광역시": ("울산", "울산시"),
    "세종특별자치시": ("세종", "세종시"),
    "경기도": ("경기",),
    "강원특별자치도": ("강원", "강원도"),
    "충청북도": ("충북",),
    "충청남도": ("충남",),
    "전북특별자치도": ("전북", "전라북도"),
    "전라남도": ("전남",),
    "경상북도": ("경북",),
    "경상남도": ("경남",),
    "제주특별자치도": ("제주", "제주도"),
}

REGIONS: tuple[str, ...] = tuple(_FORMS)
_BY_FORM = {form: name for name, forms in _FORMS.items() for form in (name, *forms)}


def region_named(text: str | None) -> str | None:
    """The official name for one Korean form of a 시/도 (`서울` → 서울특별시), else None."""
    if not text:
        return None
    return _BY_FORM.get(re.sub(r"\s+", "", text))

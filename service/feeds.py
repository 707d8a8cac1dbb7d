"""Atom 1.0 (RFC 4287) rendering of changed trials, pure: entries in, XML bytes out, with a
readable summary of each change in Korean and English.

An entry is one change (its id names the history document), so a feed reader shows a trial
again when it changes again; a trial indexed before history was kept gets an id from its
change time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
EPOCH = "1970-01-01T00:00:00Z"
# (Korean, English) labels of the fields a summary names; others show their field name.
LABELS = {
    "title": ("제목", "Title"),
    "title_ko": ("국문 제목", "Korean title"),
    "title_en": ("영문 제목", "English title"),
    "official_title": ("공식 제목", "Official title"),
    "status": ("모집 상태", "Status"),
    "status_raw": ("모집 상태(원문)", "Status as registered"),
    "phase": ("임상 단계", "Phase"),
    "phase_raw": ("임상 단계(원문)", "Phase as registered"),
    "study_type": ("연구 종류", "Study type"),
    "target_size": ("목표 대상자 수", "Target size"),
    "study_period.start": ("연구 시작일", "Start date"),
    "study_period.end": ("연구 종료일", "End date"),
    "study_period.raw": ("연구 기간", "Study period"),
    "study_period.months": ("연구 기간(개월)", "Months"),
    "conditions": ("대상 질환", "Conditions"),
    "interventions": ("중재", "Interventions"),
    "sites": ("실시 기관", "Sites"),
    "institution": ("책임 기관", "Institution"),
    "sponsor": ("의뢰자", "Sponsor"),
    "summary": ("요약", "Summary"),
    "description": ("설명", "Description"),
    "eligibility.criteria": ("선정·제외 기준", "Eligibility criteria"),
    "eligibility.min_age_years": ("최소 나이", "Minimum age"),
    "eligibility.max_age_years": ("최대 나이", "Maximum age"),
    "outcomes": ("평가 변수", "Outcomes"),
}
CHANGES = {
    "created": ("새 임상시험", "New trial"),
    "updated": ("변경", "Updated"),
    "restored": ("등록부에 다시 등재", "Back in the registry"),
    "removed": ("등록부에서 삭제", "Removed from the registry"),
}
MAX_SHOWN = 60  # characters of a value in a summary


@dataclass(frozen=True)
class Entry:
    """One changed trial: its (latest) change and what the feed shows of the trial."""

    trial_id: str
    registry_id: str
    title: str
    link: str
    at: str  # the change time, ISO-8601
    change: str
    change_id: str | None = None  # the history document's id, when there is one
    fields: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_link: str
    entries: Sequence[Entry]


def render(feed: Feed) -> bytes:
    """The feed as Atom XML (UTF-8); `updated` is the newest entry's time, so an unchanged
    feed renders to the same bytes."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", max((e.at for e in feed.entries), default=EPOCH))
    _link(root, feed.self_link, "self", MEDIA_TYPE)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", "trials")
    for entry in feed.entries:
        _entry(root, entry)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def summary(change: str, fields: Sequence[dict[str, Any]]) -> str:
    """`변경 Updated: 모집 상태 Status: recruiting → completed; …`."""
    ko, en = CHANGES.get(change, (change, change))
    head = f"{ko} {en}"
    parts = [_field_summary(f) for f in fields if not str(f.get("field", "")).endswith("_raw")]
    return f"{head}: {'; '.join(parts)}" if parts else head


def entry_id(entry: Entry) -> str:
    if entry.change_id:
        return f"urn:trials:change:{quote(entry.change_id, safe=':@')}"
    return f"urn:trials:change:{quote(entry.trial_id, safe=':')}@{quote(entry.at, safe=':')}"


def _entry(root: ET.Element, entry: Entry) -> None:
    node = ET.SubElement(root, f"{{{ATOM}}}entry")
    _text(node, "id", entry_id(entry))
    _text(node, "title", f"[{entry.registry_id}] {entry.title}")
    _link(node, entry.link, "alternate")  # no type: readers open it as the entry's page
    _text(node, "updated", entry.at)
    category = ET.SubElement(node, f"{{{ATOM}}}category")
    category.set("term", entry.change)
    _text(node, "summary", summary(entry.change, entry.fields))


def _field_summary(field: dict[str, Any]) -> str:
    name = str(field.get("field"))
    ko, en = LABELS.get(name, (name, name))
    label = f"{ko} {en}" if ko != en else name
    if "added" in field or "removed" in field:
        bits = [f"+{_shown(v)}" for v in field.get("added", [])]
        bits += [f"−{_shown(v)}" for v in field.get("removed", [])]
        return f"{label}: {', '.join(bits) or '…'}"
    return f"{label}: {_shown(field.get('old'))} → {_shown(field.get('new'))}"


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value


def _link(parent: ET.Element, href: str, rel: str, media_type: str | None = None) -> None:
    link = ET.SubElement(parent, f"{{{ATOM}}}link")
    link.set("href", href)
    link.set("rel", rel)
    if media_type is not None:
        link.set("type", media_type)

"""What the registries' error bodies mean.

The data.go.kr family answers problems in three shapes, often with HTTP 200: odcloud's JSON
`{"code": -4, "msg": "..."}`, CRIS's `resultCode` next to the data, and the portal gateway's
XML `<OpenAPI_ServiceResponse>` even when JSON was asked for. Each is read into one verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["bad_key", "quota", "no_data", "error"]

# data.go.kr gateway / CRIS result codes (KCDC18-CRIS-API01 guide, quoted in API_NOTES §2.6)
_PORTAL_CODES: dict[str, tuple[Kind, str]] = {
    "01": ("error", "the registry reported an application error"),
    "03": ("no_data", "no data"),
    "10": ("error", "invalid request parameter"),
    "12": ("error", "no such OpenAPI service"),
    "20": ("bad_key", "service access denied for this key"),
    "22": ("quota", "the daily request quota of this key is exceeded"),
    "30": ("bad_key", "the service key is not registered (check TRIALS_DATA_GO_KR_KEY)"),
    "31": ("bad_key", "the service key has expired"),
    "32": ("bad_key", "this IP address is not registered for the service key"),
    "99": ("error", "unknown error"),
}
# odcloud gateway codes (Data-Infuser/Gateway enum/status_code.go, API_NOTES §1.5)
_ODCLOUD_CODES: dict[int, tuple[Kind, str]] = {
    -1: ("error", "the portal reported an internal error"),
    -2: ("error", "the request parameters were not accepted"),
    -3: ("error", "the service is not registered for this key"),
    -4: ("bad_key", "the service key is not registered (check TRIALS_DATA_GO_KR_KEY)"),
    -9: ("error", "the service has been terminated"),
    -10: ("quota", "the traffic allowance of this key is exceeded"),
    -401: ("bad_key", "the service key is invalid or missing (check TRIALS_DATA_GO_KR_KEY)"),
}


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    cause: str


def _xml_text(body: str, tag: str) -> str:
    found = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", body, re.S)
    return found.group(1) if found else ""


def read_xml_error(body: bytes) -> Verdict | None:
    text = body[:4096].decode("utf-8", "replace")
    if "<OpenAPI_ServiceResponse" not in text and "<cmmMsgHeader" not in text:
        return None
    code = _xml_text(text, "returnReasonCode")
    auth = _xml_text(text, "returnAuthMsg") or _xml_text(text, "errMsg")
    kind, cause = _PORTAL_CODES.get(code, ("error", "the portal gateway refused the request"))
    return Verdict(kind, f"{cause} [{code} {auth}]".strip())


def read_json_error(payload: Any) -> Verdict | None:
    if not isinstance(payload, dict):
        return None
    code = payload.get("code")
    if isinstance(code, int) and code < 0 and "msg" in payload:
        kind, cause = _ODCLOUD_CODES.get(code, ("error", "the portal refused the request"))
        return Verdict(kind, f"{cause} [{code} {payload.get('msg')}]")
    result = payload.get("resultCode")
    if result is not None and str(result) != "00":
        kind, cause = _PORTAL_CODES.get(str(result), ("error", "the registry refused the request"))
        return Verdict(kind, f"{cause} [{result} {payload.get('resultMsg', '')}]".strip())
    return None

"""Short texts about a test record: one paragraph that says why an access test failed.

Annotations, SARIF results and the job summary's tables use these; the full
explanation (the failure text pytest shows) goes only where there is room.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from .records import TestRecord

EFFECT_WORDS = {"Allow": "allowed", "ExplicitDeny": "explicitly denied",
                "ImplicitDeny": "implicitly denied"}

#: Longest paragraph kept (a failure text can be long; a property's
#: counterexample, for one). The full text stays in the summary and the log.
PARAGRAPH_LIMIT = 1500


def expected_text(result: Dict[str, Any]) -> str:
    text = result.get("expect", "")
    if result.get("denied_by"):
        text += f", refused by {result['denied_by']}"
    return text


def actual_text(result: Dict[str, Any]) -> str:
    text = result.get("actual", "")
    if text != "allow":
        refused = result.get("refused_by") or []
        text += ", refused by " + (", ".join(refused) if refused else "no layer on its own")
    return text


def _request_text(result: Dict[str, Any]) -> str:
    request = result.get("decision", {}).get("request", {})
    if not request:
        return ""
    text = f"{request.get('principal')} {request.get('action')} on {request.get('resource')}"
    account = request.get("resource_account")
    if account and account not in str(request.get("principal")):
        text += f" (resource account {account})"
    return text


def _denied_by_sentence(result: Dict[str, Any]) -> str:
    layer = result.get("denied_by")
    on_path = {entry.get("layer") for entry in result.get("decision", {}).get("layers", [])}
    if layer not in on_path:
        return f"the {layer} layer is not on this case's request path"
    others = ", ".join(result.get("refused_by") or [])
    if others:
        return f"the {layer} layer does not refuse it on its own; the layers that do: {others}"
    return (f"the {layer} layer does not refuse it on its own; no single layer does "
            f"(the combination of layers denies it)")


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _limit(text: str, limit: int = PARAGRAPH_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def result_paragraph(result: Dict[str, Any]) -> str:
    """Why a decided case failed: expected, actual, the decision's summary, the request."""
    decision = result.get("decision", {})
    if result.get("mismatch") == "denied_by":
        head = (f"expected {expected_text(result)}; the request is {result.get('actual')}, "
                f"but {_denied_by_sentence(result)}.")
    else:
        head = f"expected {expected_text(result)}, got {actual_text(result)}."
    parts = [head]
    if decision.get("summary"):
        parts.append(decision["summary"].rstrip(".") + ".")
    request = _request_text(result)
    if request:
        parts.append(f"Request: {request}.")
    return " ".join(parts)


def property_paragraph(result: Dict[str, Any]) -> str:
    """Why a property failed, from its counterexample (``PropertyResult.to_dict()``)."""
    decision = result.get("decision") or {}
    effect = EFFECT_WORDS.get(decision.get("decision"), decision.get("decision", ""))
    claim = ("some request in the set is allowed" if result.get("kind") == "never" else
             "some request in the set is not allowed")
    parts = [f"not proven: {claim}."]
    request = _request_text(result)
    if request:
        parts.append(f"Counterexample: {request} is {effect}.")
    if decision.get("summary"):
        parts.append(decision["summary"].rstrip(".") + ".")
    return " ".join(parts)


def failure_paragraph(record: TestRecord) -> str:
    """One paragraph (no line breaks) saying why the test failed."""
    if record.kind == "property" and record.result and record.result.get("counterexample"):
        return _limit(property_paragraph(record.result))
    if record.kind == "case" and record.result and not record.result.get("passed", True):
        return _limit(result_paragraph(record.result))
    if record.error:
        where = record.error.get("file") or ""
        if record.error.get("line"):
            where += f":{record.error['line']}"
        message = record.error.get("message", "")
        return _limit(_flatten(f"the case could not run: {message}" + (f" ({where})" if where else "")))
    if record.outcome == "xpassed":
        return "expected to fail (xfail strict), but it passed."
    if record.crash:
        return _limit(_flatten(record.crash))
    lines = [line for line in record.text.splitlines() if line.strip()]
    if lines and record.kind == "property" and lines[0].startswith("property "):
        lines = lines[1:]   # the heading repeats the title and location
    return _limit(_flatten(" ".join(lines))) or f"{record.kind} failed"


def title(record: TestRecord) -> str:
    return f"{record.kind} '{record.name}'"


def statement_title(info) -> str:
    return f"{info.label} ({info.effect})"


def short_where(file: str, line: Optional[int]) -> str:
    return f"{file}:{line}" if line else file

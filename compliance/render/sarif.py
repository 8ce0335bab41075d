"""`--format sarif`: SARIF 2.1.0 as plain dicts (code-scanning UIs, CI annotations).

Findings (gaps) become results; every rule of the checked rulesets is described once in
`tool.driver.rules`. Levels: critical/major → error, minor → warning. A waived finding carries a
`suppressions` entry (kind external) instead of disappearing. A plan document's planned item that
earns full credit is no finding: it is a result of level `note`, kind `informational`."""

from __future__ import annotations

import json as _json

from compliance.models import CheckResult, InputError, ReportResult, RuleResult, Summary, ToolInfo
from compliance.render import Kept, build
from compliance.labels import STATUS_ZH
from compliance.results import family_name, is_finding, planned_in_full

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# a rule's documentation is the web app's rules page (`compliance serve`; anchors are rule ids).
# COMPLIANCE_DOCS_URL points it at a shared server (`compliance serve --host 0.0.0.0` on the intranet).
DEFAULT_DOCS_URL = "http://127.0.0.1:8000/rules"


def help_uri(rule_id: str, ruleset: str) -> str:
    import os
    from urllib.parse import quote

    base = os.environ.get("COMPLIANCE_DOCS_URL") or DEFAULT_DOCS_URL
    return f"{base}?ruleset={quote(ruleset)}#{quote(rule_id)}"
LEVEL = {"critical": "error", "major": "error", "minor": "warning"}


def _rule(r: RuleResult, rep: ReportResult) -> dict:
    basis = "；".join(r.basis)
    text = f"{r.title}\n依据：{basis}" + (f"\n整改建议：{r.remediation}" if r.remediation else "")
    md = f"**{r.title}**\n\n" + (f"整改建议：{r.remediation}\n\n" if r.remediation else "") + "依据：\n" + "".join(
        f"- {b}\n" for b in r.basis
    )
    return {
        "id": r.rule_id,
        "name": r.rule_id.replace("-", ""),
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": f"{r.title}（{family_name(r.family, rep) or r.family}）。依据：{basis}"},
        "help": {"text": text, "markdown": md},
        "helpUri": help_uri(r.rule_id, rep.ruleset.name),
        "defaultConfiguration": {"level": LEVEL.get(r.severity, "warning")},
        "properties": {"family": r.family, "severity": r.severity, "points": r.points, "tags": [r.family, r.severity]},
    }


def _uri(source: str) -> str:
    from urllib.parse import quote

    return quote(source.replace("\\", "/"), safe="/:._-~")


class Builder(Kept):
    """The SARIF log built report by report: a batch keeps each finding's small dict, not the
    reports (`check --format sarif` on thousands of reports)."""

    def __init__(self, **opts) -> None:
        self.rules: dict[str, dict] = {}
        self.index: dict[str, int] = {}
        self.results: list[dict] = []

    def add(self, rep: ReportResult) -> str:
        rules, index, results = self.rules, self.index, self.results
        for r in rep.results:
            if r.rule_id not in rules:
                index[r.rule_id] = len(rules)
                rules[r.rule_id] = _rule(r, rep)
        for r in rep.results:
            if not is_finding(r) and not planned_in_full(r):
                continue
            line = r.evidence[0].line if r.evidence else (r.trace.near_misses[0].line if r.trace and r.trace.near_misses else 1)
            msg = f"{r.rule_id} {r.title}：{STATUS_ZH.get(r.status, r.status)}。{r.message}"
            if r.evidence:
                msg += f"（第{r.evidence[0].line}行：{r.evidence[0].quote}）"
            elif r.trace and r.trace.near_misses:
                nm = r.trace.near_misses[0]
                msg += f"（第{nm.line}行，相近表述（未计入）：{nm.quote}；{nm.reason}）"
            res: dict = {
                "ruleId": r.rule_id,
                "ruleIndex": index[r.rule_id],
                "level": "note" if planned_in_full(r) else LEVEL.get(r.severity, "warning"),
                "message": {"text": msg},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": _uri(rep.source)}, "region": {"startLine": max(1, line)}}}
                ],
                "partialFingerprints": {"complianceFinding/v1": r.fingerprint or r.rule_id},
                "properties": {"status": r.status, "severity": r.severity, "points": r.points, "earned": r.earned,
                               "issuer": rep.meta.issuer or "", "helpUri": help_uri(r.rule_id, rep.ruleset.name)},
            }
            if r.baseline in ("new", "persisting"):
                res["baselineState"] = "new" if r.baseline == "new" else "unchanged"
            if planned_in_full(r):
                res["kind"] = "informational"
            if r.waived is not None:
                res["suppressions"] = [{"kind": "external", "status": "accepted", "justification": r.waived.reason}]
            results.append(res)
        return ""

    def build(self, tool: ToolInfo, errors: list[InputError]) -> dict:
        run: dict = {
            "tool": {
                "driver": {
                    "name": tool.name,
                    "version": tool.version,
                    "rules": list(self.rules.values()),
                }
            },
            "results": self.results,
            "columnKind": "unicodeCodePoints",
        }
        if errors:
            run["invocations"] = [
                {
                    "executionSuccessful": False,
                    "toolExecutionNotifications": [
                        {"level": "error", "message": {"text": f"{e.source}: {e.error}"},
                         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.source)}}}]}
                        for e in errors
                    ],
                }
            ]
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}

    def finish(self, tool: ToolInfo, errors: list[InputError], summary: Summary | None = None) -> str:
        return _json.dumps(self.build(tool, errors), ensure_ascii=False, indent=2) + "\n"


def log(result: CheckResult) -> dict:
    """The SARIF log of a whole result, as a dict."""
    b = Builder()
    for rep in result.reports:
        b.add(rep)
    return b.build(result.tool, result.errors)


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]

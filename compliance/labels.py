"""The words a person reads for each code: statuses, document types, severities, polarities,
baseline states, and how numbers are written. One table each, used by the engine's messages, every
output format, the web pages and the generated rule docs, so they never say two things.

Family names are not here: they belong to the ruleset (`families:` in its YAML), so a province's
new family has its label where the family is defined (`compliance.results.family_name`).
"""

from __future__ import annotations

STATUS_ZH = {
    "met": "已落实",
    "partial": "部分落实",
    "planned": "仅有计划",
    "self_reported_gap": "自述不足",
    "missing": "未体现",
    "not_applicable": "不适用",
}
DOC_TYPE_ZH = {
    "annual_report": "年度报告",
    "work_summary": "工作总结",
    "self_inspection": "自查报告",
    "plan": "计划方案",
    "fair_competition_report": "公平竞争审查工作报告",
    "shufa_report": "述法报告",
    "other": "其他文件",
}
SEVERITY_ZH = {"critical": "严重", "major": "重要", "minor": "一般"}
POLARITY_ZH = {"positive": "已做", "planned": "计划", "negative": "自述不足"}
# a quote that did not count (negated, wrong section, below the threshold …): every format labels it
# so, or a reader takes it for evidence
NEAR_MISS = "相近表述（未计入）"
BASELINE_ZH = {"new": "新增", "persisting": "持续", "resolved": "已解决"}

# worst first: the order findings are listed in
SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}
STATUS_RANK = {"missing": 0, "self_reported_gap": 1, "planned": 2, "partial": 3, "met": 4, "not_applicable": 5}


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


def doc_type_zh(doc_type: str) -> str:
    return DOC_TYPE_ZH.get(doc_type, doc_type)


def severity_zh(severity: str) -> str:
    return SEVERITY_ZH.get(severity, severity)


def fmt_num(v: float) -> str:
    """Points and figures as people write them: 6, 1.5, 1200000 (not 6.0 or 1.2e+06)."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def fmt_score(v: float | None) -> str:
    """A score with one decimal; — when there is none (nothing applicable)."""
    return "—" if v is None else f"{v:.1f}"

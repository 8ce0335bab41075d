"""`--format markdown`: for pasting into an issue or a memo — summary, ranking, then per report
its findings with the quotes (and line numbers) behind them and their legal basis."""

from __future__ import annotations

from compliance.models import CheckResult, InputError, ReportResult, RuleResult, Summary, ToolInfo
from compliance.render.escape import printable
from compliance.render import Kept, build
from compliance.labels import BASELINE_ZH, DOC_TYPE_ZH, NEAR_MISS, SEVERITY_ZH, fmt_num, fmt_score
from compliance.results import (
    family_label,
    findings,
    issuer_text,
    period_text,
    rank_order,
    rank_text,
    ruleset_text,
    status_text,
    unique_evidence,
)


def esc(text: str) -> str:
    """Escape what Markdown (and GitHub's HTML sanitizer) would interpret inside table cells/text."""
    t = " ".join(str(text).split())
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        t = t.replace(ch, "\\" + ch)
    return t


def _finding(r: RuleResult) -> list[str]:
    tags = [SEVERITY_ZH.get(r.severity, r.severity), status_text(r), f"{fmt_num(r.earned)}/{fmt_num(r.points)} 分"]
    if r.baseline:
        tags.append(BASELINE_ZH.get(r.baseline, r.baseline))
    out = [f"#### {esc(r.rule_id)} {esc(r.title)}（{'，'.join(tags)}）", ""]
    if r.message:
        out.append(esc(r.message))
        out.append("")
    for e in unique_evidence(r, 3):
        out.append(f"> 第 {e.line} 行（{esc(e.section) or '正文'}）：{esc(e.quote)}")
        out.append(">")
    if r.evidence:
        out.pop()
        out.append("")
    if r.trace and r.trace.near_misses and not r.evidence:
        for nm in r.trace.near_misses[:3]:
            out.append(f"- {NEAR_MISS}，第 {nm.line} 行：{esc(nm.quote)}（{esc(nm.reason)}）")
        out.append("")
    if r.basis:
        out.append("依据：" + "；".join(esc(b) for b in r.basis))
        out.append("")
    if r.remediation:
        out.append("整改建议：" + esc(r.remediation))
        out.append("")
    if r.waived is not None:
        w = r.waived
        extra = "".join(
            [f"，批准：{esc(w.approved_by)}" if w.approved_by else "", f"，有效期至 {w.expires.isoformat()}" if w.expires else ""]
        )
        out.append(f"*已豁免*：{esc(w.reason)}{extra}")
        out.append("")
    return out


def _report(rep: ReportResult) -> list[str]:
    out = [f"### {esc(issuer_text(rep))}", ""]
    out.append(
        f"- 文件：`{rep.source}`\n- 类型：{DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type)}；年度：{period_text(rep)}"
        f"；规则集：{esc(ruleset_text(rep))}\n"
        f"- 得分：**{fmt_score(rep.score.total)}**（{rep.score.grade or '—'}）"
    )
    if rep.score.by_family:
        out.append("- 分项：" + "，".join(f"{esc(family_label(f, rep))} {fmt_score(v)}" for f, v in rep.score.by_family.items()))
    out.append("")
    for w in rep.warnings:
        out.append(f"> ⚠️ {esc(w)}")
        out.append("")
    gaps = findings(rep)
    if not gaps:
        out += ["未发现差距。", ""]
    for r in gaps:
        out += _finding(r)
    if rep.resolved:
        out.append("已解决（相对基线）：" + "，".join(f"{esc(r.rule_id)} {esc(r.title)}" for r in rep.resolved))
        out.append("")
    return out


class Builder(Kept):
    """The document built report by report: each report's section is text as soon as it comes,
    and only a one-line ranking row and its total are kept for the ranking table."""

    def __init__(self, **opts) -> None:
        self.totals: list[float | None] = []
        self.rows: list[str] = []  # a ranking row without its rank
        self.blocks: list[str] = []

    def add(self, rep: ReportResult) -> str:
        self.totals.append(rep.score.total)
        self.rows.append(
            f" | {fmt_score(rep.score.total)} | {rep.score.grade or '—'} | {esc(issuer_text(rep))} | "
            f"{DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type)} | {period_text(rep)} | {len(findings(rep))} |"
        )
        self.blocks.append("\n".join(_report(rep)))
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        s = summary or Summary.of(self.totals, len(errors))
        out = ["# 法治政府建设报告检查结果", ""]
        out.append(f"共检查 {s.checked} 份，无法读取 {s.failed} 份，平均得分 {fmt_score(s.mean_score)}。")
        out.append("")
        if self.rows:
            out += ["## 排名", "", "| 名次 | 得分 | 等级 | 单位 | 类型 | 年度 | 差距 |", "| ---: | ---: | --- | --- | --- | --- | ---: |"]
            out += [f"| {rank_text(rank)}" + self.rows[i] for rank, i in rank_order(self.totals)]
            out.append("")
            out += ["## 各报告差距", ""]
            out += self.blocks
        if errors:
            out += ["## 无法读取的文件", ""]
            out += [f"- `{e.source}`：{esc(e.error)}" for e in errors]
            out.append("")
        return printable("\n".join(out).rstrip() + "\n")  # no ESC/BEL from a file name or waiver


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]

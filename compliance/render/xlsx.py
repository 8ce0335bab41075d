"""`--format xlsx`: a workbook for people who live in Excel — 排名 (ranking with per-family
scores), 差距 (every finding), 规则达标率 (per-rule pass rates, by province). Header format,
frozen header row, autofilter, and column widths measured in display cells (CJK counts 2)."""

from __future__ import annotations

import io
import unicodedata

import xlsxwriter

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import Kept, build
from compliance.labels import DOC_TYPE_ZH, SEVERITY_ZH, STATUS_ZH
from compliance.results import (
    PassRates,
    family_label,
    families,
    findings,
    first_quote,
    issuer_text,
    period_text,
    rank_order,
)


def cell_width(value) -> int:
    s = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def _sheet(wb, name: str, header: list[str], rows: list[list], fmts: dict, col_formats: dict[int, object] | None = None,
           max_width: int = 60):
    ws = wb.add_worksheet(name)
    col_formats = col_formats or {}
    ws.write_row(0, 0, header, fmts["head"])
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            f = col_formats.get(j, fmts["wrap"] if isinstance(v, str) and cell_width(v) > max_width else None)
            if v is None:
                ws.write_blank(i, j, None, f)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(i, j, v, f)
            else:
                ws.write_string(i, j, str(v), f)
    for j, h in enumerate(header):
        w = max([cell_width(h)] + [cell_width(r[j]) for r in rows if j < len(r)])
        ws.set_column(j, j, min(max_width, w + 2))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(0, len(rows)), max(0, len(header) - 1))
    _print_setup(ws, name)
    return ws


def _print_setup(ws, name: str) -> None:
    """Printed on A4 landscape, all columns on one page width, the header row on every page, the
    sheet's title at the top and the print date and page numbers at the bottom."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
    ws.set_header(f'&C&"-,Bold"&14法治政府建设报告检查结果：{name}')
    ws.set_footer("&L打印日期 &D&R第 &P 页，共 &N 页")


class Builder(Kept):
    """The workbook's rows gathered report by report: a ranking row, the findings' rows and the
    pass-rate counters; the reports themselves are not kept. Written at `finish`."""

    def __init__(self, **opts) -> None:
        self.totals: list[float | None] = []
        self.rank_rows: list[list] = []  # without the rank, and with the per-family scores by family
        self.by_family: list[dict] = []
        self.families: dict[str, str] = {}  # code → label, in first-seen order
        self.finding_rows: list[list] = []
        self.rates = PassRates()

    def add(self, rep: ReportResult) -> str:
        self.totals.append(rep.score.total)
        for f in families(rep):
            self.families.setdefault(f, family_label(f, rep))
        self.rank_rows.append(
            [rep.score.total, rep.score.grade or "", issuer_text(rep), rep.meta.province or "",
             DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type), period_text(rep), len(findings(rep)), rep.source]
        )
        self.by_family.append(dict(rep.score.by_family))
        for r in findings(rep):
            quote, line = first_quote(r)
            self.finding_rows.append(
                [rep.source, rep.meta.issuer or "", r.rule_id, r.title, r.family, SEVERITY_ZH.get(r.severity, r.severity),
                 STATUS_ZH.get(r.status, r.status), r.points, r.earned, r.message, quote, line, "；".join(r.basis),
                 r.remediation, r.waived.reason if r.waived else "", r.baseline or ""]
            )
        self.rates.add(rep)
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_urls": False})
        fmts = {
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"}),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
            "score": wb.add_format({"num_format": "0.0"}),
            "pct": wb.add_format({"num_format": "0.0%"}),
        }
        fams = list(self.families)
        head1 = ["名次", "得分", "等级", "单位", "省份", "类型", "年度", "差距数", "文件"] + [self.families[f] for f in fams]
        rows1 = [[rank] + self.rank_rows[i] + [self.by_family[i].get(f) for f in fams] for rank, i in rank_order(self.totals)]
        score_cols = {1: fmts["score"], **{9 + k: fmts["score"] for k in range(len(fams))}}
        _sheet(wb, "排名", head1, rows1, fmts, score_cols)

        head2 = ["文件", "单位", "规则", "名称", "分类", "严重性", "状态", "分值", "得分", "说明", "引文", "行号", "依据", "整改建议",
                 "豁免", "基线"]
        _sheet(wb, "差距", head2, self.finding_rows, fmts)

        provs = self.rates.provinces()
        head3 = ["规则", "名称", "分类", "严重性", "适用份数", "达标份数", "达标率"] + (provs if len(provs) > 1 else [])
        rows3 = []
        for row in self.rates.rows():
            extra = []
            if len(provs) > 1:
                for p in provs:
                    c = row["by_province"].get(p)
                    extra.append(c[0] / c[1] if c and c[1] else None)
            rows3.append([row["rule_id"], row["title"], row["family"], SEVERITY_ZH.get(row["severity"], row["severity"]),
                          row["applicable"], row["met"], row["rate"]] + extra)
        pct_cols = {6: fmts["pct"], **{7 + k: fmts["pct"] for k in range(len(provs) if len(provs) > 1 else 0)}}
        _sheet(wb, "规则达标率", head3, rows3, fmts, pct_cols)

        if errors:
            _sheet(wb, "无法读取", ["文件", "错误"], [[e.source, e.error] for e in errors], fmts)
        wb.close()
        return buf.getvalue()


def render(result: CheckResult, **opts) -> bytes:
    return build(Builder(**opts), result)  # type: ignore[return-value]

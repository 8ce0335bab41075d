"""`--format docx`: a printable 审查意见 (review opinion) per report, for an inspector to sign.

One A4 Word document per report: the bureau, period, document type, ruleset and version, the
check date; the score and grade in total and per family; every finding with its quote and line,
basis and remediation (a near miss labelled 相近表述（未计入）); a signature block. A batch is a
zip of one document per report plus 汇总.docx (the ranking and the files that could not be read).
Built with python-docx; the zip entries carry a fixed time, so the same results give the same bytes
on the same day."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from compliance.labels import DOC_TYPE_ZH, NEAR_MISS, SEVERITY_ZH, fmt_num, fmt_score
from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import Kept, build
from compliance.results import (
    family_label,
    findings,
    grade_of,
    issuer_text,
    period_text,
    rank_order,
    rank_text,
    ruleset_text,
    status_text,
    unique_evidence,
)

FONT = "宋体"  # LibreOffice and WPS substitute an installed CJK font when SimSun is missing
HEAD_FONT = "黑体"
CN_NUM = "一二三四五六七八九十"
SUMMARY_NAME = "汇总.docx"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二 (finding numbers up to 99)."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


def _new_document(landscape: bool = False):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.top_margin = sec.bottom_margin = Cm(2.5)
    sec.left_margin = sec.right_margin = Cm(2.4)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.25
    return doc


def _run(par, text: str, bold: bool = False, size: float | None = None, font: str | None = None):
    run = par.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _heading(doc, text: str, size: float = 14):
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(10)
    p.paragraph_format.keep_with_next = True
    _run(p, text, bold=True, size=size, font=HEAD_FONT)
    return p


def _labelled(doc, label: str, text: str):
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(0.74)
    _run(p, f"{label}：", bold=True)
    _run(p, text)
    return p


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, h in zip(t.rows[0].cells, header):
        cell.text = ""
        _run(cell.paragraphs[0], h, bold=True)
    _repeat_header(t.rows[0])
    for row in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = v
    if widths:
        t.autofit = False
        for col, w in zip(t.columns, widths):
            col.width = Cm(w)
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    return t


def _repeat_header(row) -> None:
    """The header row repeats on every printed page."""
    trpr = row._tr.get_or_add_trPr()
    el = trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    trpr.append(el)


def _signature(doc, when: dt.date) -> None:
    doc.add_paragraph()
    for label in ("审查人（签字）：", "复核人（签字）：", "审查单位（盖章）："):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(7.5)
        p.paragraph_format.space_before = Pt(12)
        _run(p, label + "＿" * 8)
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Cm(7.5)
    p.paragraph_format.space_before = Pt(12)
    _run(p, "日期：　　　　年　　月　　日")
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(18)
    _run(p, f"本审查意见由 compliance 于 {when:%Y年%m月%d日} 自动生成，引文和行号可在原报告中核对；"
            "结论以审查人签字确认为准。", size=9)


def _save(doc, when: dt.date) -> bytes:
    props = doc.core_properties
    stamp = dt.datetime(when.year, when.month, when.day)
    props.created = props.modified = stamp
    props.last_modified_by = props.author = "compliance"
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), when)


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The same zip with every entry dated `when` (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def opinion(rep: ReportResult, when: dt.date | None = None) -> bytes:
    """The 审查意见 of one report, as .docx bytes."""
    when = when or dt.date.today()
    doc = _new_document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "法治政府建设报告审查意见", bold=True, size=20, font=HEAD_FONT)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, issuer_text(rep), size=14)

    m = rep.meta
    info = [
        ["被审查单位", m.issuer or "未识别"],
        ["报告名称", m.title or rep.source.rsplit("/", 1)[-1]],
        ["报告期", period_text(rep)],
        ["文件类型", DOC_TYPE_ZH.get(m.doc_type, m.doc_type)],
        ["报告日期", m.date.strftime("%Y年%m月%d日") if m.date else "未识别"],
        ["审查依据（规则集）", ruleset_text(rep)],
        ["检查日期", when.strftime("%Y年%m月%d日")],
        ["来源文件", rep.source],
    ]
    t = _table(doc, ["项目", "内容"], info, [4.2, 12.0])
    for row in t.rows[1:]:
        for par in row.cells[0].paragraphs:
            for r in par.runs:
                r.bold = True

    gaps = findings(rep)
    _heading(doc, "一、总体评价")
    if rep.score.total is None:
        doc.add_paragraph("该文件未被识别为法治政府建设报告（或没有适用的规则），不计分。" + "".join(rep.warnings[:1]))
    else:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Cm(0.85)
        _run(p, f"按{ruleset_text(rep)}规则集检查，得分 ")
        _run(p, fmt_score(rep.score.total), bold=True)
        _run(p, " 分，等级 ")
        _run(p, rep.score.grade or "—", bold=True)
        _run(p, f"。共发现差距 {len(gaps)} 项" + (f"，其中严重 {sum(g.severity == 'critical' for g in gaps)} 项。"
                                                  if gaps else "。"))
        rows = []
        for fam, v in rep.score.by_family.items():
            applicable = [r for r in rep.results if r.family == fam and r.status != "not_applicable"]
            n_gaps = sum(1 for g in gaps if g.family == fam)
            rows.append([family_label(fam, rep), fmt_score(v), grade_of(v, rep) or "不适用", str(len(applicable)), str(n_gaps)])
        _table(doc, ["类别", "得分", "等级", "适用规则", "差距"], rows, [6.2, 2.4, 2.4, 2.6, 2.6])

    _heading(doc, "二、存在的问题和整改建议")
    if not gaps:
        doc.add_paragraph("未发现差距。" if rep.score.total is not None else "无。")
    for i, r in enumerate(gaps, 1):
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.keep_with_next = True
        _run(p, f"（{_cn(i)}）{r.rule_id} {r.title}", bold=True)
        _run(p, f"　〔{SEVERITY_ZH.get(r.severity, r.severity)}·{status_text(r)}·得分 {fmt_num(r.earned)}/{fmt_num(r.points)}〕")
        if r.message:
            _labelled(doc, "问题", r.message)
        ev = unique_evidence(r, 2)
        if ev:
            for e in ev:
                _labelled(doc, f"引文（第 {e.line} 行）", e.quote)
        elif r.trace and r.trace.near_misses:
            nm = r.trace.near_misses[0]
            _labelled(doc, f"{NEAR_MISS}（第 {nm.line} 行）", f"{nm.quote}（{nm.reason}）")
        if r.basis:
            _labelled(doc, "依据", "；".join(r.basis))
        if r.remediation:
            _labelled(doc, "整改建议", r.remediation)
        if r.waived is not None:
            _labelled(doc, "已豁免", r.waived.reason + (f"（{r.waived.approved_by}）" if r.waived.approved_by else ""))

    met = [r for r in rep.results if r.status == "met"]
    if met:
        _heading(doc, "三、已落实的事项")
        doc.add_paragraph("；".join(f"{r.rule_id} {r.title}" for r in met) + "。")
    if rep.warnings:
        _heading(doc, "四、说明" if met else "三、说明")
        for w in rep.warnings:
            doc.add_paragraph(w)
    _signature(doc, when)
    return _save(doc, when)


def summary_document(rows: list[list[str]], totals: list[float | None], errors: list[InputError],
                     summary: Summary, when: dt.date) -> bytes:
    doc = _new_document(landscape=True)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "法治政府建设报告审查汇总", bold=True, size=18, font=HEAD_FONT)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, f"检查日期 {when:%Y年%m月%d日}　共检查 {summary.checked} 份，无法读取 {summary.failed} 份，"
            f"平均得分 {fmt_score(summary.mean_score)}")
    ranked = [[rank_text(rank), *rows[i]] for rank, i in rank_order(totals)]
    _table(doc, ["名次", "单位", "类型", "年度", "得分", "等级", "差距", "审查意见文件"], ranked,
           [1.5, 6.0, 2.4, 2.9, 1.8, 1.8, 1.5, 6.8])
    if errors:
        _heading(doc, "无法读取的文件")
        _table(doc, ["文件", "原因"], [[e.source, e.error] for e in errors], [8.0, 16.7])
    _signature(doc, when)
    return _save(doc, when)


def _entry_name(rep: ReportResult, n: int, used: set[str]) -> str:
    """`审查意见-01-盘锦市交通运输局-2024.docx`: readable, unique, safe in any file system."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", issuer_text(rep))[:40].strip(" ._") or "报告"
    name = f"审查意见-{n:02d}-{stem}-{period_text(rep).replace('–', '-')}.docx"
    while name in used:
        name = name[:-5] + "-2.docx"
    used.add(name)
    return name


class Builder(Kept):
    """One document per report, built as the report comes (only its bytes are kept, compressed in
    the zip); `finish` gives the lone document for a single report, else the zip."""

    def __init__(self, when: dt.date | None = None, **opts) -> None:
        self.when = when or dt.date.today()
        self.docs: list[tuple[str, bytes]] = []
        self.rows: list[list[str]] = []
        self.totals: list[float | None] = []
        self.used: set[str] = set()

    def add(self, rep: ReportResult) -> str:
        name = _entry_name(rep, len(self.docs) + 1, self.used)
        self.docs.append((name, opinion(rep, self.when)))
        self.totals.append(rep.score.total)
        self.rows.append([issuer_text(rep), DOC_TYPE_ZH.get(rep.meta.doc_type, rep.meta.doc_type), period_text(rep),
                          fmt_score(rep.score.total), rep.score.grade or "—", str(len(findings(rep))), name])
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> bytes:
        if len(self.docs) == 1 and not errors:
            return self.docs[0][1]
        summary = summary or Summary.of(self.totals, len(errors))
        out = io.BytesIO()
        stamp = (self.when.year, self.when.month, self.when.day, 0, 0, 0)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:  # the documents are compressed already
            z.writestr(zipfile.ZipInfo(SUMMARY_NAME, date_time=stamp),
                       summary_document(self.rows, self.totals, errors, summary, self.when))
            for name, data in self.docs:
                z.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
        return out.getvalue()


def render(result: CheckResult, **opts) -> bytes:
    return build(Builder(**opts), result)  # type: ignore[return-value]

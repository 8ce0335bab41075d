"""`check --format docx`: the printable 审查意见, opened with python-docx; a batch is a zip of one
document per report plus 汇总.docx; the xlsx prints landscape, fit to width, with its header row
repeated. LibreOffice (installed by .ci/run) converts both to PDF as an office would print them."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

REPORTS = Path(__file__).resolve().parent.parent / "reports"
PANJIN = REPORTS / "panjin-2024-report.txt"


def _run(*args):
    from compliance.cli import _register, app

    _register()
    return CliRunner().invoke(app, list(args))


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def panjin_doc(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "审查意见.docx"
    res = _run("check", str(PANJIN), "--no-cache", "--format", "docx", "-o", str(out))
    assert res.exit_code == 0, res.output
    return out


def test_one_report_gives_one_opinion_with_everything_an_inspector_signs(panjin_doc):
    from compliance.batch.post import postprocess
    from compliance.batch.runner import Job, check_one

    rep = postprocess(check_one(str(PANJIN), Job(use_cache=False)))
    doc = Document(str(panjin_doc))
    text = _text(doc)
    assert doc.paragraphs[0].text == "法治政府建设报告审查意见"
    info = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert info["被审查单位"] == "盘锦市交通运输局"
    assert info["报告期"] == "2024" and info["文件类型"] == "年度报告"
    assert info["审查依据（规则集）"] == f"辽宁省 liaoning {rep.ruleset.version}"
    assert info["检查日期"] == dt.date.today().strftime("%Y年%m月%d日")
    # score and grade, in total and per family
    assert f"得分 {rep.score.total:.1f} 分，等级 {rep.score.grade}" in text
    fam = {row.cells[0].text.split()[0]: row.cells for row in doc.tables[1].rows[1:]}
    assert set(fam) == set(rep.score.by_family)
    assert fam["FCR"][1].text == "0.0" and fam["FCR"][2].text == "不合格"
    assert fam["AR"][2].text == "良好"  # 84.6
    # every finding, worst first, with its quote and line, basis and remediation
    gaps = [r for r in rep.results if r.status not in ("met", "not_applicable")]
    heads = [p.text for p in doc.paragraphs if p.text.startswith("（") and "〔" in p.text]
    assert len(heads) == len(gaps)
    assert heads[0].startswith("（一）FCR-01 开展公平竞争审查")
    assert "依据：《公平竞争审查条例》" in text and "整改建议：写明对起草的涉及经营者经济活动的政策措施" in text
    with_quote = next(r for r in gaps if r.evidence)
    assert f"引文（第 {with_quote.evidence[0].line} 行）：{with_quote.evidence[0].quote}" in text
    tes03 = next(r for r in gaps if r.rule_id == "TES-03")
    assert f"相近表述（未计入）（第 {tes03.trace.near_misses[0].line} 行）" in text
    # a signature block
    for word in ("审查人（签字）", "复核人（签字）", "审查单位（盖章）", "日期："):
        assert word in text


def test_a_batch_is_a_zip_of_one_opinion_per_report_and_a_summary(tmp_path):
    out = tmp_path / "审查意见.zip"
    (tmp_path / "empty.txt").write_bytes(b"")
    res = _run("check", str(REPORTS), str(tmp_path / "empty.txt"), "--no-cache", "--format", "docx", "-o", str(out))
    assert res.exit_code == 3  # the unreadable file; the others are still in the zip
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert names[0] == "汇总.docx"
        assert sorted(names[1:]) == ["审查意见-01-海盐县交通运输局-2020-2022.docx",
                                     "审查意见-02-盘锦市交通运输局-2024.docx",
                                     "审查意见-03-绍兴市交通运输局-2019.docx"]
        summary = Document(io.BytesIO(z.read("汇总.docx")))
        ranking = [[c.text for c in row.cells] for row in summary.tables[0].rows[1:]]
        assert [r[1] for r in ranking] == ["海盐县交通运输局", "绍兴市交通运输局", "盘锦市交通运输局"]
        assert ranking[2][7] == "审查意见-02-盘锦市交通运输局-2024.docx"
        assert "empty.txt" in _text(summary) and "文件为空" in _text(summary)
        one = Document(io.BytesIO(z.read(names[2])))
        assert "盘锦市交通运输局" in one.paragraphs[1].text


def test_same_results_same_bytes_and_no_docx_on_a_terminal(tmp_path):
    from compliance.batch.post import build_result, postprocess
    from compliance.batch.runner import Job, check_one
    from compliance.render import render

    result = build_result([postprocess(check_one(str(PANJIN), Job(use_cache=False)))])
    when = dt.date(2026, 3, 1)
    assert render(result, "docx", when=when) == render(result, "docx", when=when)


def _office(kind: str) -> bool:
    lib = {"writer": "libswlo.so", "calc": "libsclo.so"}[kind]
    return bool(shutil.which("soffice")) and Path("/usr/lib/libreoffice/program", lib).exists()


def _page_width(pdf: bytes) -> int:
    import re

    return int(float(re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+)", pdf).group(1)))


def _to_pdf(path: Path, tmp_path: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    return tmp_path / (path.stem + ".pdf")


@pytest.mark.skipif(not _office("writer"), reason="LibreOffice Writer is not installed")
def test_the_opinion_prints_in_libreoffice(panjin_doc, tmp_path):
    pdf = _to_pdf(panjin_doc, tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and _page_width(data) == 595  # A4 portrait
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "法治政府建设报告审查意见" in text and "审查人（签字）" in text and "FCR-01" in text


def test_xlsx_page_setup(tmp_path):
    import openpyxl

    out = tmp_path / "batch.xlsx"
    assert _run("check", str(REPORTS), "--no-cache", "-q", "--format", "xlsx", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize in (9, "9")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        assert ws.page_setup.fitToHeight in (0, "0")
        assert ws.print_title_rows.replace("$", "") == "1:1"
        assert ws.title in ws.oddHeader.center.text and "&D" in ws.oddFooter.left.text


@pytest.mark.skipif(not _office("calc"), reason="LibreOffice Calc is not installed")
def test_xlsx_prints_landscape_in_libreoffice(tmp_path):
    out = tmp_path / "batch.xlsx"
    assert _run("check", str(REPORTS), "--no-cache", "-q", "--format", "xlsx", "-o", str(out)).exit_code == 0
    data = _to_pdf(out, tmp_path).read_bytes()
    assert _page_width(data) == 841  # A4 landscape

"""The web app through FastAPI's TestClient: pages, API, downloads, limits and bad files.

Most tests swap the pipeline for a small stand-in (so they test the app, fast, whatever the
rulesets say); the `real_*` tests run the real pipeline on the shipped corpus reports.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from fastapi.testclient import TestClient

from compliance.models import Evidence, Meta, ReportResult, RuleResult, RulesetRef, Score  # noqa: E402
from compliance.web import service  # noqa: E402
from compliance.web.app import create_app  # noqa: E402
from compliance.web.service import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PANJIN = ROOT / "reports" / "panjin-2024-report.txt"

REPORT = """某某县交通运输局关于2024年法治政府建设情况的报告
一、主要工作开展情况
全面推行行政执法公示制度，全年公示执法信息128条。
二、存在问题
公平竞争审查工作尚未全面开展。<script>window.__pwned=1</script>
"""


def fake_pipeline(data: bytes, name: str, ruleset: str, doc_type: str | None):
    """Scores by what the text says, so tests can tell reports apart."""
    from compliance.readers import ReadError

    if name.endswith(".pdf") and not data.startswith(b"%PDF"):
        raise ReadError(name, "not a PDF file")
    text = data.decode("utf-8")
    lines = text.splitlines()
    if "损坏" in text:
        raise ValueError("corrupt content")
    has_tes = "公示" in text
    results = [
        RuleResult(
            rule_id="FCR-01", family="FCR", title="开展公平竞争审查", status="missing", severity="critical",
            points=6, earned=0, message="报告未提及公平竞争审查。", basis=["《公平竞争审查条例》第八条"],
            remediation="说明本年度开展公平竞争审查的情况。",
        ),
        RuleResult(
            rule_id="TES-01", family="TES", title="行政执法公示", status="met" if has_tes else "missing",
            severity="major", points=4, earned=4 if has_tes else 0, message="执法公示。", basis=["国办发〔2018〕118号"],
            remediation="公开执法信息。",
            evidence=[Evidence(quote="全面推行行政执法公示制度", line=3, section="一、主要工作开展情况", role="measures", polarity="positive")] if has_tes else [],
        ),
    ]
    total = 40.0 if has_tes else 0.0
    result = ReportResult(
        source=name, sha256="0" * 64,
        meta=Meta(title=lines[0] if lines else None, issuer="某某县交通运输局", doc_type=doc_type or "annual_report", period=(2024, 2024)),
        sections=[], ruleset=RulesetRef(name="national" if ruleset == "auto" else ruleset, version="1", chain=["national"]),
        results=results, score=Score(total=total, by_family={"FCR": 0.0, "TES": 100.0 if has_tes else 0.0}, grade="不合格"),
    )
    return result, lines


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_WEB_WORKERS", "0")  # the fake pipeline runs in this process
    monkeypatch.setattr(service, "run_pipeline", fake_pipeline)
    monkeypatch.setattr(service, "available_rulesets", lambda: ["national", "zhejiang"])


def client(**limits) -> TestClient:
    return TestClient(create_app(Limits(**limits)) if limits else create_app())


def upload(name: str, content: str | bytes):
    return ("files", (name, io.BytesIO(content.encode("utf-8") if isinstance(content, str) else content), "application/octet-stream"))


# --------------------------------------------------------------------------- self-check


def test_self_check_paste_shows_score_findings_and_escaped_highlighted_text(fake):
    c = client()
    r = c.post("/check", data={"text": REPORT, "ruleset": "auto"}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert 'id="score-total">40.0<' in html and "不合格" in html
    assert 'id="f-FCR-01"' in html and "报告未提及公平竞争审查" in html and "《公平竞争审查条例》第八条" in html
    # evidence highlighted on its line, linked by line anchor
    assert '<mark class="hl k-positive" id="q1" data-rules="TES-01"' in html
    assert 'href="#L3"' in html and 'id="L3"' in html
    # uploaded text never becomes markup
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_self_check_upload_with_path_in_name_uses_only_the_base_name(fake):
    c = client()
    r = c.post("/check", files=[("file", ("../../etc/年报.txt", REPORT.encode(), "text/plain"))], follow_redirects=False)
    assert r.status_code == 303
    html = c.get(r.headers["location"]).text
    assert "年报.txt" in html and "../" not in html and "etc/" not in html


def test_self_check_errors_are_readable_pages(fake):
    c = client()
    r = c.post("/check", data={"text": "  "})
    assert r.status_code == 400 and "请上传报告文件或粘贴报告全文" in r.text
    r = c.post("/check", files=[("file", ("report.exe", b"MZ\x90\x00", "application/octet-stream"))])
    assert r.status_code == 422 and "report.exe" in r.text and "不支持的文件类型 .exe" in r.text
    r = c.post("/check", data={"text": REPORT, "ruleset": "../../etc/passwd"})
    assert r.status_code == 400 and "未知的规则集" in r.text
    r = c.post("/check", data={"text": REPORT, "doc_type": "novel"})
    assert r.status_code == 400 and "未知的文档类型" in r.text
    assert c.get("/r/not-a-real-id").status_code == 404
    assert "已过期" in c.get("/r/not-a-real-id").text


def test_self_check_doc_type_override_reaches_the_pipeline(fake):
    c = client()
    r = c.post("/check", data={"text": REPORT, "doc_type": "plan"})
    assert r.status_code == 200 and "计划方案" in r.text


def test_report_downloads_json_html_xlsx(fake):
    openpyxl = pytest.importorskip("openpyxl")
    c = client()
    loc = c.post("/check", data={"text": REPORT}, follow_redirects=False).headers["location"]
    j = c.get(f"{loc}/download.json")
    assert j.status_code == 200 and "attachment" in j.headers["content-disposition"]
    body = j.json()
    assert body["reports"][0]["source"] == "粘贴文本.txt" and body["summary"]["checked"] == 1
    h = c.get(f"{loc}/download.html")
    assert h.status_code == 200 and "FCR-01" in h.text and "<script>window.__pwned" not in h.text
    x = c.get(f"{loc}/download.xlsx")
    assert x.status_code == 200, x.text[:200]
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    cells = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    assert "FCR-01" in cells
    assert c.get(f"{loc}/download.exe").status_code == 404


# --------------------------------------------------------------------------- limits


def test_file_over_the_size_limit_is_refused_with_413(fake):
    c = client(max_file_bytes=1000)
    r = c.post("/api/check", files=[upload("big.txt", "报" * 400)])  # 1200 bytes
    assert r.status_code == 413 and "big.txt" in r.json()["detail"] and "文件过大" in r.json()["detail"]
    r = c.post("/batch", files=[upload("ok.txt", REPORT), upload("big.txt", "报" * 400)])
    assert r.status_code == 413 and "文件过大" in r.text and "<form" in r.text


def test_too_many_files_is_refused(fake):
    c = client(max_files=3)
    files = [upload(f"r{i}.txt", REPORT) for i in range(4)]
    r = c.post("/api/check", files=files)
    assert r.status_code == 413 and "最多 3 个" in r.json()["detail"]
    r = c.post("/batch", files=files)
    assert r.status_code == 413 and "最多 3 个" in r.text
    assert c.post("/api/check", files=files[:3]).status_code == 200


def test_whole_request_over_the_body_limit_is_refused_before_parsing(fake):
    c = client(max_request_bytes=2000)
    r = c.post("/api/check", files=[upload("a.txt", "x" * 3000)])
    assert r.status_code == 413 and "上传内容过大" in r.json()["detail"]
    r = c.post("/check", files=[("file", ("a.txt", b"x" * 3000, "text/plain"))])
    assert r.status_code == 413 and "上传内容过大" in r.text


def test_pasted_text_over_the_limit_is_refused(fake):
    c = client(max_text_chars=100)
    r = c.post("/api/check", data={"text": "报" * 101})
    assert r.status_code == 413 and "文本过长" in r.json()["detail"]


# --------------------------------------------------------------------------- API


def test_api_bad_files_are_listed_and_the_rest_still_checked(fake):
    c = client()
    r = c.post("/api/check", files=[
        upload("good.txt", REPORT), upload("virus.exe", b"MZ"), upload("empty.txt", b""),
        upload("broken.txt", "损坏的文件"),
    ], data={"text": "另一份报告\n无内容"})
    assert r.status_code == 200
    body = r.json()
    assert [rep["source"] for rep in body["reports"]] == ["good.txt", "粘贴文本.txt"]
    errors = {e["source"]: e["error"] for e in body["errors"]}
    assert set(errors) == {"virus.exe", "empty.txt", "broken.txt"}
    assert errors["virus.exe"].startswith("virus.exe: 不支持的文件类型")
    assert "文件为空" in errors["empty.txt"] and "\n" not in errors["broken.txt"]
    assert body["summary"] == {"checked": 2, "failed": 3, "mean_score": 20.0}


def test_api_request_errors_are_json(fake):
    c = client()
    assert c.post("/api/check", data={}).status_code == 400
    r = c.post("/api/check", data={"text": REPORT, "ruleset": "nowhere"})
    assert r.status_code == 400 and "nowhere" in r.json()["detail"]
    r = c.post("/api/check", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "multipart" in r.json()["detail"]
    assert c.get("/api/rulesets").json()["rulesets"][:2] == ["auto", "national"]


def test_openapi_is_served_and_docs_page_needs_no_network(fake):
    c = client()
    spec = c.get("/openapi.json").json()
    assert "/api/check" in spec["paths"]
    props = spec["paths"]["/api/check"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert {"files", "text", "ruleset", "doc_type"} <= set(props)
    docs = c.get("/docs")
    assert docs.status_code == 200 and "/api/check" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text
    assert c.get("/redoc").status_code == 404
    for path in ("/", "/batch", "/rules", "/docs"):
        html = c.get(path).text
        assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html, path


# --------------------------------------------------------------------------- batch


def test_batch_ranks_reports_links_each_and_lists_bad_files(fake):
    c = client()
    r = c.post("/batch", files=[
        upload("weak.txt", "某局报告\n无相关内容"), upload("strong.txt", REPORT), upload("bad.pdf", b"not a pdf at all"),
    ], follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/b/")
    page = c.get(r.headers["location"]).text
    assert page.index("strong.txt") < page.index("weak.txt")  # ranked by score
    assert 'id="n-checked">2<' in page and 'id="n-failed">1<' in page
    assert "bad.pdf" in page
    # per-rule pass rate: TES-01 met in 1 of 2 reports
    row = page[page.index('<table class="sortable" id="rates">'):]
    tes = row[row.index(">TES-01<"):]
    assert "50%" in tes[: tes.index("</tr>")]
    # each report opens to its self-check view, with a way back
    link = page[page.index('href="/r/') + 6:]
    rid = link[: link.index('"')]
    detail = c.get(rid)
    assert detail.status_code == 200 and "返回批次" in detail.text
    x = c.get(f"{r.headers['location']}/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    j = c.get(f"{r.headers['location']}/download.json").json()
    assert j["summary"]["checked"] == 2 and j["errors"][0]["source"] == "bad.pdf"


def test_batch_without_files_says_so(fake):
    r = client().post("/batch", data={"ruleset": "auto"})
    assert r.status_code == 400 and "请选择要上传的报告文件" in r.text
    assert client().get("/b/unknown").status_code == 404


def test_store_forgets_oldest_results():
    from compliance.web.service import LRU

    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3


# --------------------------------------------------------------------------- real pipeline


def test_real_api_check_matches_the_pipeline():
    from compliance.pipeline import check_file

    c = client()
    r = c.post("/api/check", files=[upload("panjin-2024-report.txt", PANJIN.read_bytes())])
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["errors"] == [] and body["summary"]["checked"] == 1
    rep = body["reports"][0]
    expected = json.loads(check_file(PANJIN).model_dump_json())
    assert rep["score"] == expected["score"]
    assert {x["rule_id"]: x["status"] for x in rep["results"]} == {x["rule_id"]: x["status"] for x in expected["results"]}
    statuses = {x["rule_id"]: x["status"] for x in rep["results"]}
    assert statuses["FCR-01"] == "missing"
    assert rep["meta"]["province"] == "辽宁省"


def test_real_self_check_page_on_a_corpus_report():
    c = client()
    r = c.post("/check", files=[("file", ("panjin-2024-report.txt", PANJIN.read_bytes(), "text/plain"))], follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    html = c.get(r.headers["location"]).text
    assert 'id="f-FCR-01"' in html and "盘锦市交通运输局" in html
    assert html.count('<mark class="hl') >= 5


def test_real_rules_page_lists_rules_with_basis():
    c = client()
    html = c.get("/rules?ruleset=national").text
    assert 'id="FCR-01"' in html and "依据" in html
    assert c.get("/rules?ruleset=../../etc").status_code == 404


def test_chunked_body_without_length_is_cut_off_at_the_limit(fake):
    c = client(max_request_bytes=5000)
    boundary = "xyzBOUNDARY"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(20):
            yield b"x" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/api/check", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "上传内容过大" in r.json()["detail"]
    assert "单个文件上限" not in r.json()["detail"]  # refused while streaming, not by the Content-Length check


def test_real_docx_upload_is_read_and_checked():
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    for line in PANJIN.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    r = client().post("/api/check", files=[upload("盘锦年报.docx", buf.getvalue()), upload("坏文件.docx", b"PK\x03\x04 truncated")])
    assert r.status_code == 200
    body = r.json()
    assert [rep["source"] for rep in body["reports"]] == ["盘锦年报.docx"]
    rep = body["reports"][0]
    assert rep["meta"]["issuer"] == "盘锦市交通运输局" and rep["score"]["total"] is not None
    assert {x["rule_id"]: x["status"] for x in rep["results"]}["FCR-01"] == "missing"
    (err,) = body["errors"]
    assert err["source"] == "坏文件.docx" and err["error"].startswith("坏文件.docx: ")

"""The web app with the store: results survive a restart, resubmissions and copies are flagged
in the batch table, and the 历史 and 达标率 pages (with Excel downloads) answer from the records."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient

from compliance.web.app import create_app
from compliance.web.records import Records, trend_svg
from store_fixtures import db_url, pg_url  # noqa: F401 — fixtures

PANJIN = (Path(__file__).resolve().parent / "data" / "corpus" / "panjin-2024-report.txt").read_text(encoding="utf-8")
HAIYAN = (Path(__file__).resolve().parent / "data" / "corpus" / "haiyan-2020-plan.txt").read_text(encoding="utf-8")
OLDER = "\n".join(x for x in PANJIN.replace("2024", "2023").splitlines() if "培训" not in x)
COPY = PANJIN.replace("盘锦市交通运输局", "鞍山市交通运输局").replace("盘锦", "鞍山")


def app_on(url: str, keep_text: bool = False) -> TestClient:
    from compliance.store import open_engine

    return TestClient(create_app(records=Records(open_engine(url), keep_text=keep_text)))


def up(name: str, text: str):
    return ("files", (name, text.encode("utf-8"), "text/plain"))


def test_results_survive_a_restart_and_copies_are_flagged(db_url):
    c = app_on(db_url, keep_text=True)
    r = c.post("/batch", files=[up("panjin-2023.txt", OLDER), up("panjin.txt", PANJIN), up("haiyan.txt", HAIYAN)], follow_redirects=False)
    assert r.status_code == 303
    bid = r.headers["location"].rsplit("/", 1)[-1]
    r = c.post("/batch", files=[up("anshan.txt", COPY), up("panjin-v2.txt", PANJIN + "\n我局还组织开展了执法案卷评查工作。\n")], follow_redirects=False)
    bid2 = r.headers["location"].rsplit("/", 1)[-1]
    page = c.get(f"/b/{bid2}").text
    assert "疑似雷同" in page and "重新提交·第 2 版" in page

    c2 = app_on(db_url)  # a restart: a new app, an empty in-memory store, the same database
    page = c2.get(f"/b/{bid}").text
    assert c2.get(f"/b/{bid}").status_code == 200 and "panjin.txt" in page and "haiyan.txt" in page
    import re

    rid = re.search(r'href="/r/([^"]+)">panjin.txt<', page).group(1)
    rep = c2.get(f"/r/{rid}")
    assert rep.status_code == 200 and "盘锦市交通运输局" in rep.text
    assert "检查结果（含引文）保存在本机记录库中，报告全文不保存" in rep.text
    assert c2.get("/r/nonexistent").status_code == 404

    hist = c2.get("/history", params={"issuer": "盘锦"})
    assert hist.status_code == 200 and "<svg" in hist.text and "2023" in hist.text and "改进" in hist.text
    xlsx = c2.get("/history/download.xlsx", params={"issuer": "盘锦市交通运输局"})
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [ws.cell(i, 1).value for i in (2, 3)] == [2023, 2024]
    assert c2.get("/history", params={"issuer": "没有的局"}).status_code == 404

    co = c2.get("/cohort", params={"by": "province"})
    assert co.status_code == 200 and "辽宁省" in co.text and "浙江省" in co.text
    wb = openpyxl.load_workbook(io.BytesIO(c2.get("/cohort/download.xlsx", params={"by": "year"}).content)).active
    assert wb.cell(1, 1).value == "规则" and any("2024" in str(wb.cell(1, j).value) for j in range(3, wb.max_column + 1))
    assert c2.get("/cohort", params={"by": "nonsense"}).status_code == 400


def test_without_a_store_nothing_changes():
    c = TestClient(create_app())
    assert c.get("/history").status_code == 404
    assert "上传内容仅保存在内存中" in c.get("/").text


def test_trend_chart_is_plain_inline_svg():
    svg = str(trend_svg([("2022", 40.0), ("2023", None), ("2024", 75.5)]))
    assert svg.startswith("<svg") and "polyline" in svg and "75.5" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in svg

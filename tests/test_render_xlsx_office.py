"""The xlsx export opens in a real office suite (LibreOffice Calc, standing in for Excel/WPS):
every sheet loads and Chinese survives. Skips where Calc is not installed (.ci/run installs it)."""

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPORTS = Path(__file__).resolve().parent.parent / "reports"


def _calc_available() -> bool:
    office = shutil.which("soffice")
    return bool(office) and any(Path(p).exists() for p in (
        "/usr/lib/libreoffice/program/libsclo.so", "/usr/lib/libreoffice/program/libscfiltlo.so"))


@pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc is not installed")
def test_xlsx_opens_in_libreoffice_with_chinese_intact(tmp_path):
    from compliance.cli import _register, app

    _register()
    out = tmp_path / "batch.xlsx"
    res = CliRunner().invoke(app, ["check", str(REPORTS), "--no-cache", "-q", "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    # 76 = UTF-8; the last -1 exports every sheet to its own file
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(["soffice", "--headless", "--convert-to", filt, "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    sheets = sorted(p.name for p in tmp_path.glob("batch-*.csv"))
    assert len(sheets) == 3, sheets
    rows = {p.stem.split("-", 1)[1]: list(csv.reader(p.open(encoding="utf-8"))) for p in tmp_path.glob("batch-*.csv")}
    ranking = next(v for k, v in rows.items() if k == "排名")
    issuers = {r[3] for r in ranking[1:]}
    assert {"盘锦市交通运输局", "绍兴市交通运输局", "海盐县交通运输局"} <= issuers
    findings = next(v for k, v in rows.items() if k == "差距")
    assert any(r[2] == "FCR-01" and r[6] == "未体现" for r in findings[1:])

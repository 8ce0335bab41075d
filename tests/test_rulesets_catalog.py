"""The national ruleset implements the requirement catalog exactly; bases cite articles only
where research/regulations.md marks the article verified (V or V2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CATALOG = Path(__file__).resolve().parent / "data" / "spec" / "requirements.yaml"
NAMES = ["national", "zhejiang", "liaoning", "henan"]
PREFIX = {"zhejiang": "ZJ-", "liaoning": "LN-", "henan": "HA-"}
PROVINCE = {"zhejiang": "浙江省", "liaoning": "辽宁省", "henan": "河南省"}

# Documents whose article numbers research/regulations.md marks V/V2, with the articles allowed
# (None: any article, the full official text was read).
ARTICLES_OK: dict[str, set[str] | None] = {
    "法治政府建设与责任落实督察工作规定": {"第二十三条", "第二十四条"},
    "党政主要负责人履行推进法治建设第一责任人职责规定": {"第三条", "第四条", "第五条"},
    "重大行政决策程序暂行条例": None,
    "中华人民共和国行政处罚法": None,
    "公平竞争审查条例": None,
    "中华人民共和国反垄断法": None,
    "中华人民共和国行政诉讼法": None,
    "浙江省综合行政执法条例": None,
    "河南省行政执法条例": None,
}
ART = re.compile(r"第[一二三四五六七八九十百]+条")


@pytest.fixture(scope="module")
def catalog():
    return yaml.safe_load(CATALOG.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rulesets():
    from compliance.rules.load import load_ruleset

    return {n: load_ruleset(n) for n in NAMES}


# Document types added after the catalog (issue 12): FCR rules also apply to a 公平竞争审查 report,
# FRP rules to a 述法 report. The catalog's lists are the rest, in order.
ADDED_TYPES = {"FCR": ["fair_competition_report"], "FRP": ["shufa_report"]}


def _catalog_types(rule) -> list[str]:
    added = ADDED_TYPES.get(rule.family, [])
    assert rule.applies_to[len(rule.applies_to) - len(added):] == added, rule.id
    return [t for t in rule.applies_to if t not in added]


@pytest.mark.skipif(not CATALOG.exists(), reason="shared catalog not present")
def test_national_rules_are_the_catalog(catalog, rulesets):
    rs = rulesets["national"]
    want = {r["id"]: r for r in catalog["requirements"]}
    got = {cr.id: cr.rule for cr in rs.rules}
    assert list(got) == list(want)  # same ids, catalog order
    for rid, req in want.items():
        r = got[rid]
        assert r.family == req["family"], rid
        assert r.severity == req["severity"], rid
        assert r.points == req["points"], rid
        assert _catalog_types(r) == req["applies_to"], rid
        assert r.title == req["title"].split(" (")[0].strip(), rid
    assert got["FCR-05"].when is not None and got["FCR-05"].when.period_end_min == 2024
    assert got["TES-01"].derived is not None and got["TES-01"].derived.from_ == ["TES-02", "TES-03", "TES-04"]


@pytest.mark.skipif(not CATALOG.exists(), reason="shared catalog not present")
def test_catalog_provincial_items_are_implemented(catalog, rulesets):
    for item in catalog.get("provincial", []):
        name = next(n for n, p in PROVINCE.items() if p == item["province"])
        r = rulesets[name].rule(item["id"]).rule
        assert (r.severity, r.points, _catalog_types(r)) == (item["severity"], item["points"], item["applies_to"])


@pytest.mark.parametrize("name", ["zhejiang", "liaoning", "henan"])
def test_provincial_rulesets_extend_national_with_prefixed_ids(rulesets, name):
    rs = rulesets[name]
    assert rs.chain == ["national", name]
    assert rs.province == PROVINCE[name]
    national_ids = [cr.id for cr in rulesets["national"].rules]
    assert [cr.id for cr in rs.rules][: len(national_ids)] == national_ids
    own = [cr for cr in rs.rules if cr.origin == name]
    assert own, "a provincial ruleset adds at least one rule"
    for cr in own:
        assert cr.id.startswith(PREFIX[name]), cr.id


def test_zhejiang_publishes_by_march_first(rulesets):
    assert rulesets["zhejiang"].parameters["publish_deadline"] == "Y+1-03-01"
    assert rulesets["national"].parameters["publish_deadline"] == "Y+1-04-01"
    assert rulesets["national"].parameters["report_deadline"] == "Y+1-03-01"


@pytest.mark.parametrize("name", NAMES)
def test_article_numbers_only_where_verified(rulesets, name):
    for cr in rulesets[name].rules:
        for b in cr.rule.basis:
            # article numbers outside the trailing explanation in parentheses
            cited = ART.findall(re.sub(r"（[^）]*）$", "", b))
            if not cited:
                continue
            doc = re.search(r"《([^》]+)》", b)
            assert doc, f"{cr.id}: article cited without a document: {b}"
            allowed = ARTICLES_OK.get(doc.group(1), set())
            assert allowed is None or set(cited) <= allowed, f"{name} {cr.id}: unverified article in {b}"


def test_article_check_would_catch_an_unverified_article():
    b = "《党政主要负责人履行推进法治建设第一责任人职责规定》第九条（列入年终述职）"
    cited = ART.findall(re.sub(r"（[^）]*）$", "", b))
    assert cited == ["第九条"] and not set(cited) <= ARTICLES_OK["党政主要负责人履行推进法治建设第一责任人职责规定"]


@pytest.mark.parametrize("name", NAMES)
def test_every_rule_explains_itself_in_chinese(rulesets, name):
    zh = re.compile(r"[\u4e00-\u9fff]")
    for cr in rulesets[name].rules:
        r = cr.rule
        msgs = [r.message] if isinstance(r.message, str) else [v for v in r.message.model_dump().values() if v]
        assert r.basis and all(zh.search(b) for b in r.basis), r.id
        assert zh.search(r.remediation) and len(r.remediation) >= 20, r.id
        assert all(zh.search(m) for m in msgs), r.id

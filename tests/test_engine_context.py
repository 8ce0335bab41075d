"""Context decides whether a hit is evidence of the bureau's own work (compliance.engine.context):
purpose clauses and higher-level document titles are not, a slogan earns at most partial, and a
clause in a problems section that says something was done is positive for what it names.
Every sample is invented wording of the kind many bureaus write."""

from __future__ import annotations

import pytest

from compliance.engine import evaluate
from compliance.normalize import snippet_report
from compliance.rules.load import load_ruleset


@pytest.fixture(scope="module")
def national():
    return load_ruleset("national")


def status(rs, text: str, rule_id: str, role: str = "measures") -> str:
    res = evaluate(snippet_report(text, role=role), rs, backend="reference", trace=False)
    return next(r.status for r in res.results if r.rule_id == rule_id)


def test_a_purpose_clause_is_no_evidence(national):
    assert status(national, "为全面落实行政执法三项制度，提升执法规范化水平，我局加强队伍建设。", "TES-02") == "missing"
    # the clause after the purpose is the bureau's act
    assert status(national, "为规范执法行为，我局全面推行行政执法公示制度，全年公示行政处罚信息86条。", "TES-02") == "met"


def test_a_higher_level_title_is_no_evidence_unless_the_sentence_tells_the_act(national):
    text = "按照《党政主要负责人履行推进法治建设第一责任人职责规定》要求，认真开展各项工作。"
    assert status(national, text, "FRP-01") == "missing"
    # the same title with an act told in the sentence: the title names what was done
    done = "按照《关于建立公平竞争审查制度的实施意见》要求，对12件政策文件进行了审查。"
    assert status(national, done, "FCR-01") == "met"


def test_a_document_of_its_own_in_a_title_counts(national):
    assert status(national, "制定了《局行政执法全过程记录实施办法》，执法记录仪配备到每个执法小组。", "TES-03") == "met"


def test_a_slogan_earns_at_most_partial(national):
    assert status(national, "局主要负责人切实履行推进法治建设第一责任人职责，带头尊法学法守法用法。", "FRP-01") == "partial"
    # the same duty with what was done in the paragraph
    assert status(national, "局主要负责人切实履行推进法治建设第一责任人职责，全年主持召开党组会4次专题研究执法问题。",
                  "FRP-01") == "met"


def test_done_in_a_problems_section_is_positive_for_what_it_names(national):
    text = "虽然已制定了《重大执法决定法制审核办法》等制度，但执法全过程记录制度仍未落实到位。"
    assert status(national, text, "TES-04", role="problems") == "met"
    assert status(national, text, "TES-03", role="problems") == "self_reported_gap"

"""`--format junit`: one testsuite per report, one testcase per rule (classname = source,
name = rule id + title). Gaps are failures, not_applicable cases are skipped; an unreadable
input is a testsuite with one errored testcase. Waived gaps are reported as skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from compliance.models import CheckResult, InputError, ReportResult, Summary, ToolInfo
from compliance.render import Kept, build
from compliance.labels import STATUS_ZH, fmt_score
from compliance.results import is_finding
from compliance.render.escape import printable


class Builder(Kept):
    """The JUnit document built report by report: a batch keeps each report's small XML tree,
    not the report (`check --format junit` on thousands of reports)."""

    def __init__(self, **opts) -> None:
        self.root = ET.Element("testsuites", name="compliance")
        self.t_tests = self.t_fail = self.t_skip = self.t_err = 0

    def add(self, rep: ReportResult) -> str:
        suite = ET.SubElement(self.root, "testsuite", name=rep.meta.issuer or rep.source)
        tests = fail = skip = 0
        props = ET.SubElement(suite, "properties")
        for k, v in (("source", rep.source), ("score", fmt_score(rep.score.total)), ("grade", rep.score.grade or ""),
                     ("ruleset", f"{rep.ruleset.name} {rep.ruleset.version}")):
            ET.SubElement(props, "property", name=k, value=v)
        for r in rep.results:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=rep.source, name=f"{r.rule_id} {r.title}", time="0")
            if r.status == "not_applicable":
                skip += 1
                ET.SubElement(case, "skipped", message="不适用 not applicable")
            elif is_finding(r) and r.waived is not None:
                skip += 1
                ET.SubElement(case, "skipped", message=f"已豁免 waived: {r.waived.reason}")
            elif is_finding(r):
                fail += 1
                f = ET.SubElement(case, "failure", message=r.message or r.title, type=r.status)
                body = [f"{STATUS_ZH.get(r.status, r.status)} · {r.severity} · {r.earned:g}/{r.points:g}"]
                body += [f"L{e.line}: {e.quote}" for e in r.evidence[:3]]
                if not r.evidence and r.trace and r.trace.near_misses:
                    body += [f"L{n.line}: 相近表述（未计入）：{n.quote}（{n.reason}）" for n in r.trace.near_misses[:3]]
                body += [f"依据: {b}" for b in r.basis]
                if r.remediation:
                    body.append(f"整改建议: {r.remediation}")
                f.text = "\n".join(body)
        suite.set("tests", str(tests))
        suite.set("failures", str(fail))
        suite.set("errors", "0")
        suite.set("skipped", str(skip))
        suite.set("time", "0")
        self.t_tests, self.t_fail, self.t_skip = self.t_tests + tests, self.t_fail + fail, self.t_skip + skip
        return ""

    def finish(self, tool: ToolInfo | None, errors: list[InputError], summary: Summary | None = None) -> str:
        root = self.root
        for e in errors:
            suite = ET.SubElement(root, "testsuite", name=e.source, tests="1", failures="0", errors="1", skipped="0", time="0")
            case = ET.SubElement(suite, "testcase", classname=e.source, name="read", time="0")
            ET.SubElement(case, "error", message=e.error, type="ReadError")
            self.t_tests, self.t_err = self.t_tests + 1, self.t_err + 1
        root.set("tests", str(self.t_tests))
        root.set("failures", str(self.t_fail))
        root.set("errors", str(self.t_err))
        root.set("skipped", str(self.t_skip))
        ET.indent(root)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
        return printable(text)  # XML 1.0 has no control characters: an ESC in a file name would make it invalid


def render(result: CheckResult, **opts) -> str:
    return build(Builder(**opts), result)  # type: ignore[return-value]

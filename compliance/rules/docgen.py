"""Generate `docs/rules.md` from the rulesets, so the rule reference cannot drift from the YAML.

`python -m compliance.rules.docgen` rewrites the file; `--check` exits 1 when it is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compliance.rules.load import CompiledRuleset, RulesetError, available_rulesets, load_ruleset

from compliance.labels import DOC_TYPE_ZH as DOC_TYPES_ZH
from compliance.labels import SEVERITY_ZH as _SEVERITY_ZH
from compliance.labels import STATUS_ZH

SEVERITY_ZH = {k: f"{k} {v}" for k, v in _SEVERITY_ZH.items()}
ORDER = ["national"]  # national first, then the provinces alphabetically


def default_output() -> Path:
    import compliance

    return Path(compliance.__file__).resolve().parent.parent / "docs" / "rules.md"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _applies(rule) -> str:
    out = "、".join(DOC_TYPES_ZH.get(d, d) for d in rule.applies_to)
    w = rule.when
    if w is not None:
        conds = []
        if w.period_end_min is not None:
            conds.append(f"报告期截至{w.period_end_min}年及以后")
        if w.period_end_max is not None:
            conds.append(f"报告期截至{w.period_end_max}年及以前")
        if w.province:
            conds.append("、".join(w.province))
        if w.level:
            conds.append("、".join(w.level))
        if conds:
            out += "（" + "；".join(conds) + "）"
    return out


def _rule_rows(rs: CompiledRuleset, only_origin: str | None, ids: set[str] | None = None) -> list[str]:
    rows = [
        "| 规则 | 名称 | 族 | 严重程度 | 分值 | 适用文件 | 依据 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for cr in rs.rules:
        if only_origin is not None and cr.origin != only_origin:
            continue
        if ids is not None and cr.id not in ids:
            continue
        r = cr.rule
        kind = "（派生）" if r.derived is not None else ""
        off = f"（本规则集停用：{_cell(cr.disabled)}）" if cr.disabled else ""
        rows.append(
            f"| {r.id} | {_cell(r.title)}{kind}{off} | {r.family} | {SEVERITY_ZH.get(r.severity, r.severity)} | "
            f"{r.points:g} | {_applies(r)} | {'<br>'.join(_cell(b) for b in r.basis)} |"
        )
    return rows


def _names() -> list[str]:
    names = sorted(available_rulesets())
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def _changed(rs: CompiledRuleset, parent: CompiledRuleset | None) -> tuple[list[str], set[str]]:
    """Inherited rules whose fields this ruleset overrides (as text lines and ids), and changed parameters."""
    out: list[str] = []
    ids: set[str] = set()
    if parent is None:
        return out, ids
    prules = {r.id: r for r in parent.rules}
    for cr in rs.rules:
        p = prules.get(cr.id)
        if p is None or cr.origin != p.origin:
            continue
        a = cr.rule.model_dump(exclude={"examples"})
        b = p.rule.model_dump(exclude={"examples"})
        fields = [k for k in a if a[k] != b[k]]
        if cr.disabled != p.disabled:
            fields.append("disabled")
        if fields:
            ids.add(cr.id)
            out.append(f"- {cr.id}（{_cell(cr.rule.title)}）：调整 {', '.join(fields)}")
    for k, v in sorted(rs.parameters.items()):
        if parent.parameters.get(k) != v:
            out.append(f"- 参数 `{k}`: `{parent.parameters.get(k)}` → `{v}`")
    return out, ids


def render() -> str:
    """The whole document as Markdown (deterministic: no dates, sorted rulesets)."""
    lines = [
        "# 规则一览（Rules reference）",
        "",
        "本文件由 `python -m compliance.rules.docgen` 根据 `rulesets/*.yaml` 自动生成，请勿手工修改。",
        "每条规则的证据线索、正反示例见 `compliance rules show 规则编号`。",
        "",
        "状态含义：" + "；".join(f"{k} {v}" for k, v in STATUS_ZH.items()) + "。计分：met 1、partial 0.5、planned 0.25（计划类文件中为 1）、self_reported_gap 0.25、missing 0。",
        "",
    ]
    loaded: dict[str, CompiledRuleset] = {}
    for name in _names():
        try:
            loaded[name] = load_ruleset(name)
        except RulesetError as exc:
            raise SystemExit(f"docgen: ruleset {name} is invalid:\n{exc}") from None
    for name, rs in loaded.items():
        parent = loaded.get(rs.chain[-2]) if len(rs.chain) > 1 else None
        title = f"## {rs.display_name}规则集 `{name}`" if rs.display_name else f"## 规则集 `{name}`"
        lines += [title, ""]
        if rs.description:
            lines += [_cell(rs.description), ""]
        lines += [f"版本 {rs.version}；继承链 {' → '.join(rs.chain)}；共 {len(rs.rules)} 条规则。", ""]
        if parent is None:
            params = ", ".join(f"`{k}` = `{v}`" for k, v in sorted(rs.parameters.items()))
            if params:
                lines += [f"参数：{params}", ""]
            lines += _rule_rows(rs, None) + [""]
        else:
            own = [cr for cr in rs.rules if cr.origin == name]
            if own:
                lines += ["本规则集新增的规则：", ""] + _rule_rows(rs, name) + [""]
            changed, ids = _changed(rs, parent)
            if changed:
                lines += ["对继承规则的调整：", ""] + changed + [""]
            if ids:
                lines += ["调整后的继承规则：", ""] + _rule_rows(rs, None, ids) + [""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m compliance.rules.docgen", description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=None, help="where to write (default: docs/rules.md)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the file differs from what would be generated")
    a = ap.parse_args(argv)
    out = a.output or default_output()
    text = render()
    if a.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out}: stale; run python -m compliance.rules.docgen", file=sys.stderr)
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

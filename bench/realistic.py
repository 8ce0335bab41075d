"""Generate N reports shaped like the ones inspectors really receive (sizes and layouts), seeded.

`bench/generate.py` writes tidy ~2,300-character reports; real ones run 3,000–30,000 characters
and arrive in a few layouts, which cost the engine differently. The shapes here were read off the
corpus (tests/data/corpus): multi-line documents with numbered items; saved web pages whose
metadata block comes first and whose body is one long line per section (or one line in all);
tables flattened to `|` lines; PDF extractions wrapped at 12–30 characters (up to ~2,000 lines);
and a few hostile-but-legal ones (a 30,000-character line with no sentence end, hundreds of
headings, one cue phrase repeated hundreds of times, deep item numbering, digit-heavy tables).
The wording comes from `generate.py`'s pools (the repo's own `reports/`) and from templates here.

    python bench/realistic.py OUT_DIR [-n 2000] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from generate import BUREAUS, GAP_TEMPLATES, NUMERALS, OFFICES, PLAN_TEMPLATES, TOPICS, _load_sections, _vary

# (shape, weight): what share of the batch has each layout.
SHAPES = [("lines", 40), ("page_sections", 18), ("page_one", 8), ("table", 12), ("wrapped", 14), ("hostile", 8)]
HOSTILE = ("no_stop", "many_headings", "repeat_cue", "deep_items", "digits")

ACTS = ["印发实施", "制定出台", "全面推行", "持续深化", "严格落实", "建立健全", "组织开展", "扎实推进"]
ITEMS = ["专项培训", "案卷评查", "执法检查", "普法宣传活动", "合法性审核", "行政复议案件", "法律顾问咨询",
         "公平竞争审查", "政务公开事项", "信用修复"]
TAILS = ["确保各项工作依法有序开展。", "有效提升了依法行政能力和水平。", "做到应审尽审、应公开尽公开。",
         "形成了较为完善的制度体系。", "群众满意度明显提升。"]
CHROME = ["标题: {title}", "发布时间: {year}-0{m}-1{d} 10:{d}5", "文号: 无", "发布机构: {issuer}",
          "栏目: 其他应主动公开的政府信息"]
CRUMB = ("当前位置： 首页政务公开政府信息公开{issuer}法定主动公开内容 索 引 号： PZ00{i}-3000-{year}-000{d} "
         "主题分类： 无 发文机关： {issuer} 成文日期：{year}-0{m}-1{d} 标 题： {title} 发文字号： 无 ")


def _synth(rng: random.Random, year: int) -> str:
    """One paragraph of measure wording built from templates (counts, topics, acts)."""
    t = rng.choice(TOPICS)
    n = rng.randint(1, 900)
    parts = [f"{rng.choice(ACTS)}{t}，", f"{year}年共开展{rng.choice(ITEMS)}{n}次，",
             f"办理{rng.choice(ITEMS)}{rng.randint(1, 300)}件，", rng.choice(TAILS)]
    if rng.random() < 0.5:
        parts.insert(2, f"覆盖{rng.randint(2, 60)}个单位、{rng.randint(10, 3000)}人次，")
    return "".join(parts)


def _table(rng: random.Random, year: int, rows: int) -> list[str]:
    """A table as a reader flattens it: one `|` line per row."""
    out = ["| 序号 | 工作事项 | 完成情况 | 数量 |", "| --- | --- | --- | --- |"]
    for j in range(rows):
        out.append(f"| {j + 1} | {rng.choice(TOPICS)} | {rng.choice(('已完成', '推进中', '未完成'))} | "
                   f"{rng.randint(0, 5000)} |")
    if rng.random() < 0.5:
        out.append(f"| 合计 | {year}年度 | — | {rng.randint(100, 90000)} |")
    return out


def _body(rng: random.Random, pools: dict[str, list[str]], year: int, target: int) -> list[tuple[str, list[str]]]:
    """Sections (heading, paragraphs) whose text adds up to about `target` characters."""
    topics = rng.sample(TOPICS, 4)
    measures: list[str] = []
    size = 0
    while size < target * 0.8:
        para = _vary(rng, rng.choice(pools["measures"]), pools["measures"]) if rng.random() < 0.7 else _synth(rng, year)
        measures.append(para)
        size += len(para)
    problems = [_vary(rng, x, pools["problems"]) for x in rng.sample(pools["problems"], rng.randint(0, 3))]
    if rng.random() < 0.6:
        problems.append(rng.choice(GAP_TEMPLATES).format(t=topics[0]))
    plans = [_vary(rng, x, pools["plans"]) for x in rng.sample(pools["plans"], rng.randint(0, 4))]
    if rng.random() < 0.6:
        plans.append(rng.choice(PLAN_TEMPLATES).format(t=topics[1], year=year + 1))
    secs = [("主要工作举措", measures), ("存在的问题和不足", problems), (f"{year + 1}年工作安排", plans)]
    return [(h, p) for h, p in secs if p]


def _numbered(rng: random.Random, paras: list[str]) -> list[str]:
    if len(paras) > 1 and rng.random() < 0.5:
        return [f"（{NUMERALS[j % 10]}）{x}" if j < 10 else x for j, x in enumerate(paras)]
    return paras


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def one(rng: random.Random, pools: dict[str, list[str]], i: int) -> tuple[str, str]:
    """Return (file name, text) for report number `i`."""
    province, city, county = rng.choice(BUREAUS)
    issuer = f"{county or city}{rng.choice(OFFICES)}"
    year = rng.randint(2019, 2025)
    title = rng.choice([f"{issuer}关于{year}年度法治政府建设情况的报告", f"{issuer}{year}年法治政府建设工作总结",
                        f"{issuer}{year}年法治政府建设自查报告"])
    shape = rng.choices([s for s, _ in SHAPES], [w for _, w in SHAPES])[0]
    target = int(min(30_000, max(3_000, rng.lognormvariate(8.9, 0.6))))  # median ≈ 7,300 characters
    m, d = rng.randint(1, 3), rng.randint(0, 9)
    fmt = {"title": title, "issuer": issuer, "year": year + 1, "m": m, "d": d, "i": i % 997}
    secs = _body(rng, pools, year, target)
    lead = f"{year}年,我局坚持以习近平法治思想为指导,全面推进依法行政。"
    sign = [issuer, f"{year + 1}年{m}月{d + 1}日"]
    lines: list[str] = []
    if shape in ("lines", "table"):
        lines = [title, lead]
        for k, (h, paras) in enumerate(secs):
            lines.append(f"{NUMERALS[k]}、{h}")
            paras = _numbered(rng, paras)
            if shape == "table" and k == 0:
                cut = rng.randint(1, max(1, len(paras) - 1))
                paras = paras[:cut] + _table(rng, year, rng.randint(4, 40)) + paras[cut:]
            lines += paras
        lines += sign
    elif shape in ("page_sections", "page_one"):
        lines = [c.format(**fmt) for c in CHROME]
        body = [f"{NUMERALS[k]}、{h}" + "".join(_numbered(rng, p)) for k, (h, p) in enumerate(secs)]
        crumb = CRUMB.format(**fmt)
        if shape == "page_one":
            lines.append(crumb + title + lead + "".join(body) + "".join(sign))
        else:
            lines += [crumb + title + lead, *body, " ".join(sign)]
        lines.append("【打印本页】 【关闭窗口】")
    elif shape == "wrapped":
        width = rng.randint(12, 30)
        lines = [title]
        for k, (h, paras) in enumerate(secs):
            lines.append(f"{NUMERALS[k]}、{h}")
            for p in _numbered(rng, paras):
                lines += _wrap(p, width)
        lines += sign
    else:
        kind = HOSTILE[i % len(HOSTILE)]
        if kind == "no_stop":  # one 30k line with commas only
            text = "，".join(p.replace("。", "，").replace("；", "，") for _, ps in secs for p in ps)
            lines = [title, (text * (1 + 30_000 // max(1, len(text))))[:30_000]]
        elif kind == "many_headings":
            lines = [title]
            for k, p in enumerate(p for _, ps in secs for p in ps):
                lines += [f"{NUMERALS[k % 10]}、{rng.choice(TOPICS)}情况", p]
        elif kind == "repeat_cue":
            t = rng.choice(TOPICS)
            lines = [title, "一、主要工作举措"] + [f"严格落实{t}，{t}得到落实。"] * 600 + sign
        elif kind == "deep_items":
            lines = [title, "一、主要工作举措"]
            for k, p in enumerate(secs[0][1]):
                lines += [f"（{NUMERALS[k % 10]}）{p[:40]}", f"{k % 9 + 1}.{p[40:120]}", f"（{k % 9 + 1}）{p[120:]}",
                          f"①{rng.choice(TOPICS)}。"]
            lines += sign
        else:  # digits: a long table of numbers
            lines = [title, "一、主要工作举措", *_table(rng, year, 600), *sign]
    return f"{shape}-{i:05d}.txt", "\n".join(lines) + "\n"


def generate(n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pools = _load_sections()
    return [one(rng, pools, i) for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for name, text in generate(a.n, a.seed):
        (a.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {a.n} reports to {a.out}")


if __name__ == "__main__":
    main()

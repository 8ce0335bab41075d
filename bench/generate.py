"""Generate N synthetic reports by recombining corpus paragraphs with a fixed seed.

Each report gets a bureau from a varied list (provinces, cities, counties), a year, a document
type, and a random subset of measure / problem / plan paragraphs drawn from the corpus reports,
so evidence and gaps differ from report to report. For more variety (all from the one seeded
generator, so the output is the same on every run): sentences are dropped from and spliced
between paragraphs, counts are changed, some topics are written as self-reported gaps or as
plans only, heading styles vary, some reports lack the signature or date, a few are plans or
not rule-of-law reports at all (政务公开年报), and a few carry full-width digits or web-page chrome.
Used by `bench/run_bench.py` and the reliability tests.

    python bench/generate.py OUT_DIR [-n 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "reports"

HEADING = re.compile(r"^\s*([一二三四五六七八九十]+)[、.．]\s*(.+)$")
ROLE_WORDS = {
    "problems": ("问题", "不足", "短板"),
    "plans": ("下一步", "下步", "思路", "安排", "计划", "打算"),
    "measures": ("举措", "工作", "措施", "情况", "任务", "成效", "亮点"),
}

BUREAUS = [
    ("浙江省", "绍兴市", None), ("浙江省", "嘉兴市", "海盐县"), ("浙江省", "杭州市", "临平区"),
    ("辽宁省", "盘锦市", None), ("辽宁省", "朝阳市", None), ("辽宁省", "鞍山市", "台安县"),
    ("河南省", "许昌市", "建安区"), ("河南省", "郑州市", None), ("河南省", "洛阳市", "新安县"),
    ("四川省", "成都市", None), ("山东省", "青岛市", "即墨区"), ("贵州省", "遵义市", None),
]
OFFICES = ["交通运输局", "市场监督管理局", "自然资源局", "生态环境局", "应急管理局"]
NUMERALS = "一二三四五六七八九十"


def _load_sections() -> dict[str, list[str]]:
    """Paragraphs of the corpus, grouped by the role of their top-level heading."""
    pools: dict[str, list[str]] = {"measures": [], "problems": [], "plans": []}
    for path in sorted(CORPUS.glob("*.txt")):
        role = None
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            m = HEADING.match(line)
            if m:
                heading = m.group(2)
                role = next((r for r, words in ROLE_WORDS.items() if any(w in heading for w in words)), None)
                continue
            if role and len(line) > 30:
                pools[role].append(line)
    return pools


TOPICS = [
    "行政执法公示制度", "执法全过程记录制度", "重大执法决定法制审核制度", "公平竞争审查制度",
    "法治政府建设年度报告公开", "领导干部学法制度", "行政规范性文件合法性审核", "行政复议和应诉工作",
    "法律顾问制度", "“谁执法谁普法”责任制", "行政执法人员培训", "证明事项告知承诺制",
]
GAP_TEMPLATES = [
    "{t}尚未完全落实到位，个别单位执行不够规范。", "{t}还存在薄弱环节，有待进一步加强。",
    "部分执法人员对{t}理解不深，落实不到位。", "{t}仍不够健全，相关配套措施需要完善。",
]
PLAN_TEMPLATES = [
    "下一步，将进一步健全{t}，确保各项要求落地见效。", "{year}年，我局将全面推行{t}。",
    "力争在年内完善{t}，提升依法行政水平。",
]
CHROME = ["当前位置:首页 > 政务公开 > 计划总结", "索引号: 11330600/{year}-00{i} 公开方式: 主动公开",
          "发布日期:{year}-0{m}-1{d} 浏览次数: 字体:[大 中 小]", "分享到: 微信 微博"]
SUBNUM = "一二三四五六七八九十"
_NUM = re.compile(r"(?<![0-9])([1-9][0-9]{0,4})(?![0-9]*年)(?=[件次人个项户家条%万元])")
_SENT = re.compile(r"(?<=[。；！？])")
_LEAD = re.compile(r"^\s*(?:[(（][一二三四五六七八九十]+[)）]|\d+[.．、])\s*")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _vary(rng: random.Random, para: str, pool: list[str]) -> str:
    """Drop a sentence, splice in one from another paragraph, change the counts."""
    sents = [x for x in _SENT.split(para) if x]
    if len(sents) > 2 and rng.random() < 0.3:
        del sents[rng.randrange(1, len(sents))]
    if pool and rng.random() < 0.2:
        other = [x for x in _SENT.split(rng.choice(pool)) if x]
        if len(other) > 1:
            sents.insert(rng.randrange(1, len(sents) + 1), rng.choice(other[1:]))
    out = "".join(sents)
    if rng.random() < 0.5:
        out = _NUM.sub(lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.3, 2.0)))), out)
    return out


def generate(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """Return (file name, text) pairs."""
    rng = random.Random(seed)
    pools = _load_sections()
    out = []
    for i in range(n):
        province, city, county = rng.choice(BUREAUS)
        place = county or city
        office = rng.choice(OFFICES)
        issuer = f"{place}{office}"
        year = rng.randint(2019, 2025)
        kind = rng.random()
        if kind < 0.62:
            title = f"{issuer}关于{year}年度法治政府建设情况的报告"
        elif kind < 0.80:
            title = f"{issuer}{year}年法治政府建设工作总结"
        elif kind < 0.90:
            title = f"{issuer}{year}年法治政府建设自查报告"
        elif kind < 0.96:
            title = f"{issuer}法治政府建设行动计划（{year}—{year + 2}年）"
        else:
            title = f"{issuer}{year}年政府信息公开工作年度报告"
        parts = []
        if rng.random() < 0.1:  # saved from a web page: breadcrumbs and metadata around the text
            parts += [c.format(year=year + 1, i=i % 97, m=rng.randint(1, 3), d=rng.randint(0, 9)) for c in CHROME]
        parts += [title, f"{year}年,我局坚持以习近平法治思想为指导,全面推进依法行政。"]
        style = rng.choice(("cn", "cn", "cn", "md", "part"))
        sections = [("主要工作举措", "measures", rng.randint(2, 14)),
                    ("存在的问题和不足", "problems", rng.randint(0, 3)),
                    (f"{year + 1}年工作安排", "plans", rng.randint(0, 4))]
        topics = rng.sample(TOPICS, 4)
        num = 0
        for heading, role, k in sections:
            if k == 0 or not pools[role]:
                continue
            if style == "md":
                parts.append(f"## {NUMERALS[num]}、{heading}")
            elif style == "part":
                parts.append(f"第{NUMERALS[num]}部分 {heading}")
            else:
                parts.append(f"{NUMERALS[num]}、{heading}")
            num += 1
            paras = [_vary(rng, x, pools[role]) for x in rng.sample(pools[role], min(k, len(pools[role])))]
            if role == "problems" and rng.random() < 0.6:
                paras.append(rng.choice(GAP_TEMPLATES).format(t=topics[0]))
            if role == "plans" and rng.random() < 0.6:
                paras.append(rng.choice(PLAN_TEMPLATES).format(t=topics[1], year=year + 1))
            if role == "measures" and rng.random() < 0.3 and len(paras) > 1:
                paras = [f"（{SUBNUM[j]}）{_LEAD.sub('', x)}" for j, x in enumerate(paras[:10])] + paras[10:]
            parts.extend(paras)
        month, day = rng.randint(1, 5), rng.randint(1, 28)
        tail = rng.random()
        if tail < 0.85:
            parts += [issuer, f"{year + 1}年{month}月{day}日"]
        elif tail < 0.93:
            parts += [issuer]  # no date: the deadline rule cannot be judged
        text = "\n".join(parts) + "\n"
        if rng.random() < 0.05:
            text = text.translate(_FULL)
        out.append((f"r{i:05d}.txt", text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for name, text in generate(a.n, a.seed):
        (a.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {a.n} reports to {a.out}")


if __name__ == "__main__":
    main()

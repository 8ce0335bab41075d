"""Generate N synthetic reports by recombining corpus paragraphs with a fixed seed.

Each report gets a bureau from a varied list (provinces, cities, counties), a year, a document
type, and a random subset of measure / problem / plan paragraphs drawn from the corpus reports,
so evidence and gaps differ from report to report. Used by `bench/run_bench.py`.

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
        if kind < 0.7:
            title = f"{issuer}关于{year}年度法治政府建设情况的报告"
        elif kind < 0.9:
            title = f"{issuer}{year}年法治政府建设工作总结"
        else:
            title = f"{issuer}{year}年法治政府建设自查报告"
        parts = [title, f"{year}年,我局坚持以习近平法治思想为指导,全面推进依法行政。"]
        sections = [("主要工作举措", "measures", rng.randint(3, 10)),
                    ("存在的问题和不足", "problems", rng.randint(0, 3)),
                    (f"{year + 1}年工作安排", "plans", rng.randint(1, 4))]
        num = 0
        for heading, role, k in sections:
            if k == 0 or not pools[role]:
                continue
            parts.append(f"{NUMERALS[num]}、{heading}")
            num += 1
            parts.extend(rng.sample(pools[role], min(k, len(pools[role]))))
        month, day = rng.randint(1, 5), rng.randint(1, 28)
        parts += [issuer, f"{year + 1}年{month}月{day}日"]
        out.append((f"r{i:05d}.txt", "\n".join(parts) + "\n"))
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

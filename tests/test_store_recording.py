"""How `check --record` builds a report's rows: the sentence hashes of the faster digest are
those stored before; a batch worker builds the rows without SQLAlchemy."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
PANJIN = CORPUS / "panjin-2024-report.txt"


def _reference_digest(lines: list[str]) -> set[int]:
    """The sentence hashes as first written: NFKC of the whole text, then sentence by sentence."""
    from compliance.store.digest import MIN_CHARS, _h64

    num = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两]+")
    drop = str.maketrans("", "", " \t\u3000\xa0,.:()[]<>\"'-_/\\、，：“”‘’（）《》【】「」『』…—·")
    text_ = num.sub("#", unicodedata.normalize("NFKC", "".join(line.strip() for line in lines)))
    out = set()
    for part in re.split(r"[。！？；!?;]+", text_):
        norm = part.translate(drop)
        if len(norm) >= MIN_CHARS:
            out.add(_h64(norm))
    return out


def test_sentence_hashes_are_those_stored_before():
    """Sentence hashes are compared with those of reports recorded long ago: the faster digest
    (full-width punctuation to ASCII before NFKC, punctuation dropped from the whole text) must
    give exactly the same set, whatever the text holds."""
    from compliance.store.digest import digest_lines, nfkc

    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert set(digest_lines(lines).sentences) == _reference_digest(lines), path.name
    rnd = random.Random(5)
    # full-width and compatibility forms, combining marks, every sentence end and dropped mark
    alphabet = list("法治政府建设工作年度一二十0123456789０１２３，。；：！？（）“”、…—·　 \t\xa0①㈠ｶﾞ゛é\u0301ﬁ²½％＄Ａａ～;!?.:,"
                    "\uff61\ufe54\u2026\u3000")
    for _ in range(3000):
        lines = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(rnd.randint(1, 5))]
        assert set(digest_lines(lines).sentences) == _reference_digest(lines), lines
        joined = "".join(lines)
        assert nfkc(joined) == unicodedata.normalize("NFKC", joined)


def test_a_worker_builds_the_rows_without_sqlalchemy(tmp_path):
    """A batch worker builds each report's rows (`--record`); importing SQLAlchemy there would
    cost every worker process half a second."""
    code = (
        "import sys\n"
        "from compliance.batch import runner\n"
        "runner._JOB = runner.Job(use_cache=False, record=True)\n"
        f"got = runner._check_one_wire({str(PANJIN)!r})\n"
        "report, rules, extra = got[2]\n"
        "assert report['document'] and rules and extra['sentences'] and len(extra['sketch']) == 24\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]

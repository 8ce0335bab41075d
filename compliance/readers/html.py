"""Government web pages saved as HTML: the metadata table into `hints`, the article body into lines.

Per research/deps.md §5: decode with the text cascade (the page's charset is only a hint), pull
the 索引号/发布机构/… table with selectolax, take the body from known CMS content containers,
else readability-lxml, then drop chrome lines. One line per block element or <br>; a table row
is one line with its cells joined by a space.
"""

from __future__ import annotations

import re

from loguru import logger
from selectolax.lexbor import LexborHTMLParser, LexborNode

from compliance.models import RawDocument
from compliance.readers.base import ReadError, finish, over_limit
from compliance.readers.chrome import is_chrome_line
from compliance.readers.plain import decode

# Content containers of the CMSs behind most government sites (TRS, 大汉 Hanweb, 开普云 UCAP,
# 拓尔思 WCM …), specific first; generic ones last and only if their text is not mostly links.
CONTENT_SELECTORS = (
    "#zoom", "#Zoom", ".zoom", "#fontzoom", ".TRS_Editor", ".TRS_UEDITOR", "#UCAP-CONTENT", ".pages_content",
    ".article-content", "#article-content", ".article_content", ".art_con", ".arti_con", ".artCon",
    ".news_content", "#news_content", ".detail-content", ".detail_content", "#detailContent",
    ".xxgk_content", "#xxgk_content", ".wzy_content", ".main-txt", "#contentText", ".contentText",
    ".bt_content", ".content_text", "#ivs_content", ".Custom_UnionStyle", "#content", ".view", ".article",
    "article", ".content",
)
_MIN_BODY_CHARS = 40
_MAX_LINK_DENSITY = 0.35

# Metadata labels: canonical key → label variants seen on government sites.
META_LABELS: dict[str, tuple[str, ...]] = {
    "索引号": ("索引号",),
    "发布机构": ("发布机构", "发文机关", "发文机构", "发布单位", "发文单位", "公开机构"),
    "信息来源": ("信息来源", "来源"),
    "成文日期": ("成文日期", "成文时间", "生成日期", "印发日期"),
    "发文字号": ("发文字号", "文号", "文件编号", "发文编号"),
    "发布日期": ("发布日期", "发布时间", "公开日期", "公开时间"),
    "主题分类": ("主题分类", "信息分类", "分类"),
    "title": ("名称", "标题", "文件名称"),
}
_LABEL_TO_KEY = {v: k for k, vs in META_LABELS.items() for v in vs}
# Generic words that count as labels only when a colon follows (a table header 名称 is not one).
_WEAK_LABELS = {"来源", "分类", "名称", "标题"}
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, lab)) for lab in sorted(_LABEL_TO_KEY, key=len, reverse=True))
_LABEL_RE = re.compile(r"(?:^|(?<=[\s|｜】\]）)]))(?P<label>" + _LABEL_ALT + r")\s*(?P<colon>[:：])?")
# A value ends where the next "label:" begins (浏览次数： 作者： …).
_VALUE_END = re.compile(r"\s+[^\s:：\d][^\s:：]{0,7}\s*[:：]")
_STRONG_ALT = "|".join(
    r"\s*".join(map(re.escape, lab)) for lab in sorted(_LABEL_TO_KEY, key=len, reverse=True) if lab not in _WEAK_LABELS
)
_META_LINE = re.compile(r"^\s*(?:" + _LABEL_ALT + r")\s*[:：]|^\s*(?:" + _STRONG_ALT + r")(?:\s|$)")

_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "section", "summary",
    "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul",
}
_SKIP = {
    "-comment", "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
    "select", "option", "button", "input", "textarea", "svg", "canvas", "map", "audio", "video", "meta", "link",
}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_NL_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s*\\n\\s*(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_ENC = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s|--)\s*")


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _CHARSET.search(head) or _XML_ENC.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


# HTML parsers take time quadratic in nesting depth (lexbor: 2 s at 20,000 levels, minutes at
# 200,000); real pages nest under a hundred levels, old generated ones a few thousand.
MAX_HTML_DEPTH = 10_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)>")
# elements that never nest (void) or whose end tag is optional: they do not deepen the estimate
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
                  "option optgroup thead tbody tfoot colgroup caption rb rt rtc rp".split())


def check_depth(text: str, source: str) -> None:
    """Refuse markup nested deeper than MAX_HTML_DEPTH, estimated from open and close tags before any
    parser sees it (an over-estimate for sloppy markup, never an under-estimate for nesting)."""
    depth = 0
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name in _FLAT or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise over_limit(source, f"网页嵌套超过 {MAX_HTML_DEPTH:,} 层", f"markup nested more than {MAX_HTML_DEPTH:,} levels deep")


def read_html(data: bytes, source: str) -> RawDocument:
    hint = declared_charset(data)
    text, encoding, warnings = decode(data, source, hint=hint)
    if not text.strip():
        raise ReadError(source, "contains no text")
    check_depth(text, source)
    tree = LexborHTMLParser(text)
    hints = extract_meta(tree)
    heading, heading_node = _article_heading(tree, hints)
    if heading and "title" not in hints:
        hints["title"] = heading

    node = find_content(tree)
    if node is not None:
        lines = block_lines(node)
        how = "content selector"
    else:
        lines = _readability_lines(text, source)
        how = "readability"
        if not any(ln.strip() for ln in lines):
            # a very short page: a small known container, else the whole body (chrome filtered)
            node = find_content(tree, min_chars=1) or tree.body
            lines = block_lines(node) if node is not None else []
            how = "whole page"
    body = [ln for ln in lines if not is_chrome_line(ln) and not _META_LINE.match(ln)]
    logger.debug(f"{source}: body by {how}: {len(body)} lines ({len(lines) - len(body)} chrome/metadata dropped)")
    if heading_node is not None and heading and not _has_title(body, heading):
        body.insert(0, heading)
    if not any(ln.strip() for ln in body):
        raise ReadError(source, "no article text found in the page")
    return finish(source, data, "html", body, encoding=encoding, hints=hints, warnings=warnings)


# --------------------------------------------------------------------------- metadata


def _text_tokens(tree: LexborHTMLParser) -> list[str]:
    """Every visible text node in document order, whitespace-collapsed (iterative: old pages
    nest thousands deep)."""
    out: list[str] = []
    root = tree.body or tree.root
    if root is None:
        return out
    stack = list(reversed(list(root.iter(include_text=True))))
    while stack:
        child = stack.pop()
        tag = child.tag
        if tag == "-text":
            s = _WS.sub(" ", child.text(deep=False) or "").strip()
            if s:
                out.append(s)
        elif tag not in _SKIP and not _hidden(child):
            stack.extend(reversed(list(child.iter(include_text=True))))
    return out


def extract_meta(tree: LexborHTMLParser) -> dict[str, str]:
    """The page's metadata table (索引号, 发布机构, …) plus the CMS <meta> tags as fallbacks."""
    hints: dict[str, str] = {}
    tokens = _text_tokens(tree)
    for i, tok in enumerate(tokens):
        if len(tok) > 300:
            continue
        matches = list(_LABEL_RE.finditer(tok))
        for j, m in enumerate(matches):
            label = re.sub(r"\s+", "", m.group("label"))
            key = _LABEL_TO_KEY[label]
            end = matches[j + 1].start() if j + 1 < len(matches) else len(tok)
            value = tok[m.end():end]
            if not m.group("colon") and (value.strip() or label in _WEAK_LABELS):
                continue  # "来源于…" in running text, or a bare table header
            stop = _VALUE_END.search(value)
            if stop:
                value = value[: stop.start()]
            value = value.strip(" \t\u3000:：")
            if not value and j + 1 == len(matches) and i + 1 < len(tokens):
                nxt = tokens[i + 1]
                if not _LABEL_RE.match(nxt) and len(nxt) <= 100:
                    value = nxt.strip(" \u3000:：")
            if value and len(value) <= 100:
                hints.setdefault(key, value)
    if "发布机构" not in hints and "信息来源" in hints:
        hints["发布机构"] = hints["信息来源"]
    for name, key in (("ArticleTitle", "title"), ("PubDate", "发布日期"), ("ContentSource", "信息来源")):
        node = tree.css_first(f'meta[name="{name}"]')
        content = (node.attributes.get("content") or "").strip() if node is not None else ""
        if content:
            hints.setdefault(key, content)
    title_node = tree.css_first("title")
    if title_node is not None:
        page_title = _WS.sub(" ", title_node.text() or "").strip()
        if page_title:
            hints["page_title"] = page_title
    return hints


def _article_heading(tree: LexborHTMLParser, hints: dict[str, str]) -> tuple[str | None, LexborNode | None]:
    """The article's own heading: a visible h1/title element agreeing with <title>, else <title>'s
    longest part (sites append their name: 「报告标题_某某市人民政府」)."""
    page_title = hints.pop("page_title", "")
    parts = [p for p in _TITLE_SPLIT.split(page_title) if p] if page_title else []
    from_title = max(parts, key=len) if parts else None
    candidates: list[LexborNode] = []
    for sel in ("h1", ".article-title", ".article_title", "#title", ".title", ".news_title", ".detail-title",
                "h2", "[class*=title]", "[id*=title]"):
        candidates.extend(tree.css(sel))
    fallback: tuple[str, LexborNode] | None = None
    want = hints.get("title") or from_title
    for node in candidates:
        text = _WS.sub(" ", node.text() or "").strip()
        if not (4 <= len(text) <= 120):
            continue
        if want and _same_title(text, want):
            return text, node
        if fallback is None and node.tag == "h1":
            fallback = (text, node)
    if want:
        # old table layouts set the title in <font>/<b> inside a cell: find it by its text
        for node in tree.css("b, strong, font, td, div, span, p"):
            text = _WS.sub(" ", node.text() or "").strip()
            if text == want:
                return text, node
        return want, None
    if fallback:
        return fallback
    return None, None


def _has_title(body: list[str], heading: str) -> bool:
    """The body already opens with the title, perhaps broken over two or three lines."""
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    if squeeze(heading) in squeeze("".join(body[:4])):
        return True
    return any(ln in heading and len(ln) >= 0.6 * len(heading) for ln in body[:5])


def _same_title(text: str, want: str) -> bool:
    """`text` is the title `want` names: equal, or `want` truncated by the CMS (…), or `text`
    a slightly shorter form. A site header 某某局 is not the title 某某局关于…的报告."""
    if text == want:
        return True
    short = want.rstrip("…. ")
    if len(short) >= 8 and text.startswith(short):
        return True
    return want.startswith(text) and len(text) >= 0.8 * len(want)


# --------------------------------------------------------------------------- body


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs:
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN.search(style))


def _text_len(node: LexborNode) -> int:
    return len(re.sub(r"\s+", "", node.text() or ""))


def find_content(tree: LexborHTMLParser, min_chars: int = _MIN_BODY_CHARS) -> LexborNode | None:
    """The first known content container holding real prose (not a link list)."""
    for sel in CONTENT_SELECTORS:
        best: LexborNode | None = None
        best_len = 0
        for node in tree.css(sel):
            n = _text_len(node)
            if n < min_chars or n <= best_len:
                continue
            links = sum(_text_len(a) for a in node.css("a"))
            if links / n > _MAX_LINK_DENSITY:
                continue
            best, best_len = node, n
        if best is not None:
            logger.debug(f"content container {sel} ({best_len} chars)")
            return best
    return None


def _readability_lines(text: str, source: str) -> list[str]:
    try:
        from readability import Document
    except ImportError:  # pragma: no cover - a core dependency
        raise ReadError(source, "no known content container and readability-lxml is not installed")
    try:
        summary = Document(text).summary(html_partial=True)
    except Exception as exc:  # noqa: BLE001 - readability raises on degenerate pages
        raise ReadError(source, f"no article text found in the page ({exc.__class__.__name__})")
    tree = LexborHTMLParser(summary)
    root = tree.body or tree.root
    return block_lines(root) if root is not None else []


_SPACE_AFTER_CJK_PUNCT = re.compile(r"(?<=[、，。：；！？（）【】《》“”])[ \t\r\n\f\v\u00a0]+")


def _clean(raw: str) -> str:
    s = _NL_BETWEEN_CJK.sub("", raw)
    s = _SPACE_AFTER_CJK_PUNCT.sub("", s)  # Word's HTML pads list numbers: 一、&nbsp;&nbsp;主要工作
    return _WS.sub(" ", s).strip(" \u3000")


def block_lines(node: LexborNode) -> list[str]:
    """Lines as the browser lays them out: one per block element or <br>; table rows joined."""
    lines: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if cur:
            s = _clean("".join(cur))
            cur.clear()
            if s:
                lines.append(s)

    stack: list[tuple[LexborNode, bool]] = [(c, False) for c in reversed(list(node.iter(include_text=True)))]
    while stack:  # iterative: old pages nest thousands of elements deep
        child, leaving = stack.pop()
        if leaving:
            flush()
            continue
        tag = child.tag
        if tag == "-text":
            cur.append(child.text(deep=False) or "")
            continue
        if tag in _SKIP or _hidden(child):
            continue
        if tag == "br":
            flush()
        elif tag == "tr" and _is_data_row(child):
            flush()
            cells = [" ".join(block_lines(c)) for c in _cells(child)]
            cur.append(" ".join(c for c in cells if c))
            flush()
        elif tag == "pre":
            flush()
            for ln in (child.text() or "").splitlines():
                if ln.strip():
                    lines.append(ln.strip())
        else:
            if tag in _BLOCK:
                flush()
                stack.append((child, True))
            stack.extend((k, False) for k in reversed(list(child.iter(include_text=True))))
    flush()
    return lines


def _cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in tr.iter() if c.tag in ("td", "th") and not _hidden(c)]


def _is_data_row(tr: LexborNode) -> bool:
    """A table row of data (join its cells) rather than page layout (keep its blocks)."""
    cells = _cells(tr)
    if not cells:
        return False
    if any(c.css_first("table") is not None for c in cells):
        return False
    return _text_len(tr) <= 400

"""Website chrome that survives content extraction: breadcrumbs, font-size links, share bars,
view counters, footers. Line-level, because CMS templates differ in markup but not in wording.

Only short lines are judged, and a line ending in 。 is never chrome, so body sentences that
happen to mention 版权 or 分享 stay.
"""

from __future__ import annotations

import re

MAX_CHROME_LEN = 80

_CHROME = re.compile(
    r"^\s*(?:当前位置|您的位置|您现在的位置|您当前的位置|当前所在位置|所在位置|现在位置)"
    r"|首页\s*[>＞›»→/]|[>＞›»]\s*首页"
    r"|字[体号]\s*[:：]?\s*[\[【(（]?\s*(?:大|默认|小|A\+)"
    r"|[\[【(（]\s*大\s*[\]】)）]\s*[\[【(（]\s*中\s*[\]】)）]\s*[\[【(（]\s*小\s*[\]】)）]"
    r"|分享到|分享至|浏览次数|浏览量|访问次数|访问量|阅读次数|阅读量|点击数|点击量|点击率|点击次数"
    r"|网站标识码|ICP\s*备|ICP\s*证|公网安备|版权所有|Copyright|©|主办单位|承办单位|技术支持\s*[:：]"
    r"|维护单位|建议使用.{0,20}浏览器|分辨率|网站地图|联系我们|相关链接|相关文章|相关阅读|相关新闻|相关文件"
    r"|上一篇|下一篇|扫一扫|手机扫描|手机扫码|无障碍|长者模式|关怀版|适老化|繁體|政务微博|政务微信",
    re.IGNORECASE,
)
_ACTION_TOKENS = (
    "打印本页 打印此页 打印正文 打印 关闭本页 关闭窗口 关闭 返回顶部 返回列表 返回 收藏本页 收藏 我要纠错 纠错 "
    "保存 分享 微信 微博 QQ空间 QQ 字体 字号 默认 大 中 小 简体 繁体 English 首页 登录 注册 搜索 【 】 [ ] ( ) （ ） | ｜ · • / 丨"
).split()
_ACTION_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in sorted(_ACTION_TOKENS, key=len, reverse=True)) + r")")


def is_chrome_line(line: str) -> bool:
    """True for a line that is site furniture rather than document text."""
    s = line.strip()
    if not s:
        return False
    if len(s) > MAX_CHROME_LEN or s.endswith(("。", "；", "！", "？")):
        return False
    if _CHROME.search(s):
        return True
    rest = _ACTION_SPLIT.sub("", s)
    return not rest.strip(" \t\u3000\u00a0:：") and _ACTION_SPLIT.search(s) is not None and not _only_size_words(s)


def _only_size_words(s: str) -> bool:
    """A line that is just 大 / 中 / 小 alone could be body text (a table cell); keep it."""
    return all(ch in "大中小 　" for ch in s) and len(s.replace(" ", "")) < 3

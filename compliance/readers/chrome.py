"""Website chrome that survives content extraction: breadcrumbs, font-size links, share bars,
view counters, footers. Line-level, because CMS templates differ in markup but not in wording.

Only short lines are judged, and a line ending in 。；！？ is never chrome. Words that are also
ordinary report vocabulary (无障碍, 相关文件, 政务微博 …) count only when the line consists of
nothing but such menu words, so a heading like （三）推进无障碍环境建设 stays.
"""

from __future__ import annotations

import re

MAX_CHROME_LEN = 80

# Found anywhere in a short line: strings no report sentence carries.
_ANYWHERE = re.compile(
    r"网站标识码|ICP\s*备|ICP\s*证|公网安备|Copyright|©|版权所有"
    r"|浏览次数|浏览量\s*[:：]|访问次数|访问量\s*[:：]|阅读次数|阅读量\s*[:：]|点击数|点击量\s*[:：]|点击次数|点击率\s*[:：]"
    r"|字[体号]\s*[:：]?\s*[\[【(（]?\s*(?:大|默认|A\+)"
    r"|[\[【(（]\s*大\s*[\]】)）]\s*[\[【(（]\s*中\s*[\]】)）]\s*[\[【(（]\s*小\s*[\]】)）]"
    r"|分享到|分享至|首页\s*[>＞›»→]|[>＞›»]\s*首页"
    r"|建议使用.{0,20}浏览器|\d{3,4}\s*[*×xX]\s*\d{3,4}\s*分辨率",
    re.IGNORECASE,
)
# At the start of a line (after an optional bracket).
_START = re.compile(
    r"^[\s【\[(（]*(?:当前位置|您的位置|您现在的位置|您当前的位置|当前所在位置|所在位置|现在位置"
    r"|上一篇|下一篇|主办单位|承办单位|技术支持|维护单位|主办\s*[:：]|承办\s*[:：]|扫一扫|手机扫描|手机扫码)"
)
# Menu words: a line made only of these (and separators) is a tool bar or a menu.
_MENU_WORDS = (
    "打印本页 打印此页 打印正文 打印 关闭本页 关闭窗口 关闭 返回顶部 返回列表 返回 收藏本页 收藏 加入收藏 设为首页 "
    "我要纠错 纠错 保存 分享 微信 微博 QQ空间 QQ 字体 字号 默认 大 中 小 简体 繁体 繁體 English 首页 网站首页 "
    "登录 注册 搜索 无障碍 无障碍浏览 长者模式 关怀版 适老化 网站地图 联系我们 政务微博 政务微信 移动版 手机版 "
    "相关链接 相关文章 相关阅读 相关新闻 相关文件 相关信息 相关附件 【 】 [ ] ( ) （ ） | ｜ · • / 丨 : ："
).split()
_MENU_SPLIT = re.compile("|".join(re.escape(t) for t in sorted(_MENU_WORDS, key=len, reverse=True)))


def is_chrome_line(line: str) -> bool:
    """True for a line that is site furniture rather than document text."""
    s = line.strip()
    if not s:
        return False
    if len(s) > MAX_CHROME_LEN or s.endswith(("。", "；", "！", "？")):
        return False
    if _ANYWHERE.search(s) or _START.search(s):
        return True
    if not _MENU_SPLIT.search(s):
        return False
    rest = _MENU_SPLIT.sub("", s).strip(" \t\u3000\u00a0")
    if rest:
        return False
    # a lone 大 / 中 / 小 could be a table cell; keep single characters
    return len(s.replace(" ", "")) >= 2

"""Word lists normalization relies on, kept as data so they can grow without touching logic.

All patterns run on the normalized form (`compliance.text.normalize`: half-width, no emphasis
markers, no spaces between CJK characters), so `（三）存在的问题` and `(三)存在的问题` look alike.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- section roles
# A heading's role is the role of the earliest keyword found in it ("存在问题及整改措施" is
# problems; "主要工作及成效" is measures). Order inside a list does not matter.
ROLE_KEYWORDS: dict[str, list[str]] = {
    "measures": [
        "主要举措", "主要工作", "工作举措", "主要做法", "工作措施", "工作开展情况", "开展情况",
        "工作情况", "推进情况", "进展情况", "落实情况", "完成情况", "基本情况", "工作回顾",
        "主要措施", "具体措施", "措施", "做法", "举措", "工作开展", "履行职责情况", "建设情况",
        "主要任务完成",
    ],
    "results": ["成效", "亮点", "成绩", "成果", "特色工作", "创新做法", "经验做法", "主要经验", "取得的"],
    "frp": [
        "第一责任人", "主要负责人履行", "主要负责人履职", "履行推进法治建设", "党政主要负责人",
        "述法", "主要负责人职责",
    ],
    "problems": [
        "存在问题", "存在的问题", "存在的不足", "存在不足", "主要问题", "困难和问题", "问题和困难",
        "问题与不足", "问题和不足", "不足之处", "短板", "薄弱环节", "差距", "问题", "不足",
        "困难和不足", "困难与不足", "存在的困难", "存在困难", "短板和弱项", "短板弱项", "困难和挑战",
    ],
    "plans": [
        "下一步", "下步", "下阶段", "下一阶段", "今后", "明年", "工作思路", "工作安排", "工作计划",
        "工作打算", "打算", "整改措施", "整改方向", "努力方向", "工作设想", "工作要点", "工作展望",
        "展望", "思路", "计划", "安排",
        # the 督察工作规定 template: "下一年度推进法治政府建设的主要安排"
        "主要安排", "重点安排", "下一年度", "下年度", "工作谋划",
    ],
    "closing": ["落款", "抄送", "印发", "特此报告", "特此汇报", "附件"],
}

# A top heading that only announces an overview; when a section of the year's work follows, the
# overview is `other` (structure._overview_is_other).
OVERVIEW_HEADINGS = {"总体情况", "基本情况", "总体概况", "基本概况", "概况", "概述", "总体概述", "工作概况", "整体情况"}

# Single words that name a role only when they are most of the heading ("二、问题", "三、存在不足"
# but not "三、深入推进矛盾问题化解" or "加强计划管理").
WEAK_KEYWORDS = {"问题", "不足", "差距", "短板", "计划", "安排", "思路", "措施", "做法", "举措", "展望", "成果", "成绩"}
WEAK_MIN_SHARE = 0.34

# Children inherit their parent's role; a nested heading overrides it only if it is short and
# mostly its keyword ("（三）存在的问题", not "（二）严格执行年度计划") or names one of these
# unmistakable topics.
STRONG_CHILD_KEYWORDS: dict[str, list[str]] = {
    "frp": ["第一责任人", "主要负责人履行", "主要负责人履职", "党政主要负责人"],
    "problems": ["存在的问题", "存在问题", "存在的不足", "存在不足", "困难和问题", "问题和不足", "存在的困难",
                 "困难和不足"],
    "plans": ["下一步", "下步工作", "下阶段工作", "工作打算", "工作思路", "下一年度"],
}
CHILD_OVERRIDE_MAX_LEN = 12

# In a plan, these sections frame the plan rather than list tasks; they stay "other".
PLAN_FRAME_KEYWORDS = [
    "总体要求", "指导思想", "基本原则", "工作目标", "总体目标", "主要目标", "目标任务", "适用范围",
    "编制依据", "背景",
]

# --------------------------------------------------------------------------- page chrome
# Keys of a government page's 信息公开 table and footer; a short line that starts with one is
# chrome. Values after the keys are read as metadata.
META_KEYS = [
    "索引号", "公开方式", "发布机构", "成文日期", "主题分类", "发文字号", "发布日期", "浏览次数",
    "信息来源", "来源", "文号", "发文机关", "发文日期", "生成日期", "公开时间", "公开范围", "有效性",
    "体裁分类", "组配分类", "主题词", "访问量", "点击数", "阅读次数", "作者", "责任编辑", "编辑",
    "时间", "发布时间", "字体", "字号", "分享", "分享到", "所属机构", "信息分类", "文件编号",
    "印发日期", "实施日期", "统一编号", "登记号", "有效期",
    # further keys seen on county/district sites and document mirrors
    "文章来源", "更新时间", "发布人员", "发布单位", "制发机构", "内容分类", "分类", "名称", "标题", "文件名称",
    "时效性", "效力级别", "施行日期", "浏览量", "撰稿", "审核", "供稿", "字体大小", "信息名称",
    "发文机构", "内容概述", "成文时间", "发布部门", "文种", "体裁", "公文种类", "关键词",
    "颁布单位", "颁布日期", "失效日期", "发布文号",
    # a saved page's own header (标题/发布时间/文号/发布机构/栏目) and other sites' column fields
    "栏目", "所属栏目", "栏目名称", "信息类别", "公开类别", "公开形式", "公开日期", "公文生成日期",
    "备注/文号", "发布者", "稿件来源", "所属主题", "信息来源单位",
]
# Keys a flattened table may glue to their value without a colon ("发文字号皖交发〔2021〕63号");
# the value must then look like that field's value (lines._VALUE_OK).
META_KEYS_GLUED = ["发文字号", "发文机关", "发布机构", "成文日期", "发文日期", "发布日期", "印发日期", "文号", "标题", "索引号"]
# A page's 发布机构 that names the website or its newsroom, not the body that wrote the document.
NOT_ISSUER_WORDS = ["网站", "门户", "新闻中心", "融媒体", "编辑部", "信息中心", "网站群", "政务网"]
# Keys whose value is a document field.
META_FIELDS = {
    "发布机构": "publisher", "发文机关": "publisher", "所属机构": "publisher",
    "成文日期": "written", "发文日期": "written", "印发日期": "written",
    "发布日期": "published", "发布时间": "published", "公开时间": "published", "时间": "published",
    "更新时间": "published", "发布单位": "publisher", "制发机构": "publisher", "发文机构": "publisher",
    "发布部门": "publisher", "成文时间": "written", "颁布单位": "publisher", "颁布日期": "written",
    "发布文号": "doc_number", "备注/文号": "doc_number", "公开日期": "published",
    "公文生成日期": "written", "生成日期": "written",
    "名称": "title", "标题": "title", "文件名称": "title", "信息名称": "title",
    "发文字号": "doc_number", "文号": "doc_number", "文件编号": "doc_number",
    "索引号": "index",
    "信息来源": "source", "来源": "source",
}
# Whole lines that are navigation or footer.
CHROME_LINE_PATTERNS = [
    r"^当前位置[:：]?.*$",
    r"^[您你]?(现在|当前)?(所在)?的?位置[:：].*$",
    r"^(首页\s*)?([>»›]\s*[^>»›]{1,20}\s*){1,}$",
    r"^首页\s*[>»›].*$",
    # a breadcrumb with something run into its start ("7首页 > 政务公开 > 年度报告", "网站首页>…>…")
    r"^.{0,8}首页\s*[>»›].*$",
    r"^[^>»›。，,]{1,12}(?:\s*[>»›]\s*[^>»›。，,]{1,24}){2,}$",
    r"^[\[【(]?\s*(打印|关闭|打印本页|关闭窗口|打印此页|收藏|返回顶部|返回|纠错)\s*[\]】)]?(\s*[\[【]?\s*(打印|关闭|打印本页|关闭窗口|收藏|返回顶部|返回)\s*[\]】]?)*$",
    r"^字体[:：]?\s*[\[【]?\s*[大中小\s]*[\]】]?.*$",
    r"^(分享|分享到)[:：]?.*$",
    r"^扫一扫.*$",
    r"^(上一篇|下一篇|相关链接|相关文章|相关阅读|网站地图|联系我们|版权所有|主办单位|承办单位|技术支持|网站标识码).*$",
    r"^.*ICP备.*$",
    r"^.*公网安备.*$",
    r"^[-—–－]\s*\d{1,3}\s*[-—–－]$",
    r"^第\s*\d{1,3}\s*页(\s*[/,，]?\s*共\s*\d{1,3}\s*页)?$",
    r"^\d{1,3}\s*/\s*\d{1,3}$",
    r"^(视力保护色|【?字号[:：]?.*)$",
    # a site header showing today's date: "今天是:2019年10月31日 星期三", "2019年12月3日星期二"
    r"^(今天是|今天|今日是)[:：].{0,40}$",
    r"^.{0,30}?\d{4}年\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天](\s*农历.{0,12})?$",
    r"^(无障碍|简体|繁体|English|手机版|网站导航|登录|注册)(\s*[|｜/]?\s*(无障碍|简体|繁体|English|手机版|登录|注册))*\s*[|｜]?$",
    # a document-sharing mirror's blurb: "下面是小编为大家整理的…，供大家参考。"
    r"^(下面是|以下是|本文是)?.{0,8}小编.{0,60}$",
    r"^.{0,60}(供大家参考|仅供参考|欢迎阅读|欢迎下载)[。.!！]?$",
    # a mirror site's watermark line: "公文汇 www.example.com"
    r"^[\u4e00-\u9fff，,]{0,16}\s*(https?://)?www\.[A-Za-z0-9.-]+\.[a-z]{2,}.{0,12}$",
]

# --------------------------------------------------------------------------- document type
# (doc_type, keywords). The title's head noun decides; see meta.detect_doc_type.
DOC_TYPE_KEYWORDS: list[tuple[str, list[str]]] = [
    ("self_inspection", ["自查报告", "自评报告", "自查自评", "自查情况", "自评情况", "自查"]),
    ("plan", ["行动计划", "实施方案", "工作方案", "工作要点", "工作计划", "规划", "行动方案", "方案", "计划", "要点",
              "工作安排", "实施意见", "任务分工", "责任分工"]),
    ("work_summary", ["工作总结", "总结", "总结报告"]),
    ("annual_report", ["年度报告", "情况的报告", "情况报告", "工作报告", "报告", "工作情况", "建设情况"]),
]
# Without a title, the sentence that announces the body names the kind ("现将…情况报告如下").
# Checked in order; the first match in the opening text decides.
PREAMBLE_TYPE_PATTERNS: list[tuple[str, str]] = [
    ("self_inspection", r"(自查|自评|自检)[^。；;]{0,30}(报告|汇报|总结)如下"),
    ("work_summary", r"总结(报告)?如下"),
    ("annual_report", r"(报告|汇报)如下"),
    # "特制定本方案", "制定如下工作计划": the document itself; "制定学法计划" inside a report is a measure
    ("plan", r"(?:制定(?:本|如下)|特制定|现制定)[^。；;]{0,12}(方案|计划|要点|安排)"),
]
# An untitled text whose opening sentence is about these (outside 《》) and opens with its year
# ("2017年，我局…扎实推进法治政府建设工作") is an annual report.
UNTITLED_REPORT_TOPICS = ["法治政府建设", "法治政府部门建设", "法治建设", "依法行政工作", "法治工作", "依法治"]
# A report is about rule of law only if its title says so; anything else is "other".
RULE_OF_LAW_TOPICS = [
    "法治", "依法行政", "行政执法", "法制", "普法", "执法", "依法治", "述法", "法律顾问", "合法性审查",
    "公平竞争审查", "行政复议", "行政应诉", "放管服",
]
# Two kinds bureaus file and inspectors review in the same batches, each with its own rules
# (`applies_to`): checked on the title after the true non-reports, before the head noun.
# 公平竞争审查 with a report's head noun (总结/自查/报告/情况), not a 方案 or 通知.
FCR_TITLE = r"公平竞争审查"
FCR_HEADS = ("annual_report", "work_summary", "self_inspection")
# 述法: a head's own account of the 第一责任人 duty ("主要负责人述法报告", "关于履行推进法治建设第一
# 责任人职责情况的报告"); a bureau's report on 法治政府建设 that also covers the duty stays that report.
SHUFA_TITLE = [r"述法", r"第一责任人职责.{0,6}情况.{0,4}(?:报告|述职|汇报)"]
SHUFA_NOT = ["法治政府建设", "法治政府部门建设", "依法行政工作"]
# Words of the duties a rule-of-law report accounts for; an untitled opening or outline that names
# several of them is about rule of law, whatever the page around it says.
DUTY_TERMS = [
    "法治政府建设", "法治政府部门建设", "依法行政", "行政执法", "第一责任人", "合法性审查", "合法性审核",
    "重大行政决策", "普法", "行政复议", "行政应诉", "出庭应诉", "法律顾问", "执法全过程记录", "法制审核",
    "述法", "公平竞争审查", "规范性文件", "法治建设", "法治思想",
]
# Outline headings that only a report on work done has (measures, shortcomings, next steps).
REPORT_OUTLINE = [
    "主要举措", "主要工作", "工作开展情况", "主要做法", "成效", "存在的问题", "存在问题", "不足", "下一步",
    "工作打算", "工作思路", "工作计划", "履职情况", "推进情况", "基本情况",
]
# The parts of that outline that account for work done: a text that opens with one of them
# over several duties is a report whose title was not saved.
WORK_DONE_OUTLINE = ["主要举措", "主要工作", "工作开展情况", "主要做法", "履职情况", "推进情况", "工作情况"]
OTHER_TITLE_PATTERNS = [
    r"政府信息公开.{0,8}(年度)?报告",
    r"信息公开工作.{0,4}报告",
    r"(?<!法治)政府工作报告",
    r"国民经济和社会发展.*(公报|计划)",
    r"预算.*(报告|草案)",
    # a commentary on a report ("【政策解读】关于《…报告》的解读"), not the report
    r"解读[)）】]?$",
    r"^[【\[(（](政策|文件|文字|图文|图解|视频)?解读[】\])）]",
    # "议题解读：关于…的汇报", "政策解读：…": a label saying what follows is a commentary
    r"解读\s*[:：]",
    # statistics tables and rules about a report, not the report
    r"(统计|数据)(年报|表)$",
    r"年报制度$",
    # guidance, circulars, resolutions and speeches about reports, and third parties' evaluations
    r"(?:工作指引|指引|通报|决议|讲话|发言|发言稿)$",
    r"(?<!自)评估报告",
    # news items about a meeting or an event, even one named after a report
    r"(召开|举行|举办|组织|开展|参加|出席).{0,40}(会|会议|活动|培训|讲座|仪式)$",
    r"(座谈会|推进会|部署会|工作会|总结会|培训班|讲座|动员会|研讨会|见面会)$",
]

# --------------------------------------------------------------------------- issuers
# Endings of an organisation's name (signature line, 发布机构, "XX局关于…").
ORG_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|委员会|办公室|办公厅|管理局|服务中心|执法局|执法支队|执法大队|执法队|党组|"
    r"支队|大队|中心|局|厅|委|办|院|所|站|处|部|署|会)"
)

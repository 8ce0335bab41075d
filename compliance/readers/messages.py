"""Chinese wording of reader errors, for the web app's users (bureau staff checking a draft).

Readers raise `ReadError` with an English reason that tests, logs and the CLI's JSON keep; the
web app shows `explain_zh(reason)` first and the English after it. Patterns are matched on the
reason's start, in order; an unknown reason gets no Chinese (the English is shown alone).
"""

from __future__ import annotations

import re

_ZH: list[tuple[re.Pattern, str]] = [(re.compile(p), zh) for p, zh in [
    (r"^no such file", "文件不存在"),
    (r"^file not found", "文件不存在"),
    (r"^checking took longer than", "检查超时，已停止"),
    (r"^the checking process died", "检查进程在此文件上意外退出"),
    (r"^permission denied", "没有读取该文件的权限"),
    (r"^is a directory", "这是一个文件夹，不是文件"),
    (r"^not a regular file", "不是普通文件"),
    (r"^cannot (?:open|read):", "无法打开该文件"),
    (r"^unsupported file type", "不支持的文件类型（支持 .txt .html .docx .pdf .ofd .doc .wps）"),
    (r"^empty file", "文件为空"),
    (r"^contains no text", "文件中没有文字"),
    (r"^file is .* above the .* limit", "超出限制: 文件超过大小上限"),
    (r"^binary data", "这不是文本文件（内容是二进制数据），请确认文件类型和扩展名"),
    (r"^cannot decode the text", "无法识别文字编码（既不是 UTF-8 也不是 GB18030/GBK），请另存为 UTF-8 后再上传"),
    (r"^no extractable text .* scanned PDF", "PDF 没有文字层，像是扫描件；本工具不做文字识别（OCR），请上传原始的 Word 或可复制文字的 PDF"),
    (r"^the text layer is unusable", "PDF 中的文字无法正确提取（字体缺少编码映射），请从原文档重新导出 PDF"),
    (r"^the PDF is password-protected", "PDF 有密码保护，请去除密码后再上传"),
    (r"^the PDF has no pages", "PDF 没有页面"),
    (r"^not a PDF", "不是有效的 PDF 文件（文件可能已损坏或扩展名有误）"),
    (r"^damaged (?:or unreadable )?PDF", "PDF 文件已损坏或无法读取"),
    (r"^refusing to unpack", "超出限制: 文件解压后过大，疑似压缩炸弹，已拒绝处理"),
    (r"^not a (?:valid )?Word document|^not a readable Word document", "不是有效的 Word（.docx）文档"),
    (r"^damaged Word document", "Word 文档已损坏"),
    (r"^not a valid \.docx", "不是有效的 .docx 文件（文件可能已损坏或扩展名有误）"),
    (r"^(?:not an OFD package|not a valid OFD)", "不是有效的 OFD 文件（文件可能已损坏或扩展名有误）"),
    (r"^damaged OFD", "OFD 文件已损坏"),
    (r"^the OFD has no text objects", "OFD 没有文字，像是扫描件；本工具不做文字识别（OCR）"),
    (r"^damaged \.docx", "文件已损坏，无法解包"),
    (r"^no article text found|^no known content container", "网页中没有找到正文"),
    (r"^reading .* needs LibreOffice", "读取 .doc/.wps 需要安装 LibreOffice，请另存为 .docx 后再上传"),
    (r"LibreOffice|antiword|catdoc", "无法转换 .doc/.wps 文件，请另存为 .docx 后再上传"),
    (r"^out of memory", "读取时内存不足"),
    (r"^cannot read as", "无法读取该文件"),
]]


def explain_zh(reason: str) -> str:
    """The Chinese wording of a reader's reason, or "" when there is none."""
    for rx, zh in _ZH:
        if rx.search(reason):
            return zh
    return ""


def bilingual(reason: str) -> str:
    """`中文说明（English reason）`, or the English alone."""
    zh = explain_zh(reason)
    return f"{zh}（{reason}）" if zh else reason

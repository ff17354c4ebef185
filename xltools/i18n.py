"""Every word a user sees, in Chinese (default) and English.

Messages are str.format templates.  Finding codes are stable kebab-case identifiers;
their severity lives here too so one table says everything about a finding type.
"""
from __future__ import annotations

LANGS = ("zh", "en")

# key: (zh, en)
TEXTS: dict[str, tuple[str, str]] = {
    # errors that stop the work on one file
    "file-not-found": ("找不到文件：{file}。请检查路径是否正确。",
                       "File not found: {file}. Check the path."),
    "file-empty": ("文件是空的（0 字节）：{file}。请重新保存或向报送单位索取原文件。",
                   "The file is empty (0 bytes): {file}. Save it again or ask the sender for the original."),
    "file-not-spreadsheet": ("不是表格文件：{file}。支持 .xlsx .xlsm .xls .xlsb .ods .csv .txt .docx。",
                             "Not a spreadsheet: {file}. Supported: .xlsx .xlsm .xls .xlsb .ods .csv .txt .docx."),
    "file-encrypted": ("文件有打开密码，无法读取：{file}。请在 Excel 中取消密码（文件→信息→保护工作簿）后再试。",
                       "The file is password-protected: {file}. Remove the password in Excel (File > Info > "
                       "Protect Workbook) and try again."),
    "file-corrupt": ("文件已损坏或格式不对，无法读取：{file}（{reason}）。请用 Excel 打开后另存为 .xlsx 再试。",
                     "The file is damaged or not in the format its name says: {file} ({reason}). Open it in "
                     "Excel, save as .xlsx and try again."),
    "file-locked": ("文件正被其他程序占用：{file}。请在 Excel 中关闭它后再试。",
                    "The file is in use by another program: {file}. Close it in Excel and try again."),
    "sheet-not-found": ("文件 {file} 中没有名为“{sheet}”的工作表。",
                        "{file} has no sheet named '{sheet}'."),
    "no-task-table": ("文件 {file} 中没有找到任务表（需要有“序号/工作任务/具体要求/责任单位/完成时限”等表头，"
                      "或正文中的“[责任单位：…]”）。请确认选对了文件。",
                      "No task table found in {file} (expected headers such as 序号/工作任务/具体要求/责任单位/"
                      "完成时限, or inline '[责任单位：…]' in the text). Check that this is the right file."),
    "registry-unreadable": ("单位名录无法读取：{file}（{reason}）。请检查表头是否为“区县、单位名称、简称或别名、类别”。",
                            "The unit registry cannot be read: {file} ({reason}). Its header must be "
                            "区县, 单位名称, 简称或别名, 类别."),
    "internal-error": ("xltools 内部出错（{error}）。输入文件未被修改；请把此信息和文件发给维护人员。",
                       "Internal error in xltools ({error}). No input was changed; please report it with the file."),
    "sheet-skipped-line": ("- 工作表“{sheet}”：没有任务表，已跳过", "- Sheet '{sheet}': no task table, skipped"),
    # CLI words
    "cli-file": ("文件", "File"),
    "cli-row": ("行", "Row"),
    "cli-sheet": ("工作表", "Sheet"),
    "cli-district": ("区县", "District"),
    "cli-year": ("年度", "Year"),
    "cli-issued": ("印发日期", "Issued"),
    "cli-header-row": ("表头行", "Header row"),
    "cli-tasks": ("任务数", "Tasks"),
    "cli-unknown": ("未识别", "unknown"),
    "cli-summary": ("共检查 {files} 个文件、{tasks} 项任务：{errors} 个错误，{warnings} 个警告。",
                    "Checked {files} file(s), {tasks} task(s): {errors} error(s), {warnings} warning(s)."),
    "cli-no-findings": ("未发现问题。", "No problems found. "),
    "cli-error": ("错误：{message}", "Error: {message}"),
    "cli-learn-none": ("所有单位名称都已在名录中。", "Every unit name is already in the registry."),
    "cli-learn-saved": ("已把 {count} 条建议写入 {file}，请核对“类别”和“简称或别名”后再使用。",
                        "Wrote {count} proposal(s) to {file}; check 类别 and aliases before use."),
    "cli-registry-saved": ("单位名录已保存到 {file}（{count} 个单位），可在 Excel 中编辑。",
                           "Unit registry saved to {file} ({count} units); edit it in Excel."),
    "severity-error": ("错误", "error"),
    "severity-warning": ("警告", "warning"),
    "severity-info": ("提示", "note"),
}

# Finding code: (severity, (zh message, zh suggestion), (en message, en suggestion))
FINDINGS: dict[str, tuple[str, tuple[str, str], tuple[str, str]]] = {
    "unknown-unit": ("error",
                     ("单位名称“{unit}”不在单位名录中。", "是否应为：{suggestions}？如确为新单位，请加入单位名录。"),
                     ("Unit '{unit}' is not in the unit registry.",
                      "Did you mean: {suggestions}? If it is a new unit, add it to the registry.")),
    "unknown-unit-nosuggest": ("error",
                               ("单位名称“{unit}”不在单位名录中，也没有相近的名称。", "请核对单位全称，或把它加入单位名录。"),
                               ("Unit '{unit}' is not in the registry and nothing close is.",
                                "Check the full name, or add it to the registry.")),
    "missing-units": ("error", ("第 {seq} 项没有填写责任单位。", "请填写牵头单位（及配合单位）。"),
                      ("Task {seq} has no responsible unit.", "Fill in the lead (and supporting) units.")),
    "missing-deadline": ("error", ("第 {seq} 项没有填写完成时限。", "请填写如“{year}年12月底前”或“长期坚持”。"),
                         ("Task {seq} has no deadline.", "Write e.g. '{year}年12月底前' or '长期坚持'.")),
    "impossible-date": ("error", ("完成时限“{value}”不是有效日期（{what}）。", "请核对月份和日期，例如“{year}年12月底前”。"),
                        ("Deadline '{value}' is not a valid date ({what}).",
                         "Check the month and day, e.g. '{year}年12月底前'.")),
    "unparseable": ("error", ("无法识别完成时限“{value}”。",
                              "请写成日期（如“{year}年6月30日前”“9月底前”）或“长期坚持”“每月25日前”“印发后30日内”等。"),
                    ("Deadline '{value}' is not understood.",
                     "Write a date ('{year}年6月30日前', '9月底前') or '长期坚持', '每月25日前', '印发后30日内'.")),
    "vague-deadline": ("error", ("完成时限“{value}”没有具体时间，无法判断是否逾期。", "请写明截止日期，如“{year}年9月底前”。"),
                       ("Deadline '{value}' names no time, so overdue cannot be judged.",
                        "Write a due date, e.g. '{year}年9月底前'.")),
    "needs-year": ("warning", ("完成时限“{value}”没有年份，也无法从标题或文件名确定计划年度。",
                               "请在标题中写明年度，或运行时加 --year。"),
                   ("Deadline '{value}' has no year and the plan year is unknown.",
                    "Put the year in the title, or pass --year.")),
    "needs-issue-date": ("warning", ("完成时限“{value}”相对于印发日期，但没有找到印发日期。",
                                     "请在表格上方或“通知”页写明印发日期（如“2024年6月25日印发”）。"),
                         ("Deadline '{value}' is relative to the issue date, which was not found.",
                          "Write the issue date above the table or in the notice sheet.")),
    "empty-task": ("error", ("第 {seq} 项只有序号，没有任何内容（原表此行内容缺失）。", "请补全该项任务或删除此行。"),
                   ("Task {seq} has a number but no content (lost in the source).",
                    "Complete the task or delete the row.")),
    "missing-requirement": ("warning", ("第 {seq} 项没有具体要求（原表此处为空）。", "请补填具体要求。"),
                            ("Task {seq} has no requirement text (empty in the source).",
                             "Fill in the requirement.")),
    "seq-gap": ("warning", ("序号不连续：缺少第 {missing} 项（原表中不存在）。", "请核对是否漏了任务，或重新编号。"),
                ("Numbering gap: task {missing} is missing from the source.",
                 "Check whether a task was lost, or renumber.")),
    "seq-duplicate": ("warning", ("序号 {seq} 重复出现（第 {first} 行和第 {row} 行）。", "请核对是否重复录入，或重新编号。"),
                      ("Number {seq} appears twice (rows {first} and {row}).",
                       "Check for a duplicate entry, or renumber.")),
    "missing-seq": ("warning", ("此行有任务内容但没有序号。", "请补填序号。"),
                    ("This row holds a task but no number.", "Fill in the number.")),
    "joined-split-row": ("info", ("第 {row} 行是第 {seq} 项在分页处断开的后半部分，已合并读取。",
                                  "在原表中可把两行合为一行。"),
                         ("Row {row} is the second half of task {seq}, split at a page break; read as one.",
                          "Merge the two rows in the source.")),
    "repeated-header": ("info", ("第 {row} 行是分页重复的表头，已跳过。", "可删除此行。"),
                        ("Row {row} repeats the header (page break); skipped.", "The row can be deleted.")),
    "no-year": ("warning", ("无法确定计划年度（标题、文件名中都没有年份）。", "请在标题中写明年度，或运行时加 --year。"),
                ("The plan year could not be found (no year in the title or file name).",
                 "Put the year in the title, or pass --year.")),
    "text-plan": ("info", ("这是正文式计划：从“[责任单位：…]”中读出 {tasks} 项任务；正文没有写完成时限。",
                           "需要按时限跟踪时，请用任务分解表模板补填完成时限。"),
                  ("A plan written as text: {tasks} task(s) read from '[责任单位：…]'; the text gives no deadlines.",
                   "To track deadlines, fill them in with the task-table template.")),
    "sheet-skipped": ("info", ("工作表“{sheet}”中没有任务表，已跳过。", "如果它应当有任务，请检查表头。"),
                      ("Sheet '{sheet}' holds no task table; skipped.", "If it should, check its header row.")),
    "formula-text": ("warning", ("单元格内容以“=”开头，可能是公式：“{value}”。", "汇总时会按文本写入；如非有意，请删除开头的“=”。"),
                     ("The cell starts with '=', which may be a formula: '{value}'.",
                      "It will be written as text; remove the leading '=' if unintended.")),
}


def t(key: str, lang: str = "zh", **params) -> str:
    zh, en = TEXTS[key]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template

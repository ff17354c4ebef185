"""The Excel add-in: ribbon, message boxes, actions, worksheet functions, build/install.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # ribbon
    "tab": ("任务工具", "Task tools"),
    "group-check": ("检查", "Check"),
    "group-merge": ("汇总", "Merge"),
    "group-plan": ("计划", "Plan"),
    "group-registry": ("名录", "Registry"),
    "cmd-validate": ("校验本表", "Validate sheet"),
    "cmd-validate-tip": ("核对本表的责任单位和完成时限，标出问题单元格并生成“校验结果”工作表。",
                         "Check units and deadlines of this sheet, mark problem cells and list them on a "
                         "results sheet."),
    "cmd-overdue": ("标记逾期", "Mark overdue"),
    "cmd-overdue-tip": ("在本表末尾加上“截止日期”和“预警”两列，并按预警给整行着色（打开文件时自动更新）。",
                        "Add due-date and due-status columns and colour rows by due status (updates when opened)."),
    "cmd-merge": ("合并汇总", "Merge folder"),
    "cmd-merge-tip": ("选择存放各单位任务表的文件夹，合并成一个汇总表并打开。",
                      "Pick a folder of district workbooks, merge them into a master workbook and open it."),
    "cmd-undo": ("撤销上次操作", "Undo last command"),
    "cmd-undo-tip": ("把本表恢复为上次合并、收集进展等操作之前的样子（撤销前的内容也会保存为旧版本，可再恢复）。",
                     "Put this workbook back as it was before the last merge, collect or other command (the "
                     "workbook as it is now is kept as a version too)."),
    "merge-not-replaced": ("没有写入：汇总表 {output} 保持原样。", "Nothing written: the master {output} is as it was."),
    "cmd-newplan": ("新建计划", "New plan"),
    "cmd-newplan-tip": ("按统一模板新建一份任务分解表。", "Create a task-breakdown sheet from the template."),
    "cmd-split": ("拆分下发", "Split by unit"),
    "cmd-split-tip": ("按责任单位把本表拆分成多份，分别下发。", "Split this sheet into one workbook per unit."),
    "cmd-collect": ("收集进展", "Collect progress"),
    "cmd-collect-tip": ("把各单位报送的进展收回到本表。", "Collect the units' progress returns into this sheet."),
    "cmd-registry": ("单位名录", "Unit registry"),
    "cmd-registry-tip": ("打开单位名录进行编辑；校验时以名录为准。",
                         "Open the unit registry for editing; validation uses it."),
    # message boxes
    "title": ("任务工具", "Task tools"),
    "title-error": ("任务工具 - 出错", "Task tools - error"),
    "error-where": ("文件：{book}\n工作表：{sheet}\n\n{message}", "File: {book}\nSheet: {sheet}\n\n{message}"),
    "error-where-cell": ("文件：{book}\n工作表：{sheet}\n单元格：{cell}\n\n{message}",
                         "File: {book}\nSheet: {sheet}\nCell: {cell}\n\n{message}"),
    "xl-internal-error": ("处理时发生意外错误（{error}）。\n详细信息已记入日志 {log}，请把该文件发给技术人员。",
                       "An unexpected error occurred ({error}).\nDetails are in {log}; please send it to support."),
    "unknown-command": ("按钮标记“{tag}”没有对应的功能。请重新安装加载项（xltools addin install）。",
                        "No function for button tag '{tag}'. Reinstall the add-in (xltools addin install)."),
    "not-installed": ("“{label}”功能尚未安装（缺少模块 {module}）。请升级 xltools 后再试。",
                      "'{label}' is not installed yet (module {module} is missing). Upgrade xltools and try again."),
    "xl-no-task-table": ("当前工作表“{sheet}”中没有找到任务表（没有含“序号、工作任务、责任单位、完成时限”等列的表头）。"
                      "请切换到任务分解表所在的工作表后再试。",
                      "No task table on sheet '{sheet}' (no header row with task, unit and deadline columns). "
                      "Switch to the task sheet and try again."),
    "no-deadline-column": ("当前工作表“{sheet}”中没有“完成时限”列，无法计算逾期。",
                           "Sheet '{sheet}' has no deadline column; cannot compute the due status."),
    "sheet-empty": ("当前工作表“{sheet}”是空的。", "Sheet '{sheet}' is empty."),
    "book-unsaved": ("请先保存当前工作簿，再使用“{label}”。", "Save this workbook first, then use '{label}'."),
    "file-in-use": ("无法写入 {file}（{reason}）：文件可能正在 Excel/WPS 中打开。请关闭后再试。",
                    "Cannot write {file} ({reason}): it may be open in Excel/WPS. Close it and try again."),
    # progress (status bar)
    "progress-reading": ("任务工具：正在读取“{sheet}”…", "Task tools: reading '{sheet}'…"),
    "progress-checking": ("任务工具：正在校验 {n} 项任务…", "Task tools: checking {n} tasks…"),
    "progress-writing": ("任务工具：正在标注结果…", "Task tools: writing results…"),
    "progress-working": ("任务工具：正在处理 {i}/{n}：{file}", "Task tools: {i}/{n}: {file}"),
    "progress-merging": ("任务工具：正在合并 {i}/{n}：{file}", "Task tools: merging {i}/{n}: {file}"),
    # 校验本表
    "results-sheet": ("校验结果", "Validation"),
    "results-title": ("“{sheet}”校验结果（{when}）：{errors} 个错误，{warnings} 个警告",
                      "Results for '{sheet}' ({when}): {errors} error(s), {warnings} warning(s)"),
    "merges-unknown": ("（注意：当前 Excel 客户端不提供合并单元格信息，纵向合并的单元格可能被报告为空白。）",
                       " (Note: this Excel client gives no merged-cell information; vertically merged cells may be "
                       "reported as empty.)"),
    "results-none": ("未发现问题。", "No problems found."),
    "xl-h-message": ("问题", "Problem"), "h-value": ("原值", "Value"),
    "note-marker": ("【任务工具校验】", "[Task tools check]"),
    "note-suggestion": ("建议：{suggestion}", "Suggestion: {suggestion}"),
    "validate-done": ("校验完成：{errors} 个错误，{warnings} 个警告。\n问题单元格已标色并加批注，清单见“{results}”工作表。",
                      "Done: {errors} error(s), {warnings} warning(s).\nProblem cells are coloured and annotated; "
                      "see the '{results}' sheet."),
    "validate-clean": ("校验完成：未发现问题（共 {tasks} 项任务）。", "Done: no problems ({tasks} tasks)."),
    # 标记逾期
    "overdue-done": ("已在 {due} 列写入截止日期、{warning} 列写入预警（共 {tasks} 项任务）。\n"
                     "预警每次打开文件时按当天日期重新计算；{unjudged} 项没有可判断的日期。",
                     "Due dates are in column {due} and the due status in column {warning} ({tasks} tasks).\n"
                     "The due status is recomputed every time the file opens; {unjudged} task(s) have no date to "
                     "judge (无法判断)."),
    # 合并汇总
    "pick-folder": ("请选择存放各单位任务表的文件夹", "Choose the folder holding the district workbooks"),
    "merge-output-name": ("汇总表.xlsx", "master.xlsx"),
    "merge-done": ("合并完成：读取 {read} 个文件，汇总 {merged} 项任务，剔除 {rejected} 项；{failed} 个文件无法读取。\n"
                   "汇总表：{output}",
                   "Merged {read} file(s): {merged} task(s), {rejected} rejected; {failed} file(s) unreadable.\n"
                   "Master: {output}"),
    "cancelled": ("已取消。", "Cancelled."),
    "opened-elsewhere": ("已生成：{file}\n请在 Excel 中打开它。", "Written: {file}\nOpen it in Excel."),
    # 新建计划
    "ask-year": ("计划年度：", "Plan year:"),
    "ask-district": ("区县名称（如 天桥区）：", "District (e.g. 天桥区):"),
    "newplan-name": ("{year}年{district}任务分解表.xlsx", "{year} {district} task plan.xlsx"),
    "xl-bad-year": ("年度“{value}”无效，请输入四位年份，如 {year}。", "Year '{value}' is invalid; enter e.g. {year}."),
    # 拆分下发 / 收集进展
    "split-folder": ("{name}_下发", "{name} returns"),
    "pick-returns": ("请选择存放各单位报送文件的文件夹", "Choose the folder holding the units' returns"),
    # 单位名录
    "registry-created": ("已根据内置名录生成单位名录：{file}\n编辑保存后，校验即以此名录为准。",
                         "A unit registry was created from the built-in list: {file}\nSave your edits; "
                         "validation uses it."),
    # worksheet functions
    "kind-date": ("日期", "date"), "kind-ongoing": ("长期", "ongoing"), "kind-recurring": ("定期", "recurring"),
    "kind-relative": ("相对时限", "relative"), "kind-unknown": ("无法识别", "unknown"),
    # the function wizard (Excel's 插入函数): each function's description and its arguments'
    "udf-category": ("xltools 任务工具", "xltools task tools"),
    "udf-XT_DEADLINE": ("完成时限 → 截止日期（无法确定时为空）。", "Deadline text → due date (empty when unknown)."),
    "udf-XT_DEADLINE-text": ("完成时限单元格或区域", "deadline cell or range"),
    "udf-XT_DEADLINE-year": ("计划年度（文字中没有年份时使用），可省略", "plan year (for text without a year), optional"),
    "udf-XT_DEADLINE-issued": ("印发日期（“印发后30日内”时使用），可省略",
                               "issue date (for '30 days after issue'), optional"),
    "udf-XT_DEADLINE_KIND": ("完成时限的类别：日期、长期、定期、相对时限或无法识别。",
                             "Kind of deadline: date, ongoing, recurring, relative or unknown."),
    "udf-XT_DEADLINE_KIND-text": ("完成时限单元格或区域", "deadline cell or range"),
    "udf-XT_UNITS": ("责任单位 → 规范的单位全称（用“、”分隔；名录中没有的按原样保留）。",
                     "Units → their full registry names (joined with 、; unknown ones kept as written)."),
    "udf-XT_UNITS-text": ("责任单位单元格或区域", "units cell or range"),
    "udf-XT_UNIT_CHECK": ("责任单位是否都在单位名录中：没有问题为空，否则给出问题和建议。",
                          "Whether every unit is in the registry: empty, or the problem and a suggestion."),
    "udf-XT_UNIT_CHECK-text": ("责任单位单元格或区域", "units cell or range"),
    "udf-XT_WARNING": ("预警：逾期、临期、正常、已完成、持续推进，没有可判断的日期时为“无法判断”。按今天判断，每次计算都会更新。",
                       "Due status: overdue, due soon, on track, done or ongoing; 无法判断 (cannot be judged) "
                       "without a date. Judged as of today, updated on every calculation."),
    "udf-XT_WARNING-due": ("截止日期（日期或完成时限文字）单元格或区域", "due date (a date or deadline text), cell or range"),
    "udf-XT_WARNING-status": ("完成状态单元格或区域，可省略", "status cell or range, optional"),
    "udf-XT_WARNING-as_of": ("按哪一天判断，省略为今天", "the day to judge by, today when omitted"),
    "udf-XT_WARNING-soon_days": ("几天内到期算“临期”，省略为 {days}",
                                 "days before the due date that count as soon, {days} when omitted"),
    # add-in build/install (command line)
    "addin-built": ("已生成加载项：{file}", "Add-in written: {file}"),
    "addin-installed": ("已安装加载项：{file}\nPython 解释器：{python}\n配置文件：{config}\n请重新启动 Excel。",
                        "Add-in installed: {file}\nPython interpreter: {python}\nConfig: {config}\n"
                        "Restart Excel."),
    "addin-no-template": ("在已安装的 xlwings（{version}）中找不到加载项模板 {file}。请重新安装 xlwings：pip install -U xlwings",
                          "The add-in template {file} is missing from xlwings {version}. Reinstall it: "
                          "pip install -U xlwings"),
    "reason-no-vba-module": ("缺少 VBA 模块 {name}", "no VBA module {name}"),
    "reason-no-constant": ("缺少常量 {name}", "no {name} constant"),
    "reason-no-part": ("缺少部件 {name}", "no part {name}"),
    "reason-has-procedure": ("已有过程 {name}", "already has a procedure {name}"),
    "reason-no-excel": ("Excel 不能在 {platform} 上运行", "Excel does not run on {platform}"),
    "addin-bad-template": ("加载项模板 {file} 的结构与预期不同（{reason}）。请使用 xlwings 0.30 以上版本。",
                           "The add-in template {file} is not as expected ({reason}). Use xlwings 0.30 or newer."),
    "addin-no-startup": ("找不到 Excel 的加载项目录（{reason}）。请用 --dir 指定，或在 Excel 的“加载项”对话框中手动浏览到 {file}。",
                         "Excel's add-in folder was not found ({reason}). Pass --dir, or browse to {file} in "
                         "Excel's Add-ins dialog."),
    "addin-locked": ("无法写入 {file}：文件可能正被 Excel 使用。请关闭 Excel 后再试。",
                     "Cannot write {file}: Excel may be using it. Close Excel and try again."),
    "ask-carry": ("要沿用当前工作簿“{file}”中的 {n} 项任务（{year}年）吗？输入“是”沿用（长期任务保留、时限顺延），"
                  "输入“否”新建空白计划。",
                  "Carry over the {n} task(s) of '{file}' ({year})? Type 'yes' to carry them (ongoing kept, "
                  "deadlines moved on), 'no' for a blank plan."),
    "answer-yes": ("是", "yes"),
    "summary-empty": ("另有 {n} 项只有序号、没有内容，未沿用。", " {n} row(s) with only a number were not carried."),
}

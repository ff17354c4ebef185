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
    "file-not-writable": ("无法写入 {file}（{reason}）。请检查它是否正在 Excel/WPS 中打开、文件夹是否可写。",
                          "Cannot write {file} ({reason}). Check that it is not open in Excel/WPS and that the "
                          "folder is writable."),
    "file-io": ("读写文件时出错：{file}（{reason}）。请检查共享盘是否连通、磁盘是否已满。",
                "Could not read or write {file} ({reason}). Check the shared drive and free disk space."),
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
    # ---- the Excel add-in (ribbon, actions, worksheet functions)
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
                        "Add due-date and warning columns and colour rows by warning (updates when opened)."),
    "cmd-merge": ("合并汇总", "Merge folder"),
    "cmd-merge-tip": ("选择存放各单位任务表的文件夹，合并成一个汇总表并打开。",
                      "Pick a folder of district workbooks, merge them into a master workbook and open it."),
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
                           "Sheet '{sheet}' has no deadline column; cannot compute warnings."),
    "sheet-empty": ("当前工作表“{sheet}”是空的。", "Sheet '{sheet}' is empty."),
    "book-unsaved": ("请先保存当前工作簿，再使用“{label}”。", "Save this workbook first, then use '{label}'."),
    "file-in-use": ("无法写入 {file}（{reason}）：文件可能正在 Excel/WPS 中打开。请关闭后再试。",
                    "Cannot write {file} ({reason}): it may be open in Excel/WPS. Close it and try again."),
    # progress (status bar)
    "progress-reading": ("任务工具：正在读取“{sheet}”…", "Task tools: reading '{sheet}'…"),
    "progress-checking": ("任务工具：正在校验 {n} 项任务…", "Task tools: checking {n} tasks…"),
    "progress-writing": ("任务工具：正在标注结果…", "Task tools: writing results…"),
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
                     "Due dates are in column {due} and warnings in column {warning} ({tasks} tasks).\n"
                     "Warnings are recomputed every time the file opens; {unjudged} task(s) have no date to judge."),
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
    "split-done": ("已拆分为 {files} 个报送表，保存在 {folder}。", "Split into {files} return(s) in {folder}."),
    "split-unassigned": ("注意：{n} 项任务没有责任单位，未下发。", "Note: {n} task(s) have no unit and were not sent."),
    "collect-done": ("已收集 {files} 个报送表到 {master}：更新 {updated} 处；冲突 {conflicts} 条，未知任务编号 {unknown} 条，"
                     "改动任务内容 {edited} 条（详见“收集记录”工作表）。",
                     "Collected {files} return(s) into {master}: {updated} cell(s) updated; {conflicts} conflict(s), "
                     "{unknown} unknown key(s), {edited} edited task text(s) (see the 收集记录 sheet)."),
    "pick-returns": ("请选择存放各单位报送文件的文件夹", "Choose the folder holding the units' returns"),
    # 单位名录
    "registry-created": ("已根据内置名录生成单位名录：{file}\n编辑保存后，校验即以此名录为准。",
                         "A unit registry was created from the built-in list: {file}\nSave your edits; "
                         "validation uses it."),
    # worksheet functions
    "kind-date": ("日期", "date"), "kind-ongoing": ("长期", "ongoing"), "kind-recurring": ("定期", "recurring"),
    "kind-relative": ("相对时限", "relative"), "kind-unknown": ("无法识别", "unknown"),
    # add-in build/install (command line)
    "addin-built": ("已生成加载项：{file}", "Add-in written: {file}"),
    "addin-installed": ("已安装加载项：{file}\nPython 解释器：{python}\n配置文件：{config}\n请重新启动 Excel。",
                        "Add-in installed: {file}\nPython interpreter: {python}\nConfig: {config}\n"
                        "Restart Excel."),
    "addin-no-template": ("在已安装的 xlwings（{version}）中找不到加载项模板 {file}。请重新安装 xlwings：pip install -U xlwings",
                          "The add-in template {file} is missing from xlwings {version}. Reinstall it: "
                          "pip install -U xlwings"),
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
    # ---- split and collect
    "loop-not-master": ("{file} 不是 xltools 生成的汇总表（找不到“汇总”工作表或“任务编号”列）。请先用 xltools merge 生成汇总表。",
                        "{file} is not a master made by xltools (no 汇总 sheet or 任务编号 column). Run xltools merge "
                        "first."),
    "loop-bad-by": ("无法按“{by}”拆分：可选 lead-unit（牵头单位）、unit（所有责任单位）、district（区县）。",
                    "Cannot split by '{by}': use lead-unit, unit or district."),
    "cli-split-done": ("已拆分为 {files} 个报送表，保存在 {folder}。", "Split into {files} return(s) in {folder}."),
    "cli-split-line": ("  {unit}：牵头 {lead} 项，配合 {support} 项 → {file}",
                       "  {unit}: leads {lead}, supports {support} → {file}"),
    "cli-split-unassigned": ("  注意：{n} 项任务没有责任单位，未下发。", "  Note: {n} task(s) have no unit and were not sent."),
    "cli-collect-done": ("已收集 {files} 个报送表到 {master}：更新 {updated} 处；冲突 {conflicts} 条，未知任务编号 {unknown} 条，"
                         "改动任务内容 {edited} 条（详见“收集记录”工作表）。",
                         "Collected {files} return(s) into {master}: {updated} cell(s) updated; {conflicts} conflict(s), "
                         "{unknown} unknown key(s), {edited} edited task text(s) (see the 收集记录 sheet)."),
    "log-time": ("时间", "Time"), "log-kind": ("类型", "Kind"), "log-key": ("任务编号", "Task key"),
    "log-district": ("区县", "District"), "log-seq": ("序号", "No."), "log-column": ("列", "Column"),
    "log-old": ("原值", "Old value"), "log-new": ("新值", "New value"), "log-unit": ("报送单位", "Reported by"),
    "log-file": ("文件", "File"),
    "log-kind-updated": ("已更新", "updated"), "log-kind-conflict": ("报送冲突", "conflicting reports"),
    "log-kind-unknown-key": ("未知任务编号", "unknown task key"),
    "log-kind-missing-key": ("缺少任务编号", "no task key"),
    "log-kind-text-edited": ("改动了任务内容（未采用）", "task text edited (not taken)"),
    "log-lead-applied": ("（已采用牵头单位）", " (lead unit's report taken)"),
    # ---- merge, master workbook and flag
    # errors that stop the merge
    "output-open": ("汇总表 {file} 正在 Excel/WPS 中打开（发现锁定文件 {lock}）。请先关闭它再合并。",
                    "The master {file} is open in Excel/WPS (lock file {lock} found). Close it and merge again."),
    "output-busy": ("另一个合并正在写入 {file}（发现 {lock}）。请等它结束；如果确认没有合并在运行，删除 {lock} 后再试。",
                    "Another merge is writing {file} ({lock} exists). Wait for it; if none is running, "
                    "delete {lock} and try again."),
    "output-not-writable": ("无法写入汇总表 {file}（{reason}）。请检查文件是否被占用、文件夹是否可写。",
                            "Cannot write the master {file} ({reason}). Check that it is not in use and the "
                            "folder is writable."),
    "output-suffix": ("汇总表必须保存为 .xlsx 文件：{file}。", "The master must be an .xlsx file: {file}."),
    "nothing-to-merge": ("没有可合并的任务表：找到 {found} 个文件，{failed} 个无法读取，{skipped} 个已跳过。",
                         "Nothing to merge: {found} file(s) found, {failed} unreadable, {skipped} skipped."),
    "no-inputs": ("没有指定要合并的文件或文件夹。", "No input files or folders given."),
    # skip notes and per-row problems
    "skip-lock-file": ("Excel/WPS 的临时锁定文件，已跳过", "Excel/WPS lock file, skipped"),
    "skip-hidden": ("隐藏文件或临时文件，已跳过", "hidden or temporary file, skipped"),
    "skip-not-spreadsheet": ("不是表格文件，已跳过", "not a spreadsheet, skipped"),
    "skip-text-in-folder": ("文件夹中的文本文件不参与合并（如需合并，请直接指定该文件）",
                            "text file inside a folder, not merged (name the file itself to merge it)"),
    "skip-output": ("这是汇总表本身，已跳过", "this is the master itself, skipped"),
    "skip-duplicate": ("重复指定的文件，只合并一次", "given more than once, merged once"),
    "file-merged": ("已合并", "merged"),
    "file-skipped": ("已跳过", "skipped"),
    "file-failed": ("读取失败", "failed"),
    "rejected-empty": ("第 {seq} 项只有序号，没有任务内容，未汇总。", "Task {seq} has only a number and no content; not merged."),
    "rejected-empty-hint": ("请在原表中补全该项任务或删除此行。", "Complete the task in the source or delete the row."),
    "unreadable-file": ("文件无法读取：{reason}", "The file cannot be read: {reason}"),
    "unreadable-hint": ("请按说明处理后重新合并。", "Fix it as described and merge again."),
    "unknown-district": ("无法确定区县（标题、工作表名和文件名中都没有）。", "The district could not be found "
                         "(not in the title, sheet name or file name)."),
    "unknown-district-hint": ("请在标题中写明区县，或合并时加 --district 文件名=区县。",
                              "Put the district in the title, or pass --district FILE=DISTRICT."),
    "duplicate-task": ("与 {other} 的任务内容相同（任务编号重复），已加后缀区分。",
                       "Same task as {other} (duplicate key); a suffix was added."),
    "duplicate-task-hint": ("请确认是否重复报送了同一文件。", "Check whether the same file was sent twice."),
    "district-unknown-label": ("未识别", "unknown"),
    # headers of our own sheets
    "h-file": ("文件", "File"), "h-sheet": ("工作表", "Sheet"), "h-cell": ("单元格", "Cell"),
    "h-severity": ("级别", "Severity"), "h-code": ("代码", "Code"), "h-message": ("说明", "Message"),
    "h-suggestion": ("建议", "Suggestion"), "h-status": ("结果", "Result"), "h-district": ("区县", "District"),
    "h-rows-read": ("读取任务数", "Tasks read"), "h-rows-merged": ("汇总任务数", "Tasks merged"),
    "h-rows-rejected": ("剔除任务数", "Tasks rejected"), "h-size": ("大小（字节）", "Size (bytes)"),
    "h-sha256": ("SHA-256", "SHA-256"), "h-modified": ("修改时间", "Modified"), "h-reason": ("原因", "Reason"),
    "h-total": ("合计", "Total"), "h-unjudged": ("无法判断", "Not judged"),
    "h-lead": ("牵头单位", "Lead unit"), "h-tasks": ("任务数", "Tasks"),
    "h-merged-at": ("合并时间", "Merged at"), "h-as-of": ("预警基准日", "Warnings as of"),
    "h-soon-days": ("临期天数", "Days counted as due soon"), "h-version": ("xltools 版本", "xltools version"),
    "as-of-today": ("打开时的当天（TODAY()）", "the day the file is opened (TODAY())"),
    "chart-title": ("各区县任务预警情况", "Warnings by district"),
    "flag-unsupported": ("只能给 .xlsx 或 .xlsm 文件加预警列：{file}。请先在 Excel 中另存为 .xlsx。",
                         "Only .xlsx or .xlsm files can be flagged: {file}. Save it as .xlsx in Excel first."),
    "flag-not-found": ("找不到文件：{file}。", "File not found: {file}."),
    "flag-no-table": ("{file} 中没有带表头的任务表，无法加预警列。", "{file} holds no task table with a header row."),
    "flag-unreadable": ("无法打开 {file} 进行修改（{reason}）。", "Cannot open {file} for editing ({reason})."),
    # the merge and flag commands
    "cli-progress": ("读取文件", "Reading files"),
    "cli-progress-line": ("[{done}/{total}] {file}", "[{done}/{total}] {file}"),
    "cli-merged-files": ("已合并到 {output}：读取 {read} 个文件，跳过 {skipped} 个，{failed} 个无法读取。",
                         "Merged into {output}: {read} file(s) read, {skipped} skipped, {failed} unreadable."),
    "cli-merged-rows": ("任务：读入 {rows_in} 项，汇总 {merged} 项，剔除 {rejected} 项。",
                        "Tasks: {rows_in} read, {merged} merged, {rejected} rejected."),
    "cli-merged-warnings": ("预警（截至{as_of}）：{counts}。", "Warnings (as of {as_of}): {counts}."),
    "cli-merged-issues": ("问题清单共 {issues} 条，请在汇总表的“问题清单”工作表中查看。",
                          "{issues} issue(s): see the 问题清单 sheet of the master."),
    "cli-today": ("今天", "today"),
    "cli-failed-line": ("  无法读取：{file}：{reason}", "  Unreadable: {file}: {reason}"),
    "cli-skipped-line": ("  跳过：{file}：{reason}", "  Skipped: {file}: {reason}"),
    "cli-rejected-line": ("  剔除：{file} › {sheet}!{cell}：{reason}", "  Rejected: {file} › {sheet}!{cell}: {reason}"),
    "cli-more-lines": ("  ……另有 {n} 条，见汇总表", "  … {n} more, see the master"),
    "cli-count": ("{label} {n} 项", "{label} {n}"),
    "cli-bad-district": ("应写成 文件名=区县，例如 天桥.xlsx=天桥区", "write FILE=DISTRICT, e.g. tianqiao.xlsx=天桥区"),
    "cli-bad-colour": ("颜色应写成 状态=底色[/字色]，状态为 逾期、临期 或 已完成，颜色为6位十六进制，如 逾期=FFC7CE/9C0006",
                       "write STATE=FILL[/FONT] with STATE overdue, soon or done and 6-digit hex colours, "
                       "e.g. overdue=FFC7CE/9C0006"),
    "cli-bad-date": ("日期应写成 2024-12-20", "write the date as 2024-12-20"),
    "cli-flag-done": ("已在 {file} 的工作表“{sheet}”加上截止日期和预警（{rows} 项任务）；原文件备份为 {backup}。",
                      "Added 截止日期 and 预警 to sheet '{sheet}' of {file} ({rows} tasks); original backed up as "
                      "{backup}."),
    # re-merging into an existing master, 变更
    "output-not-master": ("{file} 已存在，但不是 xltools 汇总表（没有带“任务编号”列的“汇总”工作表）。为免覆盖其中的内容，"
                          "请换一个汇总表文件名，或先把它移走。",
                          "{file} exists but is not an xltools master (no 汇总 sheet with a 任务编号 column). So as not "
                          "to overwrite it, choose another name for the master or move that file away."),
    "output-unreadable": ("已有的汇总表 {file} 无法读取（{reason}），其中手工填写的内容无法保留。请换一个文件名，"
                          "或确认不再需要后把它移走，再合并。",
                          "The existing master {file} cannot be read ({reason}), so what was typed into it cannot be "
                          "kept. Choose another name, or move it away if it is no longer needed, and merge again."),
    "h-previous-merge": ("上次合并时间", "Previous merge"), "h-changes": ("变更情况", "Changes"),
    "h-change-kind": ("变更类型", "Change"), "h-column": ("列", "Column"), "h-old": ("原值", "Old value"),
    "h-new": ("新值", "New value"),
    "change-added": ("新增", "added"), "change-removed": ("删除", "removed"), "change-changed": ("修改", "changed"),
    "changes-first": ("首次合并：共 {n} 项任务。", "First merge: {n} tasks."),
    "changes-none": ("与上次合并相比没有变化。", "No changes since the previous merge."),
    "changes-summary": ("与上次合并相比：新增 {added} 项，删除 {removed} 项，修改 {changed} 项。",
                        "Since the previous merge: {added} added, {removed} removed, {changed} changed."),
    "changes-no-previous": ("无（首次合并）", "none (first merge)"),
    "changes-previous-unknown": ("未知（原汇总表中没有合并记录）", "unknown (the old master has no merge log)"),
    "cli-merged-changes": ("变更：{note}详见汇总表的“变更”工作表。", "Changes: {note} See the 变更 sheet of the master."),
    "cli-kept-columns": ("保留了汇总表中手工添加的列：{columns}。", "Kept the columns added to the master by hand: {columns}."),
    # ---- template_texts
    "plan-title": ("{year}年{district}重点工作任务分解表", "{year} {district} key work tasks: breakdown"),
    "progress-title": ("{unit}进展情况报送表（截至{as_of}）", "{unit}: progress report (as of {as_of})"),
    "as-of-blank": ("　　年　　月　　日", "____-__-__"),
    "reporter": ("报送单位：", "Reporting unit:"),
    "report-date": ("报送日期：", "Date:"),
    "plan-of": ("所属计划：", "Plan:"),
    "example": ("示例", "Example"),
    "footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "list-header": ("单位名称", "单位名称"),  # read back by UnitRegistry.load: keep Chinese
    # data validations (Excel: titles ≤ 32, prompt ≤ 255, error ≤ 225 characters)
    "dv-unit-title": ("选择单位", "Choose a unit"),
    "dv-unit-prompt": ("请从下拉列表选择单位；多个单位用顿号“、”分隔。名录中没有的单位，请先加入单位名录。",
                       "Choose from the list; separate several units with 、. Add new units to the registry first."),
    "dv-unit-error-title": ("单位不在名录中", "Unit not in the registry"),
    "dv-unit-error": ("所填单位不在单位名录中。填写多个单位（用“、”分隔）时请点“是”保留；否则请点“否”，从下拉列表中选择。",
                      "This is not a unit of the registry. For several units separated by 、 click Yes to keep "
                      "them; otherwise click No and choose from the list."),
    "dv-reporter-error": ("请从下拉列表中选择报送单位。", "Choose the reporting unit from the list."),
    "dv-status-title": ("选择状态", "Choose a status"),
    "dv-status-prompt": ("请从下拉列表选择：{values}。完成的任务选“已完成”并填写完成日期。",
                         "Choose one of: {values}. For a finished task choose 已完成 and fill in 完成日期."),
    "dv-status-error-title": ("状态无效", "Invalid status"),
    "dv-status-error": ("状态只能是：{values}。请从下拉列表中选择。", "The status must be one of: {values}."),
    "dv-date-title": ("填写日期", "Enter a date"),
    "dv-date-prompt": ("请填写日期，如 2024-06-30。未完成的任务留空。", "Enter a date such as 2024-06-30. "
                       "Leave it empty while the task is not finished."),
    "dv-date-error-title": ("日期无效", "Invalid date"),
    "dv-date-error": ("请填写 2000 年以后的日期，如 2024-06-30（不要填文字）。",
                      "Enter a date after 2000, e.g. 2024-06-30 (no text)."),
    "dv-deadline-title": ("完成时限", "Deadline"),
    "dv-deadline-prompt": ("可写文字，如“12月底前”“2024年6月30日前”“长期坚持”“每季度”“本文件印发后30日内”；"
                           "也可直接填日期。写法见“填表说明”。",
                           "Write a phrase (12月底前, 2024年6月30日前, 长期坚持, 每季度, 本文件印发后30日内) or "
                           "enter a date. See 填表说明."),
    "dv-key-title": ("任务编号", "Task key"),
    "dv-key-prompt": ("由 xltools 自动生成，用于下发和汇总时对应任务，已锁定，请勿修改。",
                      "Generated by xltools to match tasks when splitting and collecting; locked."),
    # 填表说明
    "guide-title": ("填表说明", "How to fill in this workbook"),
    "guide-columns": ("一、各列填写内容", "1. What goes in each column"),
    "guide-deadlines": ("二、完成时限的写法（以下写法都能识别）", "2. Deadlines understood"),
    "guide-deadline-head": ("写法", "Written as"),
    "guide-deadline-meaning": ("含义", "Meaning"),
    "guide-done": ("三、如何标记完成", "3. Marking a task done"),
    "guide-other": ("四、其他", "4. Other notes"),
    "guide-done-1": ("任务完成后，“{status}”选“已完成”，并在“{done}”填写实际完成的日期（如 2024-06-30）。",
                     "When a task is finished, set {status} to 已完成 and enter the date in {done}."),
    "guide-done-2": ("长期任务（长期坚持、持续推进、常态化）“{status}”选“长期推进”，不会被判为逾期。",
                     "Ongoing tasks (长期坚持, 持续推进, 常态化): set {status} to 长期推进; they are never overdue."),
    "guide-done-3": ("“{progress}”写截至报送日已做的工作和下一步安排；未完成的任务“{done}”留空。",
                     "{progress}: what has been done and what comes next; leave {done} empty until done."),
    "guide-examples": ("第{first}至{last}行是灰色斜体的示例行（序号为“示例”），开始填写前请整行删除。",
                       "Rows {first} to {last} are grey italic examples (序号 示例): delete them before filling in."),
    "guide-protect": ("本表已设保护（无密码）：只有“{key}”列不能修改，其余各列可填写、筛选、排序和调整格式。"
                      "如需修改表结构，可点“审阅”→“撤销工作表保护”。",
                      "The sheet is protected without a password: only {key} cannot be changed. To change the "
                      "layout, use Review > Unprotect Sheet."),
    "guide-list": ("单位下拉列表取自隐藏的“{sheet}”工作表。要增加单位，请编辑单位名录后重新生成本表"
                   "（xltools units export / xltools new-plan --registry）。",
                   "The unit dropdown comes from the hidden {sheet} sheet. To add units, edit the registry and "
                   "generate the workbook again (xltools units export / new-plan --registry)."),
    "guide-one-row": ("一项任务占一行；同一任务有多个牵头单位时写在同一格，用顿号“、”分隔，不要合并单元格。",
                      "One task per row; several units go in one cell separated by 、. Do not merge cells."),
    "guide-progress-locked": ("“{columns}”由下发单位填写，已锁定，请勿改动；如有异议请在“{progress}”中说明。",
                              "{columns} are filled in by the office and locked; raise any objection in {progress}."),
    "guide-progress-head": ("第 {row} 行填写报送单位和报送日期；标题中的“截至  年  月  日”请填写本次报送的截止日期。",
                            "Row {row}: the reporting unit and the date; fill in the as-of date in the title."),
    "guide-progress-return": ("填好后保存为 .xlsx 文件报送，请勿改动表头、增删列或改动工作表名称。",
                              "Save as .xlsx and send it back; do not change the header, columns or sheet names."),
    # what each column holds (generated per column key of the schema)
    "col-seq": ("任务的顺序号，填数字 1、2、3……", "Task number: 1, 2, 3 …"),
    "col-section": ("一级任务，如“一、深化重点领域信息公开”。同一一级任务下的各行可留空，视为与上一行相同。",
                    "Top-level task; may be left empty on following rows of the same task."),
    "col-subsection": ("二级任务，如“（一）推进财政信息公开”；没有二级任务的可留空。",
                       "Second-level task; may be empty."),
    "col-requirement": ("该项任务的具体内容和要求。", "What exactly is to be done."),
    "col-units": ("负责落实的单位。", "Units responsible."),
    "col-lead": ("牵头负责的单位，从下拉列表选择；多个单位用顿号“、”分隔，如“区财政局、区审计局”。",
                 "Lead units, chosen from the list; separate several with 、."),
    "col-support": ("配合的单位，从下拉列表选择，多个单位用“、”分隔；没有的留空。",
                    "Supporting units, from the list, separated by 、; may be empty."),
    "col-deadline": ("任务的完成时限，可写文字或填日期，写法见下文第二部分。",
                     "The deadline: a phrase or a date, see part 2."),
    "col-due": ("由完成时限算出的截止日期（“长期坚持”等持续性任务为空），已锁定。",
                "The due date worked out from the deadline (empty for ongoing tasks); locked."),
    "col-status": ("从下拉列表选择：{values}。", "Choose one of: {values}."),
    "col-progress": ("截至报送日的工作进展：已做了什么、还差什么、下一步安排。",
                     "Progress so far: what is done, what is left, what comes next."),
    "col-done_date": ("任务实际完成的日期，如 2024-06-30；未完成的留空。",
                      "The date the task was finished, e.g. 2024-06-30; empty until then."),
    "col-key": ("由 xltools 自动生成，用于下发、汇总时对应任务，已锁定，请勿修改。",
                "Generated by xltools to match tasks; locked."),
    # new-plan
    "changes-sheet": ("变更说明", "Changes"),
    "changes-old": ("原{deadline}", "Previous {deadline}"),
    "changes-new": ("新{deadline}", "New {deadline}"),
    "changes-note": ("说明", "Note"),
    # ---- newplan_texts
    "bad-year": ("年度“{year}”无效，请写四位年份，如 2025。", "Year '{year}' is not valid; write four digits, e.g. 2025."),
    "no-district": ("请写明区县名称，如 天桥区。", "Name the district, e.g. 天桥区."),
    "no-folder": ("输出文件夹不存在：{folder}。请先建好文件夹或换一个位置。",
                  "The output folder does not exist: {folder}. Create it or choose another place."),
    "output-is-input": ("输出文件不能与上一年度计划是同一个文件：{file}。请换一个文件名。",
                        "The output must not overwrite last year's plan: {file}. Choose another name."),
    "not-xlsx": ("输出文件应以 .xlsx 结尾：{file}。", "The output file must end in .xlsx: {file}."),
    # the 变更说明 notes, one per task
    "shifted": ("年份顺延：{old}年 → {new}年", "Year moved on: {old} → {new}"),
    "shifted-ongoing": ("年份顺延：{old}年 → {new}年；同时为长期任务，请核对今年是否仍需在此时限前完成",
                        "Year moved on: {old} → {new}; also ongoing: check whether this date still applies"),
    "still-due": ("原时限在{year}年或以后，保留原写法", "The old deadline is in {year} or later: kept"),
    "ongoing": ("长期或定期任务，保留原写法", "Ongoing or recurring: kept as written"),
    "no-year": ("未写年份，按{year}年理解，保留原写法", "No year written: read as {year}, kept"),
    "relative": ("相对印发日期，保留原写法；请在标题附近写明新计划的印发日期",
                 "Relative to the issue date: kept; write the new plan's issue date near the title"),
    "unknown": ("无法识别，原样保留，请核对", "Not understood: kept as written, please check"),
    "impossible": ("顺延后不是有效日期（{value}），原样保留，请核对", "Moving the year gives no valid date ({value}): "
                   "kept as written, please check"),
    "empty": ("原表未填写完成时限", "No deadline in last year's plan"),
    "cleared": ("已清空上一年度的{columns}", "Cleared last year's {columns}"),
    # summaries
    "summary-new": ("已生成 {year}年{district}任务分解表：{file}（空白表，含 3 行示例，开始填写前请删除）。",
                    "Created the {year} plan of {district}: {file} (empty, with 3 example rows to delete)."),
    "summary-carried": ("已生成 {year}年{district}任务分解表：{file}。从 {source} 沿用 {tasks} 项任务，"
                        "其中 {shifted} 项完成时限顺延到{year}年，{kept} 项保留原写法，{check} 项请核对；"
                        "状态、进展情况、完成日期已清空，逐项说明见“变更说明”工作表。",
                        "Created the {year} plan of {district}: {file}. Carried {tasks} task(s) over from {source}: "
                        "{shifted} deadline(s) moved to {year}, {kept} kept as written, {check} to check; status, "
                        "progress and completion dates cleared. See the 变更说明 sheet."),
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
    "example-row": ("info", ("第 {row} 行是模板中的示例行，未作为任务读取。", "填表前请删除示例行。"),
                    ("Row {row} is a template example row; not read as a task.", "Delete the example rows.")),
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


def t(key: str, lang: str = "zh", /, **params) -> str:
    zh, en = TEXTS[key]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template

"""Merge, the master workbook and flag.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # errors that stop the merge
    "output-open": ("汇总表 {file} 正在 Excel/WPS 中打开（发现锁定文件 {lock}）。请先在 Excel/WPS 中关闭它再运行。",
                    "The master {file} is open in Excel/WPS (lock file {lock} found). Close it in Excel/WPS and run again."),
    "output-busy": ("另一个 xltools 操作（合并、收集、标记预警或写催办）正在写入 {file}（发现 {lock}：计算机 {host} 上的进程 "
                    "{pid}）。请等它结束；如果确认没有 xltools 在运行，删除 {lock} 后再试。",
                    "Another xltools run (merge, collect, flag or remind) is writing {file} ({lock}: process {pid} "
                    "on {host}). Wait for it; if none is running, delete {lock} and try again."),
    "output-not-writable": ("无法写入 {file}：无法在文件夹 {folder} 中建立锁定文件 {lock}（{reason}），因此没有修改它。"
                            "请确认该文件夹可写（不是只读文件夹或只读共享盘）、磁盘未满，或把文件放到可写的文件夹再试。",
                            "Cannot write {file}: the lock file {lock} cannot be made in {folder} ({reason}), so "
                            "nothing was changed. Check that the folder is writable (not a read-only folder or "
                            "share) and the disk is not full, or use a writable folder."),
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
    "skip-master": ("这是 xltools 的汇总表（有“汇总”工作表和任务编号列），不作为区县文件合并；如需合并，请直接指定该文件",
                    "an xltools master (汇总 sheet with a 任务编号 column), not merged as a district file; name "
                    "the file itself to merge it"),
    "skip-log-archive": ("汇总表“收集记录”的存档（较早的收集记录），不是报送表或区县文件，已跳过",
                         "the archive of a master's 收集记录 (its older lines), not a return or district file; skipped"),
    "skip-result-copy": ("xltools 因原文件已被他人修改而另存的结果，不参与合并", "a result xltools kept beside a file "
                         "that someone else changed; not merged"),
    "input-missing": ("找不到要合并的文件或文件夹：{file}。为免删去其中的任务，没有合并，汇总表未改动。请检查路径（共享盘是否连通）。",
                      "Input not found: {file}. Nothing was merged, so none of its tasks is removed; the master "
                      "was not changed. Check the path (and the shared drive)."),
    "reason-worker-died": ("读取该文件的进程意外退出（可能文件已损坏）", "the process reading this file ended "
                           "abruptly (the file may be damaged)"),
    "kept-unread": ("本次无法读取，汇总表中保留了它上次的 {rows} 项任务（连同填写的内容），未更新", "could not be read "
                    "this time; its {rows} task(s) from the last merge are kept in the master as they were (with what "
                    "was typed), not refreshed"),
    "skip-duplicate": ("重复指定的文件，只合并一次", "given more than once, merged once"),
    "file-merged": ("已合并", "merged"),
    "file-skipped": ("已跳过", "skipped"),
    "file-failed": ("读取失败", "failed"),
    # a sheet whose district was not found: a label no one takes for a place (汇总 区县, 通报, file names)
    "district-unknown-label": ("地区未注明", "district not stated"),
    "place-of": ("{district}的", " of {district}"),   # 单位名录中没有{place}村/社区: said only of a stated place
    # text the master cannot hold as it is (the cell writer's changes)
    # 预警 states as the terminal names them (zh: the words the 预警 formula writes)
    "state-overdue": ("逾期", "overdue"), "state-soon": ("临期", "due soon"), "state-ok": ("正常", "on track"),
    "state-done": ("已完成", "done"), "state-ongoing": ("持续推进", "ongoing"),
    "state-unjudged": ("无法判断", "not judged"),
    # headers of our own sheets
    "h-file": ("文件", "File"), "h-sheet": ("工作表", "Sheet"), "h-cell": ("单元格", "Cell"),
    "h-severity": ("级别", "Severity"), "h-code": ("代码", "Code"), "h-message": ("说明", "Message"),
    "h-suggestion": ("建议", "Suggestion"), "h-status": ("结果", "Result"), "h-district": ("区县", "District"),
    "h-rows-read": ("读取任务数", "Tasks read"), "h-rows-merged": ("汇总任务数", "Tasks merged"),
    "h-rows-rejected": ("剔除任务数", "Tasks rejected"), "h-size": ("大小（字节）", "Size (bytes)"),
    "h-sha256": ("SHA-256", "SHA-256"), "h-modified": ("修改时间", "Modified"), "h-reason": ("原因", "Reason"),
    "h-total": ("合计", "Total"),
    "h-lead": ("牵头单位", "Lead unit"), "h-tasks": ("任务数", "Tasks"),
    "h-merged-at": ("合并时间", "Merged at"), "h-as-of": ("预警基准日", "Due status as of"),
    "h-soon-days": ("临期天数", "Days counted as due soon"), "h-version": ("xltools 版本", "xltools version"),
    "as-of-today": ("打开时的当天（TODAY()）", "the day the file is opened (TODAY())"),
    "print-title": ("区县任务汇总表", "District task master"),
    # the place all the master's tasks are in (天桥区, 平阴县 for its towns, 济南市 for its counties)
    "print-title-of": ("{place}任务汇总表", "{place} task master"),
    # a sheet of the master as its page header names it: its own (Chinese) name, &A, or in English
    # its English name, so that no printed page mixes the languages
    "page-sheet-master": ("&A", "Tasks"), "page-sheet-stats": ("&A", "Statistics"),
    "page-sheet-changes": ("&A", "Changes"), "page-sheet-issues": ("&A", "Issues"),
    "page-sheet-log": ("&A", "Merge log"), "page-sheet-collected": ("&A", "Collection log"),
    "page-sheet-remind": ("&A", "Reminders"),
    "print-page": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "chart-title": ("各区县任务预警情况", "Due status by district"),
    "flag-unsupported": ("只能给 .xlsx 或 .xlsm 文件加预警列：{file}。请先在 Excel 中另存为 .xlsx。",
                         "Only .xlsx or .xlsm files can be flagged: {file}. Save it as .xlsx in Excel first."),
    "flag-not-found": ("找不到文件：{file}。", "File not found: {file}."),
    "flag-no-table": ("{file} 中没有带表头的任务表，无法加预警列。", "{file} holds no task table with a header row."),
    "flag-no-deadline": ("{file} 没有“完成时限”列，无法标记预警；文件未改动。",
                         "{file} has no 完成时限 (deadline) column, so nothing can be flagged; the file is unchanged."),
    "flag-unreadable": ("无法打开 {file} 进行修改：文件内部结构有错误（可能由其他软件生成或已损坏），文件未被修改。"
                        "请用 Excel 打开后另存为 .xlsx 再试。",
                        "Cannot open {file} for editing: its inner structure is faulty (made by another program, "
                        "or damaged); it was not changed. Open it in Excel, save as .xlsx and try again."),
    "flag-backup-failed": ("无法在文件夹 {folder} 中写备份文件，因此没有修改 {file}。请确认该文件夹可写（不是只读文件夹或"
                           "只读共享盘），或把文件复制到可写的文件夹再试。",
                           "Cannot write the backup in {folder}, so {file} was not changed. Check that the folder "
                           "is writable (not a read-only folder or share), or copy the file somewhere writable."),
    # the merge and flag commands
    "cli-progress": ("读取文件", "Reading files"),
    "cli-progress-line": ("[{done}/{total}] {file}", "[{done}/{total}] {file}"),
    "cli-merged-files": ("已合并到 {output}：读取 {read} 个文件，跳过 {skipped} 个，{failed} 个无法读取。",
                         "Merged into {output}: {read} file(s) read, {skipped} skipped, {failed} unreadable."),
    "cli-merged-rows": ("任务：读入 {rows_in} 项，汇总 {merged} 项，剔除 {rejected} 项。",
                        "Tasks: {rows_in} read, {merged} merged, {rejected} rejected."),
    "cli-merged-rows-deduped": ("任务：读入 {rows_in} 项，汇总 {merged} 项，剔除 {rejected} 项，去掉重复 {deduped} 项。",
                                "Tasks: {rows_in} read, {merged} merged, {rejected} rejected, {deduped} duplicates "
                                "dropped."),
    "cli-merged-kept": ("无法读取的文件在汇总表中原有的 {kept} 项任务照旧保留（连同填写的内容），本次未更新，见“问题清单”。",
                        "The {kept} task(s) the unreadable files had in the master are kept as they were (with "
                        "what was typed), not refreshed; see 问题清单."),
    "cli-merged-warnings": ("预警（截至{as_of}，共 {total} 项）：{counts}。",
                            "Due status (as of {as_of}, {total} tasks): {counts}."),
    "cli-merged-issues": ("问题清单共 {issues} 条：{errors} 个错误，{warnings} 个警告，{notes} 条提示。"
                          "请在汇总表的“问题清单”工作表中查看。",
                          "{issues} issue(s): {errors} error(s), {warnings} warning(s), {notes} note(s). "
                          "See the 问题清单 sheet of the master."),
    "cli-duplicates": ("重复任务：{files} 个文件中的 {tasks} 项任务与其他文件完全相同（可能重复报送了同一文件）：",
                       "Duplicate tasks: {tasks} task(s) in {files} file(s) are the same as in another file "
                       "(the same file sent twice?):"),
    "cli-duplicate-line": ("  {file} 与 {other} 相同：{tasks} 项", "  {file} repeats {other}: {tasks} task(s)"),
    "cli-duplicates-kept": ("  已加后缀区分；如只需保留一份，请加 --dedupe 重新合并。",
                            "  A suffix tells them apart; merge again with --dedupe to keep one copy."),
    "cli-duplicates-dropped": ("  已按 --dedupe 只保留一份，去掉的 {tasks} 项记在“问题清单”中。",
                               "  Kept one copy (--dedupe); the {tasks} dropped are listed in 问题清单."),
    "cli-today": ("{date}", "today, {date}"),
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
    "cli-flag-renewed": ("已更新 {file} 的工作表“{sheet}”中的截止日期和预警（{rows} 项任务）；原文件备份为 {backup}。",
                         "Updated 截止日期 and 预警 on sheet '{sheet}' of {file} ({rows} tasks); original backed up as "
                         "{backup}."),
    "cli-flag-fixed-day": ("预警按固定日期 {day} 判断，以后打开也不变；要按打开当天判断，请不加 --as-of 再运行一次。",
                           "The due status is judged as of the fixed day {day}, whenever the file is opened; to judge it "
                           "as of the day it is opened, run again without --as-of."),
    "cli-flag-today": ("预警按打开文件的当天判断（TODAY()），每天自动更新。",
                       "The due status is judged as of the day the file is opened (TODAY()), each day anew."),
    "flag-due-none": ("无具体日期", "none"),
    "cli-flag-unchanged": ("{file} 的工作表“{sheet}”中截止日期和预警已是最新（{rows} 项任务），文件未改动，也没有另做备份。",
                           "Sheet '{sheet}' of {file} already has up-to-date 截止日期 and 预警 ({rows} tasks); the file "
                           "was left as it is, no backup made."),
    # re-merging into an existing master, 变更
    "output-not-master": ("{file} 已存在，但不是 xltools 汇总表（没有带“任务编号”列的“汇总”工作表）。为免覆盖其中的内容，"
                          "请换一个汇总表文件名，或先把它移走。",
                          "{file} exists but is not an xltools master (no 汇总 sheet with a 任务编号 column). So as not "
                          "to overwrite it, choose another name for the master or move that file away."),
    "output-master-header-moved": ("{file} 的“汇总”工作表中，表头（有“任务编号”的一行）在第 {row} 行：表头上方插入了行。"
                                   "为免丢失其中填写的内容，没有合并。请删除表头上方的行（标题可以写在页眉中），保存后再合并。",
                                   "In {file}, the header of sheet 汇总 (the row with 任务编号) is row {row}: rows were "
                                   "inserted above it. Nothing was merged, so nothing typed there is lost. Delete the "
                                   "rows above the header (a title can go in the page header), save and merge again."),
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
    # what the office added around the data of the master replaced (comments, pictures …)
    "h-not-carried": ("未带入新汇总表的内容", "Not carried into the new master"),
    "kept-not-carried": ("原汇总表“{sheet}”工作表上的 {what} 未带入新汇总表，已随原汇总表保存为旧版本"
                         "（xltools history 可查看，xltools undo 可恢复），请按需重新添加。",
                         "{what} on sheet {sheet} of the previous master were not carried into the new master; they "
                         "are kept in the previous master's version (xltools history; xltools undo puts it back). "
                         "Add them again where needed."),
    "kept-pictures": ("{n} 张图片或图形", "{n} picture(s) or shape(s)"),
    "kept-charts": ("{n} 个图表", "{n} chart(s)"),
    "kept-rules": ("{n} 条条件格式（在本工具的列上，或只覆盖部分任务行）",
                   "{n} conditional format rule(s) (on xltools' own columns, or over only some task rows)"),
    "kept-validations": ("{n} 条数据验证（在本工具的列上，或只覆盖部分任务行）",
                         "{n} data validation(s) (on xltools' own columns, or over only some task rows)"),
    "kept-comment-gone": ("任务 {key}（{district} 序号 {seq}）已不在新汇总表中，原汇总表“汇总”工作表 {cell} 单元格上的批注"
                          "未能带入，原文如下（{author}）：{text}",
                          "Task {key} ({district} no. {seq}) is no longer in the master; the comment on cell {cell} "
                          "of sheet 汇总 of the previous master could not be carried. It said ({author}): {text}"),
    "kept-comment-sheet": ("“{sheet}”工作表每次合并都重新生成，原汇总表该表 {cell} 单元格上的批注未能带入，原文如下"
                           "（{author}）：{text}",
                           "Sheet {sheet} is written anew by every merge; the comment on its cell {cell} in the "
                           "previous master could not be carried. It said ({author}): {text}"),
    "kept-additions-unread": ("原汇总表中的批注、冻结窗格、条件格式、数据验证和图片无法读取（{reason}），未带入新汇总表；"
                    "原汇总表已保存为旧版本（xltools history 可查看，xltools undo 可恢复）。",
                    "The comments, frozen panes, conditional formats, validations and pictures of the previous master "
                    "could not be read ({reason}) and were not carried; the previous master is kept as a version "
                    "(xltools history; xltools undo puts it back)."),
}

"""Split-out and collect-back (拆分下发 / 收集进展).  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    "loop-not-master": ("{file} 不是 xltools 生成的汇总表（找不到“汇总”工作表或“任务编号”列）。请先用 xltools merge 生成汇总表。",
                        "{file} is not a master made by xltools (no 汇总 sheet or 任务编号 column). Run xltools merge "
                        "first."),
    "loop-master-header-moved": ("{file} 的“汇总”工作表中，表头（有“任务编号”的一行）在第 {row} 行：表头上方插入了行。"
                                 "请删除表头上方的行（标题可以写在页眉中），保存后再运行。文件未作任何修改。",
                                 "In {file}, the header of sheet 汇总 (the row with 任务编号) is row {row}: rows were "
                                 "inserted above it. Delete the rows above the header (a title can go in the page "
                                 "header), save and run again. The file was not changed."),
    "loop-bad-by": ("无法按“{by}”拆分：可选 lead-unit（牵头单位）、unit（所有责任单位）、district（区县）。",
                    "Cannot split by '{by}': use lead-unit, unit or district."),
    "cli-split-done": ("已拆分为 {files} 个报送表，保存在 {folder}。", "Split into {files} return(s) in {folder}."),
    "cli-split-line": ("  {unit}：牵头 {lead} 项，配合 {support} 项 → {file}",
                       "  {unit}: leads {lead}, supports {support} → {file}"),
    "cli-split-no-members-unsent": ("  注意：单位名录中没有{place}{kinds}；“{unit}”只是配合单位，没有为它生成报送表，"
                                    "它配合的任务只在牵头单位的报送表中。在单位名录中添加这些单位（类别填{kinds}）"
                                    "后重新拆分，每个成员将收到自己的报送表。",
                                    "  Note: the registry lists no {kinds}{place}; {unit} only supports, so no "
                                    "return was made for it: its tasks are only in the lead units' returns. Add those "
                                    "units to the registry, of kind {kind_values}, and split again to reach each "
                                    "member."),
    "cli-split-no-members": ("  注意：单位名录中没有{place}{kinds}，“{unit}”的任务只生成了一个报送表。在单位名录中添加"
                             "这些单位（类别填{kinds}）后重新拆分，每个成员将收到自己的报送表。",
                             "  Note: the registry lists no {kinds}{place}: the tasks of {unit} went into one "
                             "return. Add those units to the registry, of kind {kind_values}, and split again to "
                             "reach each member."),
    "cli-split-unit-doubtful": ("  注意：{place}“{unit}”不在单位名录中，是否应为“{suggestion}”？已按原样为它生成报送表"
                                "（{file}）。如是笔误，请在原表中改正后重新合并、拆分，以免报送表发给不存在的单位。",
                                "  Note: {unit}{place} is not in the registry: did the sheet mean {suggestion}? "
                                "A return was made for it as written ({file}). If it is a typo, correct it in the "
                                "district's sheet, then merge and split again, so no return goes to a unit that "
                                "does not exist."),
    "split-hidden-kept": ("  汇总表中隐藏的列 {columns} 没有发给任何单位（只留在汇总表中）；要发给单位参考，请在“汇总”工作表中"
                          "取消隐藏后重新拆分。",
                          "  Column(s) hidden in the master ({columns}) were sent to no unit (they stay in the "
                          "master); to send them for reference, unhide them in sheet 汇总 and split again."),
    "split-head-lead": ("{n}、牵头的任务", "{n}. Tasks led"),
    "split-head-support": ("{n}、配合的任务", "{n}. Tasks supported"),
    "split-head-lead-via": ("{n}、“{via}”牵头的任务（本单位是其中之一）", "{n}. Tasks led by {via} (this unit is one "
                            "of them)"),
    "split-head-support-via": ("{n}、“{via}”配合的任务（本单位是其中之一）", "{n}. Tasks supported by {via} (this "
                               "unit is one of them)"),
    "split-no-lead": ("  {task}没有牵头单位，未下发；请在汇总表中填写牵头单位后重新拆分。",
                      "  {task} has no lead unit and was not sent; fill in its lead unit (牵头单位) in the master "
                      "and split again."),
    "split-no-lead-support": ("  {task}没有牵头单位，只作为配合任务发给了{units}；请在汇总表中填写牵头单位后重新拆分。",
                              "  {task} has no lead unit and went only to {units}, as a supported task; fill in its "
                              "lead unit (牵头单位) in the master and split again."),
    "cli-collect-done": ("已收集 {files} 个报送表到 {master}：更新 {updated} 处；错误 {errors} 条，警告 {warnings} 条，提示 {infos} 条；"
                         "{open} 项任务的冲突未解决（详见“收集记录”工作表）。",
                         "Collected {files} return(s) into {master}: {updated} cell(s) updated; {errors} error(s), "
                         "{warnings} warning(s), {infos} note(s); {open} task(s) still in conflict (see the 收集记录 "
                         "sheet)."),
    "cli-collect-more-json": ("  ……另有 {n} 条（--json 列出全部）。", "  … and {n} more (--json lists them all)."),
    "cli-collect-nothing": ("没有收集到任何报送表，汇总表未改动（也未另存版本）。",
                            "No return was collected: the master was not changed (no version kept)."),
    "cli-collect-skipped": ("  跳过 {file}：{reason}", "  skipped {file}: {reason}"),
    "cli-collect-unchanged": ("报送表中没有新的内容，汇总表未改动（也未另存版本）。",
                              "Nothing new in the returns: the master was not changed (no version kept)."),
    "cli-collect-dry": ("预演，未写入任何文件：收集 {files} 个报送表到 {master} 将更新 {updated} 处；错误 {errors} 条，警告 {warnings} 条，"
                        "提示 {infos} 条。",
                        "Dry run, nothing written: collecting {files} return(s) into {master} would update {updated} "
                        "cell(s); {errors} error(s), {warnings} warning(s), {infos} note(s)."),
    "cli-collect-change": ("  {task}　{column}：{old} → {new}（{unit}）", "  {task}  {column}: {old} → {new} ({unit})"),
    "cli-collect-finding": ("  {where}：{message}", "  {where}: {message}"),     # where: file, cell, task
    "cli-collect-more": ("  ……另有 {n} 条，见汇总表的“收集记录”工作表（或 --json）。",
                         "  … {n} more: see the master's 收集记录 sheet (or --json)."),
    "collect-log-full": ("“收集记录”已有 {rows} 行，再写入本次的 {lines} 行会超过 Excel 一张工作表的 {limit} 行：已停止，汇总表未作"
                         "任何修改。请把较早的记录剪切到另一个工作簿中保存，再从“收集记录”中删除这些行，然后重新收集。",
                         "收集记录 holds {rows} lines; this collection's {lines} more would pass the {limit} rows an "
                         "Excel sheet has: stopped, the master is unchanged. Cut the older lines into another "
                         "workbook, keep it, delete them from 收集记录 and collect again."),
    "splice-broken": ("写回汇总表时工作表 {part} 不是有效的文件内容（{reason}），已停止，汇总表未作任何修改。"
                      "请用 Excel 或 WPS 把汇总表另存一份 .xlsx 后再收集，并把原文件发给维护人员。",
                      "Writing the master back, its part {part} would not be valid ({reason}): stopped, the master "
                      "is unchanged. Save the master again as .xlsx in Excel or WPS and collect again, and send "
                      "the original file to whoever maintains xltools."),
    "example-day": ("{year}年6月30日", "{year}-06-30"),          # a completion date as messages show one
    "status-guess": ("是否为“{status}”？", " Did you mean '{status}'?"),
    "collect-task": ("{district} 第 {seq} 项“{words}”", "{district} task {seq} '{words}'"),
    "collect-task-unnumbered": ("{district} 的任务“{words}”", "{district}'s task '{words}'"),   # no 序号
    "log-time": ("收集时间", "Collected at"), "log-kind": ("类型", "Kind"), "log-key": ("任务编号", "Task key"),
    "log-district": ("区县", "District"), "log-seq": ("序号", "No."), "log-task": ("任务", "Task"),
    "log-column": ("列", "Column"), "log-old": ("原值", "Old value"), "log-new": ("报送内容", "Reported"),
    "log-unit": ("报送单位", "Reported by"), "log-reported_at": ("报送时间", "Report date"), "log-file": ("文件", "File"),
    "log-cell": ("单元格", "Cell"), "log-note": ("说明", "Note"),
    "log-kind-updated": ("已更新", "updated"),
    "log-kind-conflict-resolved": ("冲突已解决", "conflict resolved"),
    "log-kind-error": ("未写入（错误）", "not written (error)"), "log-kind-warning": ("警告", "warning"),
    "log-kind-info": ("提示", "note"),
    # old lines moved out of 收集记录 into the archive beside the master (work/log_archive.py)
    "log-kind-archived": ("已存档", "archived"),
    "log-archived-note": ("更早的收集记录不在本表中：已移至同一文件夹中的{files}（最近一次于 {when} 移出 {lines} 行，"
                          "收集时间 {first} 至 {last}）。存档与本表的列相同，可用 Excel 或 WPS 打开查阅。",
                          "Older lines of this log are not here: they were moved to {files} in the same folder "
                          "(the last move, {when}, took {lines} line(s) collected {first} to {last}). The archive has "
                          "the same columns as this sheet; open it in Excel or WPS."),
    "log-archive-not-ours": ("{file} 中没有可以续写的“{sheet}”工作表，不是 xltools 写的收集记录存档（请把它改名或移走）",
                             "{file} has no {sheet} sheet to append to: it is no 收集记录 archive written by xltools "
                             "(rename or move it)"),
    "cli-collect-archived": ("“收集记录”中较早的 {lines} 行已移至同一文件夹中的{files}，汇总表中保留最近的 {kept} 行。",
                             "{lines} older line(s) of 收集记录 were moved to {files} in the same folder; the master "
                             "keeps the latest {kept}."),
    "reason-no-seq": ("下发的任务中也没有序号 {seq}：不写入汇总表。", "and no task sent was numbered {seq}: not written."),
    "reason-seq-blank": ("也没有序号：不写入汇总表。", "and no task number either: not written."),
    "reason-not-similar": ("序号 {seq} 的任务具体要求相似度只有 {score}%（需 {threshold}% 以上）：不写入汇总表。",
                           "the requirement of task {seq} is only {score}% similar (needs {threshold}%): not written."),
    "master-unnamed": ("下发时未记录名称", "name not recorded"),
    "value-typed-as": ("“{typed}”（按{value}处理）", "'{typed}' (read as {value})"),
    "note-leads-done": ("{n}个牵头单位均已报完成，完成日期取其中最晚的（{unit}，{day}）。",
                        "All {n} lead units reported it complete; the completion date is the latest ({unit}, {day})."),
    "note-resolved-in-master": ("汇总表中已手工填入其中一个值。", "One of the values was typed into the master."),
    # split over a folder that holds returns (issue 24 point 3)
    "split-protected": ("{folder} 中有 {n} 个文件在拆分后被改动过或不是拆分生成的（{files}），为保护它们不被覆盖，"
                        "本次报送表写入新文件夹 {new}。",
                        "{folder} holds {n} file(s) changed since split wrote them or not written by split ({files}): "
                        "to keep them, this split writes into the new folder {new}."),
    "split-protected-more": ("等 {n} 个", " and others, {n} in all"),
    "split-protected-refused": ("没有写入：{folder} 中有 {n} 个文件在拆分后被改动过或不是拆分生成的（{files}），"
                                "不能覆盖。去掉 --no-new-folder 将写入新的日期文件夹，或换一个输出文件夹。",
                                "Nothing written: {folder} holds {n} file(s) changed since split wrote them or not "
                                "written by split ({files}) and they are not overwritten. Without --no-new-folder "
                                "split writes into a new dated folder; or choose another folder."),
    "split-file-changed": ("没有覆盖 {file}：它在拆分过程中被改动了。请重新运行拆分（将写入新文件夹）。",
                           "{file} was not overwritten: it changed while split ran. Run split again (it will "
                           "write into a new folder)."),
    "split-cleaned": ("  删除了上次拆分生成、没有人改动过、这次不再需要的报送表 {n} 个。",
                      "  Removed {n} return(s) of an earlier split that nobody changed and this split no longer makes."),
    "split-dry-run": ("预览（没有写入任何文件）：将在 {folder} 中写入 {files} 个报送表，删除上次拆分生成且没有改动过的旧报送表 "
                      "{clean} 个。",
                      "Preview (nothing written): {files} return(s) would be written in {folder}; {clean} untouched "
                      "return(s) of an earlier split would be removed."),
    "split-dry-run-clean": ("  将删除：{file}", "  Would remove: {file}"),
    "split-dry-run-protect": ("  不动：{file}", "  Left alone: {file}"),
}

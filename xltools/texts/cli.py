"""Words of the command line.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # CLI words
    "cli-file": ("文件", "File"),
    "cli-row": ("行", "Row"),
    "cli-stages": ("分阶段时间", "Stages"),
    # inspect's 截止日期 column when there is no date: why, never a word that reads like a value
    "cli-due-missing-deadline": ("未填", "none"),
    "cli-due-needs-year": ("缺年份", "no year"),
    "cli-due-impossible-date": ("无效日期", "invalid"),
    "cli-due-unparseable": ("无法识别", "unreadable"),
    "cli-due-vague-deadline": ("无具体时间", "no time"),
    "cli-due-needs-issue-date": ("缺印发日期", "no issue"),
    "cli-due-seasonal-deadline": ("无固定日期", "no fixed day"),
    "cli-sheet": ("工作表", "Sheet"),
    "cli-district": ("区县", "District"),
    "cli-year": ("年度", "Year"),
    "cli-issued": ("印发日期", "Issued"),
    "cli-header-row": ("表头行", "Header row"),
    "cli-tasks": ("任务数", "Tasks"),
    "cli-unknown": ("未识别", "unknown"),
    "cli-summary": ("共检查 {files} 个文件、{tasks} 项任务：{errors} 个错误，{warnings} 个警告。",
                    "Checked {files} file(s), {tasks} task(s): {errors} error(s), {warnings} warning(s)."),
    "cli-summary-unreadable": ("另有 {n} 个文件无法读取，未检查。", " {n} more file(s) could not be read and were not "
                                                               "checked."),
    "cli-no-findings": ("未发现问题。", "No problems found. "),
    "cli-error": ("错误：{message}", "Error: {message}"),
    "cli-learn-none": ("所有单位名称都已在名录中。", "Every unit name is already in the registry."),
    "cli-learn-saved": ("单位名录已写入 {file}，其中新增 {count} 个单位，请核对“类别”和“简称或别名”后再使用。",
                        "Wrote the registry to {file} with {count} new unit(s); check 类别 and aliases before use."),
    "cli-learn-skipped": ("跳过：{reason}", "Skipped: {reason}"),
    "cli-learn-typo": ("“{name}”与名录中的“{known}”只差一个字，可能是写错了，没有作为新单位加入名录；确认它是另一个单位时加 --force。",
                       "'{name}' is one character away from the known unit '{known}': probably a typo, not added "
                       "as a new unit; add --force if it is another unit."),
    "cli-learn-typo-added": ("“{name}”与名录中的“{known}”只差一个字；按 --force 作为新单位加入了名录。",
                             "'{name}' is one character away from the known unit '{known}'; added as a new unit "
                             "(--force)."),
    "cli-learn-unit": ("单位名称", "Unit"), "cli-learn-count": ("次数", "Count"), "cli-learn-kind": ("类别", "Kind"),
    "cli-learn-alias": ("可能是简称", "Alias of"),
    "cli-learn-typo-mark": ("可能写错，未加入（见下）", "typo? not added (see below)"),
    "cli-units-edited": ("单位名录已保存：{file}（共 {count} 个单位；原文件已保存为旧版本，可用 xltools undo 恢复）。",
                         "Registry saved: {file} ({count} units; the previous file is kept as a version: xltools "
                         "undo puts it back)."),
    "cli-registry-saved-township": ("{township}属于{district}，街道、镇的任务表用所属区县的名录：已把{district}的单位名录"
                                    "（含街道、镇的内设机构）保存到 {file}（{count} 个单位），可在 Excel 中编辑。",
                                    "{township} is in {district}, and a 街道's or town's plans use their district's "
                                    "registry: {district}'s unit registry (with the offices of its 街道 and towns) saved "
                                    "to {file} ({count} units); edit it in Excel."),
    "cli-registry-saved": ("单位名录已保存到 {file}（{count} 个单位），可在 Excel 中编辑。",
                           "Unit registry saved to {file} ({count} units); edit it in Excel."),
    "severity-error": ("错误", "error"),
    "severity-warning": ("警告", "warning"),
    "severity-info": ("提示", "note"),
}

# Help screens: one text per command (key "help-" + the command path joined by "-").
TEXTS.update({
    "help-xltools": ("xltools：读取、校验、汇总区县任务分解表，并下发和收集进展。",
                     "xltools: read, check and merge district task-breakdown sheets, send them out and collect "
                     "progress."),
    "help-report": ("按汇总表 MASTER 的预警生成督办通报（Word）：汇总数字、各区县和各牵头单位的完成情况、逾期任务清单、"
                    "各区县任务状态图和页码。",
                    "Write the circular (Word) from the 预警 of master MASTER: the numbers, completion by district and "
                    "by lead unit, the overdue tasks, a chart of states per district, page numbers."),
    "help-remind": ("为汇总表 MASTER 中每个有逾期或临期任务的牵头单位生成一份催办单（Word）：单位名称、任务、完成时限、"
                    "逾期天数和反馈期限。",
                    "Write one reminder (Word) per lead unit with overdue or nearly due tasks. Each names the unit, "
                    "its tasks of master MASTER, deadlines, days overdue and the reply-by date."),
    "help-inspect": ("显示从 FILE 中读出的任务。", "Show the tasks read from FILE."),
    "help-validate": ("校验 FILES 中的单位名称和完成时限。有错误时退出码为 1，有文件无法读取时为 2。",
                      "Check the unit names and deadlines in FILES. Exit code 1 when there are errors, 2 when a "
                      "file cannot be read."),
    "help-units": ("单位名录：导出、学习、新增、改名、加别名、删除。",
                   "The unit registry: export, learn, add, rename, alias, remove."),
    "help-units-add": ("在单位名录 FILE（.xlsx 或 .csv；没有时从内置名录新建）中新增单位 NAME。原文件保存为旧版本，可撤销。",
                       "Add unit NAME to the registry FILE (.xlsx or .csv; made from the built-in list when "
                       "missing). The previous file is kept as a version: undo puts it back."),
    "help-units-rename": ("把单位名录 FILE 中的 NAME 改名为 NEW_NAME。原文件保存为旧版本，可撤销。",
                          "Rename NAME to NEW_NAME in the registry FILE. The previous file is kept as a version."),
    "help-units-alias": ("给单位名录 FILE 中的 NAME 加一个简称或别名 ALIAS。原文件保存为旧版本，可撤销。",
                         "Give NAME in the registry FILE the short name or alias ALIAS. The previous file is kept "
                         "as a version."),
    "help-units-remove": ("从单位名录 FILE 中删除 NAME。原文件保存为旧版本，可撤销。",
                          "Remove NAME from the registry FILE. The previous file is kept as a version."),
    "help-units-export": ("把单位名录写成可在 Excel 中编辑的 OUTPUT（.xlsx 或 .csv）。",
                          "Write the unit registry to OUTPUT (.xlsx or .csv), editable in Excel."),
    "help-units-learn": ("从已有任务表 FILES 中找出名录里没有的单位，提出名录条目建议。与名录中的单位只差一个字的名称"
                         "当作可能的笔误，不加入名录（确认是另一个单位时加 --force）。",
                         "Find the units in FILES that the registry lacks and propose registry entries. A name one "
                         "character away from a known unit is taken for a typo and not added (unless --force)."),
    "help-split": ("把汇总表 MASTER 按单位拆分为进展报送表（下发）。\n\n每个单位一个工作簿，含其牵头和配合的任务；"
                   "“各镇（街道）”“区政府各部门”等集体称谓的任务发给单位名录中该区县的每个成员。\n\n"
                   "从不覆盖单位交回、改动过的报送表或不是拆分生成的文件：这时写入新的日期子文件夹（--no-new-folder 则停止）；"
                   "--dry-run 只预览。",
                   "Split the master MASTER into progress returns. One workbook per unit with the tasks it leads "
                   "and supports; tasks of a collective unit (各镇（街道）, 区政府各部门) go to each of its members "
                   "in the registry.\n\nA return a unit changed, or any file split did not write, is never "
                   "overwritten: the returns then go into a new dated sub-folder (--no-new-folder refuses); "
                   "--dry-run only previews."),
    "help-collect": ("把各单位交回的进展报送表（文件或文件夹）写回汇总表（--into）。\n\n只采用各单位改动过的状态、进展情况、完成日期。"
                     "按任务编号对应，缺少任务编号时按区县、序号和具体要求对应；冲突、未能对应的行、无法识别的值和"
                     "被改动的任务内容列在“收集记录”中，退出码为 1。",
                     "Write the units' returns (files or folders) back into the master. Only the status, progress "
                     "and completion dates a unit changed. Rows are matched by task key, else by district, number "
                     "and requirement; conflicts, unmatched rows, unknown values and edited task texts are listed in "
                     "收集记录 and give exit code 1."),
    "help-merge": ("把各区县的任务分解表 INPUTS（文件或文件夹）合并为一个汇总表。\n\n"
                   "汇总表已存在时按任务编号重新合并：保留其中手工添加的列，以及在汇总表里填写、而各区县表中没有的"
                   "状态、进展情况、完成日期；“变更”工作表列出与上次合并相比新增、删除和修改的任务。\n\n"
                   "汇总表已存在时，会删除超过 5 项或一成任务、或有人填写过的任务的合并在写入前停止并列出这些任务，"
                   "确认后加 --replace 再运行；--dry-run 只预览变化。被替换的汇总表保存为旧版本（xltools undo 可恢复）。\n\n"
                   "退出码：0 成功；1 有任务被剔除或有文件无法读取；2 没有可合并的内容、汇总表被占用、输出文件不是汇总表或"
                   "合并会删除较多任务而没有 --replace。",
                   "Merge the district task sheets INPUTS (files or folders) into one master workbook.\n\n"
                   "When the master exists it is re-merged by task key: columns added by hand are kept, and so are "
                   "status, progress and completion dates typed into the master that the district files lack; the "
                   "变更 sheet lists the tasks added, removed and changed since the previous merge.\n\n"
                   "A re-merge that would remove more than 5 tasks or a tenth of them, or any task people filled "
                   "in, stops before writing and lists them: run again with --replace once checked; --dry-run only "
                   "shows the changes. The master replaced is kept as a version (xltools undo puts it back).\n\n"
                   "Exit codes: 0 success; 1 tasks rejected or files unreadable; 2 nothing to merge, the master is "
                   "in use, the output is not a master, or the merge would remove many tasks without --replace."),
    "help-flag": ("在任务表 FILE 中加上“截止日期”和“预警”两列及颜色标记（原地修改，先备份原文件；可重复运行）。",
                  "Add the 截止日期 and 预警 columns and colours to the task sheet FILE (in place, after a backup; "
                  "safe to run again)."),
    "help-new-plan": ("生成新年度的任务分解表（带下拉列表和填表说明）；用 --from 沿用上一年度的任务，"
                      "完成时限中的年份顺延到新年度，状态和进展清空。已有的文件只在加 --force 时替换（原文件保存为旧版本）。",
                      "Create the task sheet of a new year (with drop-downs and instructions); --from carries last "
                      "year's tasks over, moving the years of their deadlines on and clearing status and progress. "
                      "An existing file is replaced only with --force (kept as a version)."),
    "help-addin": ("Excel 加载项（任务工具选项卡）：生成、安装。", "The Excel add-in (任务工具 tab): build, install."),
    "help-addin-build": ("用已安装的 xlwings 自带的加载项模板生成 xltools.xlam（含“任务工具”选项卡）。",
                         "Build xltools.xlam (with the 任务工具 tab) from the add-in template of the installed "
                         "xlwings."),
    "help-addin-install": ("生成加载项并放到 Excel 启动时加载的文件夹，同时把本机 Python 写入加载项配置。安装后请重启 Excel。",
                           "Build the add-in, put it into Excel's start-up folder and write this computer's Python "
                           "into its configuration. Restart Excel afterwards."),
    # click's own words: the help screen frame
    "click-usage": ("用法：", "Usage: "),
    "click-options": ("选项", "Options"),
    "click-commands": ("命令", "Commands"),
    "click-options-metavar": ("[选项]", "[OPTIONS]"),
    "click-command-metavar": ("命令 [参数]...", "COMMAND [ARGS]..."),
    "click-help-option": ("显示本帮助并退出。", "Show this message and exit."),
    "click-version-option": ("显示版本号并退出。", "Show the version and exit."),
    "click-default": ("默认：", "default: "),
    "click-required": ("必填", "required"),
    # click's usage errors: one line each
    "click-error-line": ("错误：{message}运行“{command} --help”查看用法。",
                         "Error: {message} Run '{command} --help' for usage."),
    "click-no-such-option": ("没有 {name} 这个选项。", "There is no option {name}."),
    "click-no-such-command": ("没有 {name} 这个命令。", "There is no command {name}."),
    "click-did-you-mean": ("是不是要写 {names}？", "Did you mean {names}?"),
    "click-missing-argument": ("缺少参数 {name}。", "Missing argument {name}."),
    "click-missing-option": ("缺少选项 {name}。", "Missing option {name}."),
    "click-missing-command": ("缺少命令。", "Missing command."),
    "click-bad-value": ("{name} 的值无效：{reason}。", "Invalid value for {name}: {reason}."),
    "click-bad-value-plain": ("值无效：{reason}。", "Invalid value: {reason}."),
    "click-needs-value": ("选项 {name} 后面要写一个值。", "Option {name} needs a value."),
    "click-takes-no-value": ("选项 {name} 后面不能写值。", "Option {name} takes no value."),
    "click-extra-arguments": ("多余的参数：{args}。", "Unexpected extra argument(s): {args}."),
    "click-not-found": ("找不到“{file}”", "'{file}' does not exist"),
    "click-is-folder": ("“{file}”是文件夹，这里要的是文件", "'{file}' is a folder; a file is needed here"),
    "click-is-file": ("“{file}”是文件，这里要的是文件夹", "'{file}' is a file; a folder is needed here"),
    "click-not-readable": ("没有读取“{file}”的权限", "'{file}' is not readable"),
    "click-not-writable": ("没有写入“{file}”的权限", "'{file}' is not writable"),
    "click-not-choice": ("“{value}”不在可选值 {choices} 中", "'{value}' is not one of {choices}"),
    "click-not-number": ("“{value}”不是整数", "'{value}' is not a whole number"),
    "click-not-in-range": ("{value} 超出范围 {range}", "{value} is not in the range {range}"),
    # the column map in inspect / validate / merge
    "cli-columns-saved": ("已保存列对应：{file}（这个文件夹中的文件以后都按它读；删除它即恢复自动识别）",
                          "Column map saved: {file} (every file of this folder is read with it from now on; "
                          "delete it to let the reader find the columns again)"),
    "cli-save-columns-alone": ("--save-columns 要和 --columns 一起用，如 --columns \"具体措施=具体要求\" --save-columns。",
                               "--save-columns needs --columns, e.g. --columns \"具体措施=具体要求\" --save-columns."),
    "cli-columns-used": ("列对应：{n} 个文件按指定的列读取（{sources}）", "Column map: {n} file(s) read with the columns "
                         "given ({sources})"),
    "cli-form-export": ("这是在线收集表的导出：每行是一个单位的报送，填写单位即该行的单位；提交者、联系电话不作为单位。",
                        "An online form's export: each row is one unit's report, its unit the row's unit; the "
                        "submitter and the phone number are not units."),
})

"""Findings: code → (severity, (zh message, zh suggestion), (en message, en suggestion)).

One table says everything about a finding type; codes are stable kebab-case identifiers.
"""

FINDINGS: dict[str, tuple[str, tuple[str, str], tuple[str, str]]] = {
    "unknown-unit": ("error",
                     ("单位名称“{unit}”不在单位名录中。", "是否应为：{suggestions}？如确为新单位：{add}"),
                     ("Unit '{unit}' is not in the unit registry.",
                      "Did you mean: {suggestions}? If it is a new unit: {add}")),
    "unknown-unit-nosuggest": ("error",
                               ("单位名称“{unit}”不在单位名录中，也没有相近的名称。", "请核对单位全称；如确为本地单位：{add}"),
                               ("Unit '{unit}' is not in the registry and nothing close is.",
                                "Check the full name; if it is a local unit: {add}")),
    "unknown-unit-internal": ("info",
                              ("单位名称“{unit}”不在单位名录中；本表是“{issuer}”自己的计划，按其内设机构读取。",
                               "如需按单位核对和统计：{add}"),
                              ("Unit '{unit}' is not in the registry; this is {issuer}'s own plan, so it is read "
                               "as one of its own sections.", "To check and count it by name: {add}")),
    "missing-units": ("error", ("{task}没有填写责任单位。", "请填写牵头单位（及配合单位）。"),
                      ("{task} has no responsible unit.", "Fill in the lead (and supporting) units.")),
    "missing-deadline": ("error", ("{task}没有填写完成时限。", "请填写如“{year}年12月底前”或“长期坚持”。"),
                         ("{task} has no deadline.", "Write e.g. '{year}年12月底前' or '长期坚持'.")),
    "units-only-remark": ("error", ("{task}的责任单位只写了“{remark}”，没有单位名称，无法下发和催办。",
                                    "请写明单位名称（“同上”“下同”指别处的单位时，请照抄那些单位）。"),
                          ("{task} names no unit, only the remark '{remark}': it cannot be sent out or reminded.",
                           "Write the units' names (where '同上'/'下同' points elsewhere, copy those units).")),
    # a table without the column at all: one finding for the sheet, not one per task
    "no-units-column": ("error", ("本表没有责任单位列（表头中没有“责任单位”“牵头单位”等），{n} 项任务都没有责任单位。",
                                  "如有写单位的列，加 --columns \"表头=责任单位\" 指定；否则请在表中加一列责任单位。"),
                        ("The table has no responsible-unit column (no 责任单位/牵头单位 header): none of its {n} "
                         "tasks names a unit.", "If a column holds the units, name it with --columns \"header=责任单位\"; "
                         "otherwise add a 责任单位 column.")),
    "no-deadline-column": ("warning", ("本表没有完成时限列（表头中没有“完成时限”“时间节点”等），{n} 项任务都没有完成时限，无法判断是否逾期。",
                                       "如有写时限的列，加 --columns \"表头=完成时限\" 指定；否则可在表中加一列完成时限（如“{year}年12月底前”）。"),
                           ("The table has no deadline column (no 完成时限/时间节点 header): none of its {n} tasks has a "
                            "deadline, so overdue cannot be judged.", "If a column holds the deadlines, name it with "
                            "--columns \"header=完成时限\"; otherwise add a 完成时限 column (e.g. '{year}年12月底前').")),
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
    "seasonal-deadline": ("error", ("完成时限“{value}”是节令或学期的时间，没有固定日期（开学分春季和秋季，春季学期随春节而定），无法判断是否逾期。",
                                    "请写明截止日期，如“{year}年1月20日前”；每年都做的，可写“每年1月20日前”。"),
                          ("Deadline '{value}' names a season or a school term with no fixed day (开学 may be "
                           "either term; the spring term follows 春节), so overdue cannot be judged.",
                           "Write the due date, e.g. '{year}年1月20日前'; for every year, '每年1月20日前'.")),
    "seasonal-deadline-read": ("info", ("完成时限“{value}”按惯例读作 {due}（主汛期自6月1日、北方供暖自11月15日、国庆假期自10月1日、"
                                        "秋季学期自9月1日开始；春节按农历，取印发后的第一个春节）。", "本地日期不同的（如南方汛期自4月开始），请写明截止日期。"),
                               ("Deadline '{value}' is read by convention as {due} (the main flood season begins on "
                                "1 June, northern heating on 15 November, the National Day holiday on 1 October, the "
                                "autumn term on 1 September; 春节 by the lunar calendar, the first after the issue date).", "Where the local day differs (flood seasons in the south "
                                "begin in April), write the due date.")),
    "deadline-off-plan-year": ("warning", ("完成时限“{value}”是 {written} 年，与本计划年度 {year} 年相差太远，可能写错了年份。",
                                           "请核对年份，是否应为“{likely}”？"),
                               ("Deadline '{value}' is in {written}, far from the plan year {year}: probably a typo.",
                                "Check the year: should it read '{likely}'?")),
    # validate on a return: a problem of the plan's own cells, which the unit did not type
    "return-plan-problem": ("info", ("下发计划本身的问题（不是本单位填报的内容）：{problem}",
                                     "本单位无需在报送表中修改；如有疑问，请联系下发单位。"),
                            ("A problem of the plan as issued (not what this unit reported): {problem}",
                             "Nothing to change in this return; ask the office that sent it if in doubt.")),
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
    "empty-row": ("warning", ("第 {row} 行没有序号，也没有任务内容（没有具体要求、责任单位和完成时限）。",
                              "如是标题或说明行可不理会；如是任务，请补全序号和内容。"),
                  ("Row {row} has no number and no task content (no requirement, units or deadline).",
                   "Ignore it if it is a heading or a note; if it is a task, complete its number and content.")),
    "missing-requirement": ("warning", ("{task}没有具体要求（原表此处为空）。", "请补填具体要求。"),
                            ("{task} has no requirement text (empty in the source).",
                             "Fill in the requirement.")),
    "seq-gap": ("warning", ("序号不连续：缺少第 {missing} 项（原表中不存在）。", "请核对是否漏了任务，或重新编号。"),
                ("Numbering gap: task {missing} is missing from the source.",
                 "Check whether a task was lost, or renumber.")),
    "seq-duplicate": ("warning", ("序号 {seq} 重复出现（第 {first} 行和第 {row} 行）。", "请核对是否重复录入，或重新编号。"),
                      ("Number {seq} appears twice (rows {first} and {row}).",
                       "Check for a duplicate entry, or renumber.")),
    "missing-seq": ("warning", ("此行有任务内容但没有序号。", "请补填序号。"),
                    ("This row holds a task but no number.", "Fill in the number.")),
    "joined-split-row": ("info", ("第 {row} 行是{task}在分页处断开的后半部分，已合并读取。",
                                  "在原表中可把两行合为一行。"),
                         ("Row {row} is the second half of {task}, split at a page break; read as one.",
                          "Merge the two rows in the source.")),
    "same-as-above-none": ("error", ("{task}的{column}（{cell}单元格）写的是“{value}”，但本表中它上面没有哪一行填写了{column}，无法沿用。",
                                     "请在 {cell} 单元格直接写明{column}，不要写“同上”。"),
                           ("{task}: the {column} cell {cell} says '{value}' (same as above), but no row above it in "
                            "this sheet has a {column} to take.", "Write the {column} itself in cell {cell}, not '同上'.")),
    "example-row": ("info", ("第 {row} 行是模板中的示例行，未作为任务读取。", "填表前请删除示例行。"),
                    ("Row {row} is a template example row; not read as a task.", "Delete the example rows.")),
    "flag-kept-text": ("warning", ("{task}的“{column}”单元格填写的是“{value}”，不是 xltools 写入的，已原样保留，本行不显示预警。",
                                   "如需预警，请清空该单元格后再运行。"),
                       ("{task}: the {column} cell holds '{value}', which xltools did not write; kept as typed, so "
                        "this row shows no due status.", "To flag it, clear the cell and run again.")),
    "flag-kept-date": ("info", ("“截止日期”填写的是 {value}，与完成时限“{deadline}”得出的日期（{due}）不同，已保留；预警按 {value} 计算。",
                                "如需按完成时限计算，请清空该单元格后再运行。"),
                       ("截止日期 holds {value}, not the date the deadline '{deadline}' gives ({due}); kept, and "
                        "the due status uses {value}.", "To use the deadline's date instead, clear the cell and run again.")),
    "note-below-table": ("info", ("第 {row} 行在任务下方，只写了“{value}”，是说明文字，不作为任务读取。",
                                  "如是一项任务，请补填序号、具体要求、责任单位和完成时限。"),
                         ("Row {row}, below the tasks, only says '{value}': a note, not read as a task.",
                          "If it is a task, fill in its number, requirement, units and deadline.")),
    "repeated-header": ("info", ("第 {row} 行是分页重复的表头，已跳过。", "可删除此行。"),
                        ("Row {row} repeats the header (page break); skipped.", "The row can be deleted.")),
    "no-year": ("warning", ("无法确定计划年度（标题、文件名中都没有年份）。", "请在标题中写明年度，或运行时加 --year。"),
                ("The plan year could not be found (no year in the title or file name).",
                 "Put the year in the title, or pass --year.")),
    "text-plan": ("info", ("这是正文式计划：从“[责任单位：…]”中读出 {tasks} 项任务；正文没有写完成时限。",
                           "需要按时限跟踪时，请用任务分解表模板补填完成时限。"),
                  ("A plan written as text: {tasks} task(s) read from '[责任单位：…]'; the text gives no deadlines.",
                   "To track deadlines, fill them in with the task-table template.")),
    "sheet-hidden-read": ("info", ("工作表“{sheet}”是隐藏的，也已读取。",
                                   "如果隐藏表不应参与合并，请删除它，或合并时加 --skip-hidden。"),
                          ("Sheet '{sheet}' is hidden; it was read too.",
                           "If hidden sheets must not be merged, delete it or pass --skip-hidden.")),
    "sheet-hidden-skipped": ("info", ("工作表“{sheet}”是隐藏的，按 --skip-hidden 未读取。",
                                      "如果它应当参与合并，请取消隐藏，或不加 --skip-hidden。"),
                             ("Sheet '{sheet}' is hidden and was skipped (--skip-hidden).",
                              "Unhide it, or leave out --skip-hidden, if it should be merged.")),
    "stray-cells": ("warning", ("表格范围（{rows} 行、{cols} 列）之外很远处有 {count} 个单元格有内容（{cells}），已忽略。",
                                "如果这些内容不是误输入，请把它们移到表格中；否则在 Excel 中删除这些单元格。"),
                    ("{count} cell(s) far outside the table ({rows} rows, {cols} columns) hold values ({cells}); "
                     "ignored.", "If they are not stray keystrokes, move them into the table; else delete them.")),
    "sheet-skipped": ("info", ("工作表“{sheet}”中没有任务表，已跳过。", "如果它应当有任务，请检查表头。"),
                      ("Sheet '{sheet}' holds no task table; skipped.", "If it should, check its header row.")),
    "formula-text": ("warning", ("单元格内容以“{start}”开头，表格程序会把它当作公式：“{value}”。",
                                 "汇总时会按文本写入；如非有意，请删除开头的“{start}”。"),
                     ("The cell starts with '{start}', which a spreadsheet takes for a formula: '{value}'.",
                      "It will be written as text; remove the leading '{start}' if unintended.")),
    "district-unlisted": ("info", ("区县“{district}”不在全国县级行政区划名录中（按原写法使用）。",
                                   "请核对区县名称；如为新设区县，可忽略此提示。"),
                          ("District '{district}' is not in the national list of county-level divisions (used as "
                           "written).", "Check the name; ignore this note for a newly created district.")),
    "district-ambiguous": ("info", ("{cities}都有“{district}”，标题和文件名中没有写明是哪个市的。",
                                    "可在标题中写上市名，如“济南市{district}”。"),
                           ("'{district}' exists in several cities ({cities}); the title does not say which.",
                            "Put the city in the title.")),
    # merging: what the master and its summary say about files and rows
    "unreadable-file": ("error", ("文件无法读取：{reason}", "请按说明处理后重新合并。"),
                        ("The file cannot be read: {reason}", "Fix it as described and merge again.")),
    "unknown-district": ("warning", ("无法确定区县（标题、工作表名和文件名中都没有）。",
                                     "请在标题中写明所属地区：区县的表写区县名称（如“某某县2026年…”），乡镇、街道或村的表"
                                     "写它自己的名称（如“某某镇2026年…”）；区县的表也可在合并时加 --district 文件名=区县。"),
                         ("The district could not be found (not in the title, sheet name or file name).",
                          "Put the place in the title: a district's sheet its district, a township's, "
                          "sub-district's or village's sheet its own name (\"X镇2026年…\"); for a district's sheet "
                          "you may also pass --district FILE=DISTRICT when merging.")),
    "rejected-empty-row": ("warning", ("第 {row} 行没有序号，也没有任务内容，未汇总。", "如是任务，请在原表中补全后重新合并。"),
                           ("Row {row} has no number and no task content; not merged.",
                            "If it is a task, complete it in the source and merge again.")),
    "rejected-empty-task": ("error", ("第 {seq} 项只有序号，没有任务内容，未汇总。", "请在原表中补全该项任务或删除此行。"),
                            ("Task {seq} has only a number and no content; not merged.",
                             "Complete the task in the source or delete the row.")),
    "duplicate-task": ("warning", ("与 {other} 的任务内容相同（任务编号重复），已加后缀区分。", "请确认是否重复报送了同一文件。"),
                       ("Same task as {other} (duplicate key); a suffix was added.",
                        "Check whether the same file was sent twice.")),
    "duplicate-dropped": ("info", ("与 {other} 的任务相同，按 --dedupe 只保留那一份，这一份未汇总。",
                                   "如果两份确实不同，请不加 --dedupe 重新合并。"),
                          ("Same task as {other}; kept only that copy (--dedupe), this one is not merged.",
                           "If the two are really different tasks, merge again without --dedupe.")),
    "illegal-characters": ("warning", ("“{column}”中有 Excel 不允许的字符（{chars}），汇总表中已删除（垂直制表符、换页符改为换行）。",
                                       "请在原表中删去这些字符（多由复制粘贴或格式转换带入）。"),
                           ("'{column}' holds characters Excel does not allow ({chars}); removed in the master "
                            "(vertical tab and form feed became line breaks).",
                            "Delete these characters in the source (they usually come from copy-paste or "
                            "a format converter).")),
    "text-too-long": ("warning", ("“{column}”有 {units} 个字符（按 Excel 的算法），超过单元格上限 {limit}，汇总表中只保留前 "
                                 "{limit} 个；完整原文分 {parts} 段列在下面几行。", "请在原表中精简这段文字，或拆成几项任务。"),
                      ("'{column}' has {units} characters (as Excel counts), over the cell limit of {limit}; "
                       "the master keeps the first {limit}; the whole text follows in {parts} part(s) below.",
                       "Shorten the text in the source, or split the task.")),
    # the message is the part of the text itself
    "text-too-long-part": ("warning", ("{value}", "上一行所说原文的第 {n}/{parts} 段"),
                           ("{value}", "part {n} of {parts} of the text named above")),
    "lock-taken-over": ("info", ("上次写入的 xltools 操作（本机进程 {pid}）没有正常结束，留下了 {lock}；该进程已不存在，本次接管了它。",
                                 ""),
                        ("An earlier xltools run (process {pid} on this computer) did not finish and left {lock}; "
                         "that process is gone, so this run took the lock over.", "")),
    "lock-empty-taken-over": ("info", ("发现空的锁定文件 {lock}（没有写明进程，多为磁盘已满时留下），本次接管了它。", ""),
                              ("Found an empty lock file {lock} (it names no process; a full disk usually leaves "
                               "one), so this run took it over.", "")),
    # hyperlinks Excel cannot hold: the 来源文件 cell keeps its text
    "link-too-long": ("warning", ("来源文件的路径超过 Excel 超链接的上限（{limit} 个字符），“来源文件”单元格只保留文字，不能点击打开。",
                                  "请把文件放到路径较短的文件夹中，或缩短文件夹名和文件名后重新合并。"),
                      ("The source file's path is over Excel's hyperlink limit ({limit} characters); the source "
                       "file cell keeps the text without a link.",
                       "Move the file to a folder with a shorter path, or shorten the names, and merge again.")),
    "too-many-links": ("warning", ("“汇总”的来源文件超链接超过 Excel 每张工作表的上限（{limit} 个），第 {row} 行起的来源文件只保留文字。",
                                   "按区县分开合并，或把同一文件的任务放在一起。"),
                       ("'汇总' has more source-file links than Excel allows on a sheet ({limit}); from row {row} on, "
                        "the source file cells keep the text without a link.",
                        "Merge the districts separately, or keep each file's tasks together.")),
    "temp-removed": ("info", ("删除了被中断的写入留下的临时文件 {name}。", ""),
                     ("Removed {name}, left by an interrupted write.", "")),
    "file-misnamed": ("info", ("文件名是 {named}，内容却是 {kind} 格式，已按实际格式读取。", "可把文件改名为 {kind}，避免其他软件打不开。"),
                      ("The file is named {named} but its content is {kind}; read as {kind}.",
                       "Rename it to {kind} so that other programs open it.")),
    "not-refreshed": ("warning", ("本次无法读取此文件，汇总表中保留了它上次合并的 {rows} 项任务（连同其中填写的状态、进展等），"
                                  "未更新。原因：{reason}",
                                  "请修好或重新复制该文件后再合并，这些任务会随之更新；如该区县的任务确已取消，把文件移出"
                                  "合并的文件夹后再合并。"),
                      ("This file could not be read this time; its {rows} task(s) from the last merge are kept in the "
                       "master (with the status, progress … typed for them), not refreshed. Reason: {reason}",
                       "Fix or copy the file again and merge: the tasks are then refreshed. If the district's tasks "
                       "are really withdrawn, move its file out of the merged folder and merge again.")),
    # the column map (read/columns.py): a clerk's map used, and the reader's doubts
    "columns-given": ("info", ("本表的列按 {source} 读取：{items}。", "如不再需要，删除该文件（或不加 --columns）即恢复自动识别。"),
                      ("The columns of this sheet were read as {source} says: {items}.",
                       "Delete that file (or leave out --columns) to let the reader find the columns again.")),
    "columns-not-found": ("warning", ("--columns 中的“{item}”在本表中没有对应的列（本表的表头：{headers}）。",
                                      "请按表头原文或列号写，如 具体措施=具体要求 或 D=具体要求。"),
                          ("'{item}' of --columns names no column of this sheet (its headers: {headers}).",
                           "Write the header as it is written, or the column letter: 具体措施=具体要求 or D=具体要求.")),
    "columns-unsure-requirement": ("warning",
                                   ("{column} 列“{header}”读作具体要求，但 {total} 项中有 {n} 项只是数字或日期，可能读错了列。",
                                    "请用 xltools inspect 查看各列的读法；如读错了，加 --columns \"具体要求所在列的表头=具体要求\" "
                                    "指定（加 --save-columns 保存，整个文件夹都按它读）。"),
                                   ("Column {column} '{header}' is read as the requirement, but {n} of {total} are "
                                    "only numbers or dates: the column may be the wrong one.",
                                    "Check with xltools inspect; if wrong, pass --columns \"HEADER=具体要求\" (and "
                                    "--save-columns to keep it for the folder).")),
    "columns-unsure-units": ("warning",
                             ("{column} 列“{header}”读作{field}，但 {total} 项中有 {n} 项像是句子、数字或日期，不像单位名称，"
                              "可能读错了列。",
                              "请用 xltools inspect 查看各列的读法；如读错了，加 --columns \"单位所在列的表头={field}\" 指定"
                              "（加 --save-columns 保存）。"),
                             ("Column {column} '{header}' is read as {field}, but {n} of {total} look like sentences, "
                              "numbers or dates, not unit names: the column may be the wrong one.",
                              "Check with xltools inspect; if wrong, pass --columns \"HEADER={field}\" (and "
                              "--save-columns to keep it).")),
    "columns-unsure-no-units": ("warning",
                                ("{total} 项中有 {n} 项在 {column} 列“{header}”（读作{field}）中没有单位，可能读错了列。",
                                 "请用 xltools inspect 查看各列的读法；如单位在别的列，加 --columns \"该列表头=牵头单位\" "
                                 "指定（加 --save-columns 保存）。"),
                                ("{n} of {total} tasks have no unit in column {column} '{header}' (read as {field}): "
                                 "the column may be the wrong one.",
                                 "Check with xltools inspect; if the units are in another column, pass --columns "
                                 "\"HEADER=牵头单位\" (and --save-columns to keep it).")),
    "columns-unsure-requirement-missing": ("warning",
                                           ("没有找到具体要求列，但没有读取的 {column} 列“{header}”在 {total} 项中有 {n} 项"
                                            "写了成段的文字。",
                                            "如这一列就是具体要求，加 --columns \"{header}=具体要求\"（或 {column}=具体要求）"
                                            "指定（加 --save-columns 保存）。"),
                                           ("No requirement column was found, but column {column} '{header}', not "
                                            "read, holds text in {n} of {total} tasks.",
                                            "If it is the requirement, pass --columns \"{header}=具体要求\" (or "
                                            "{column}=具体要求) and --save-columns to keep it.")),
    "columns-unsure-units-missing": ("warning",
                                     ("没有找到责任单位（或牵头单位）列，但没有读取的 {column} 列“{header}”在 {total} 项中有 {n} 项"
                                      "写的像是单位名称。",
                                      "如这一列是牵头单位（或责任单位），加 --columns \"{header}=牵头单位\"（或 "
                                      "{column}=牵头单位）指定（加 --save-columns 保存）。"),
                                     ("No unit (or lead unit) column was found, but column {column} '{header}', not read, names "
                                      "units in {n} of {total} tasks.",
                                      "If it holds the lead units, pass --columns \"{header}=牵头单位\" (or "
                                      "{column}=牵头单位) and --save-columns to keep it.")),
    "columns-unsure-deadline": ("warning",
                                ("没有找到完成时限列，但 {column} 列“{header}”在 {total} 项中有 {n} 项是日期或时限。",
                                 "如这一列就是完成时限，加 --columns \"{header}=完成时限\"（或 {column}=完成时限）指定"
                                 "（加 --save-columns 保存）。"),
                                ("No deadline column was found, but column {column} '{header}' holds dates or "
                                 "deadlines in {n} of {total} tasks.",
                                 "If it is the deadline, pass --columns \"{header}=完成时限\" (or {column}=完成时限) "
                                 "and --save-columns to keep it.")),
    "columns-unread-no-header": ("warning",
                                 ("{column} 列没有表头，其中 {n} 项任务写了内容（如“{example}”），未读取，也不会进入汇总表。",
                                  "请给这一列加上表头后重新读取：表头是常用写法时按它读，否则作为本表自己的列原样保留在汇总表中；"
                                  "也可加 --columns \"{column}=字段名\" 指定。"),
                                 ("Column {column} has no header; {n} tasks have text in it (e.g. '{example}'), which "
                                  "is not read and does not reach the master.",
                                  "Give the column a header and read the file again: a usual header is read as its "
                                  "field, any other is kept in the master as the sheet's own column; or pass "
                                  "--columns \"{column}=<field>\".")),
    # collect: what the units typed into their returns ({task} names the task: district, 序号, first words)
    "collect-impossible-date": ("error", ("完成日期“{value}”不是有效日期（{what}），不写入汇总表。",
                                          "请改为实际完成的日期，如“{example}”。"),
                                ("Completion date '{value}' is not a valid date ({what}); not written to the master.",
                                 "Type the day it was completed, e.g. {example}.")),
    "collect-not-a-date": ("error", ("完成日期单元格中是文字“{value}”，不是日期，不写入汇总表。",
                                     "完成日期只填日期（如“{example}”），进展写在“进展情况”中。"),
                           ("The completion date cell holds text, '{value}', not a date; not written to the master.",
                            "Type only a date there (e.g. {example}); progress goes in 进展情况.")),
    "return-of": ("info", ("这是“{unit}”的报送表，从“{name}”拆分下发，是 {years} 年度的任务。",
                           "请确认填写的是这一年度的进展；如果不是本次下发的报送表，请向汇总单位索取本次的报送表重新填写。"),
                  ("This is {unit}'s return, split from '{name}': tasks of {years}.",
                   "Check that the progress you filled in is of that year; if this is not the form sent this time, ask "
                   "the office for it and fill that in.")),
    "collect-date-no-year": ("error", ("完成日期“{value}”没有写年份，计划年度内到报送之日为止没有这一天，不写入汇总表。",
                                      "请写完整的完成日期，如“{example}”。"),
                             ("Completion date '{value}' has no year, and the plan year holds no such day up to the "
                              "report; not written.", "Type the whole completion date, e.g. {example}.")),
    "collect-date-year-added": ("info", ("完成日期“{value}”没有写年份，按计划年度内的 {day} 写入。",
                                         "以后请写完整日期，如“{day}”。"),
                                ("Completion date '{value}' has no year: written as {day}, in the plan year.",
                                 "Type the whole date next time, e.g. {day}.")),
    "collect-done-without-date": ("error", ("状态填了“{value}”，但没有有效的完成日期：状态不写入汇总表。",
                                            "请同时填写完成日期后再报送。"),
                                  ("Status '{value}' without a valid completion date: the status is not written to the master.",
                                   "Fill in the completion date as well and send the return again.")),
    "collect-unknown-status": ("error", ("状态“{value}”不是可选的写法，不写入汇总表。{guess}",
                                         "请从下拉列表中选择：{choices}。"),
                               ("Status '{value}' is not one of the choices; not written.{guess}",
                                "Choose one of: {choices}.")),
    "collect-status-mapped": ("info", ("状态“{value}”按“{status}”处理。", "以后可直接从下拉列表中选择。"),
                              ("Status '{value}' is read as '{status}'.", "Choose from the drop-down next time.")),
    "own-column-hidden": ("info", ("“{column}”在原表中是隐藏列：汇总表中照样隐藏，拆分下发时不发给各单位。",
                                   "如这一列可以给各单位看，请在汇总表中取消隐藏。"),
                          ("'{column}' is a hidden column in this sheet: it stays hidden in the master and is "
                           "never sent to the units by split.", "If the units may see it, unhide it in the master.")),
    "collect-older-report": ("warning", ("“{unit}”这份报送表的报送日期（{theirs}）早于汇总表中已收集的该单位报送（{ours}），"
                                         "其中的内容（{said}）不写入汇总表，以免用旧的报送覆盖新的。",
                                         "如确需以这份为准，请让该单位在报送表中填写当天的报送日期后重新报送，或在汇总表中直接修改。"),
                             ("The return of {unit} is dated {theirs}, before the report from it the master already "
                              "has ({ours}): what it says ({said}) is not written, so an old report does not overwrite "
                              "a newer one.", "If this one should count, ask the unit to put today's date as its report "
                              "date and send it again, or change the master directly.")),
    "collect-date-held": ("error", ("完成日期“{value}”与状态“{status}”一起报送，状态未写入，完成日期也不写入汇总表（同一行的进展情况照常写入）。",
                                    "请按上一条提示改正状态后重新报送。"),
                          ("Completion date '{value}' came with status '{status}', which was not written: the "
                           "date is not written either (the row's progress still is).",
                           "Correct the status as the line above says and send the return again.")),
    "collect-leads-done-partly": ("info", ("{total}个牵头单位中{n}个已报完成（{done}）：待{waiting}也报完成后，状态才改为"
                                           "已完成、完成日期取各单位中最晚的；已报的完成情况记在收集记录中。", ""),
                                  ("{n} of the {total} lead units reported the task complete ({done}): the status "
                                   "becomes complete, with the latest of their dates, once it is reported complete "
                                   "by {waiting} as well; what was reported is kept in the collection log.", "")),
    "collect-support-done": ("info", ("“{unit}”是配合单位，报送的“{value}”记在收集记录中；任务是否完成以牵头单位（{leads}）的报送为准，"
                                      "状态和完成日期不写入汇总表。", ""),
                             ("{unit} supports this task; its '{value}' is kept in the collection log. Whether the "
                              "task is complete is the lead units' ({leads}) to report: the status and date are not "
                              "written.", "")),
    "collect-merged-cells": ("error", ("{range} 是合并单元格，“{column}”中的内容无法确定属于哪一格，不写入汇总表。",
                                       "请取消合并，把进展写在“进展情况”、日期写在“完成日期”中，再报送。"),
                             ("{range} is a merged cell: what '{column}' holds cannot be told apart; not written.",
                              "Unmerge the cells, put progress in 进展情况 and the date in 完成日期, and send again.")),
    "collect-own-column": ("warning", ("报送表中添加的列“{column}”中填写了“{value}”，汇总表没有这一列，不写入汇总表，记在收集记录中。",
                                       "需要时请把它抄到汇总表中；进展请写在“进展情况”中。"),
                           ("The return's added column '{column}' holds '{value}'; the master has no such column: "
                            "not written, kept in the collection log.",
                            "Copy it into the master if needed; progress goes in 进展情况.")),
    "collect-reference-changed": ("warning", ("“{column}”是下发时供参考的内容，报送表中改为{now}（下发时为{was}），"
                                              "不写入汇总表，记在收集记录中。",
                                              "需要时请核对后在汇总表中修改；进展请写在“进展情况”中。"),
                                  ("'{column}' was sent for reference; the return changed it to {now} (sent as "
                                   "{was}): not written, kept in the collection log.",
                                   "Check it and change the master if needed; progress goes in 进展情况.")),
    "collect-rows-moved": ("info", ("报送表中的任务行与下发时的顺序不同（插入、删除或调整了行），已按任务编号逐项对应。", ""),
                           ("The task rows are not in the order they were sent (rows inserted, deleted or sorted); "
                            "matched task by task by key.", "")),
    "collect-matched-by-text": ("info", ("任务编号缺失或无法识别（{value}），按区县、序号和具体要求对应，相似度 {score}%。", ""),
                                ("Task key missing or not known ({value}): matched by district, number and "
                                 "requirement, {score}% similar.", "")),
    "collect-unknown-key": ("warning", ("任务编号“{value}”不在下发的任务中，{reason}", "请核对该行是否为本单位的任务。"),
                            ("Task key '{value}' was not sent out; {reason}", "Check whether the row is one of yours.")),
    "collect-missing-key": ("warning", ("此行没有任务编号，{reason}", "请核对该行是否为本单位的任务。"),
                            ("This row has no task key; {reason}", "Check whether the row is one of yours.")),
    "collect-text-edited": ("warning", ("报送表中把“{column}”改成了“{value}”（汇总表中为“{old}”），不采用。",
                                        "任务内容以汇总表为准；单位如在其中提出调整（如申请延期），请与其联系后在汇总表中修改。"),
                            ("The return changed '{column}' to '{value}' (the master has '{old}'); not taken.",
                             "The master's task text stands; if the unit asks for a change (a later deadline), "
                             "talk to it and change the master.")),
    "collect-conflict": ("warning", ("“{unit}”报送的“{said}”与其他单位不一致：这项任务各单位的报送都不写入汇总表。",
                                     "请各单位核实后重新报送，或在汇总表中直接填写正确的值。"),
                         ("{unit} reported '{said}', which differs from another unit: none of this task's reports "
                          "is written.", "Ask the units to agree and report again, or type the right value into "
                                          "the master.")),
    "collect-conflict-lead": ("info", ("“{unit}”（牵头单位）报送的“{said}”与其他单位不一致，已采用。", ""),
                              ("{unit} (lead unit) reported '{said}', which differs from another unit; taken.", "")),
    "collect-conflict-overruled": ("warning", ("“{unit}”报送的“{said}”与牵头单位不一致，已采用牵头单位的报送。",
                                               "如牵头单位的报送有误，请在汇总表中直接填写正确的值。"),
                                   ("{unit} reported '{said}', which differs from the lead unit; the lead's report "
                                    "was taken.", "If the lead unit is wrong, type the right value into the master.")),
    "collect-not-a-return": ("error", ("不是报送表：“{sheet}”工作表不是拆分下发的“进展报送”，文件中也没有“下发底稿”，整份未收集；如要把区县的任务表并入汇总表，请用 xltools merge。",
                                       "收集的应是 xltools split 下发、各单位填写后交回的报送表。"),
                             ("Not a return: sheet '{sheet}' is not the 进展报送 sheet split sends, and the file has "
                              "no 下发底稿: not collected; to bring a district's task sheet into the master, use xltools "
                              "merge.", "Collect takes the returns split sent and the units filled in.")),
    "collect-other-master": ("error", ("这份报送表是从另一份汇总表“{theirs}”拆分下发的，不是“{ours}”的：整份未收集。",
                                       "请把它收集到“{theirs}”中，或用“{ours}”重新拆分下发。"),
                             ("This return was split from another master, '{theirs}', not from '{ours}': not collected.",
                              "Collect it into '{theirs}', or split '{ours}' and send it again.")),
    "collect-other-year": ("error", ("“{unit}”交回的是 {theirs} 年度的报送表（从“{name}”拆分），汇总表“{ours_name}”是 {ours} 年度的：整份未收集。",
                                     "如果填的是 {ours} 年度的进展，请让该单位在本次下发的 {ours} 年度报送表中重新填写后交回；"
                                     "确是 {theirs} 年度的进展，才收集到 {theirs} 年度的汇总表中。"),
                           ("{unit} returned a form of {theirs} (split from '{name}'); the master '{ours_name}' is for "
                            "{ours}: not collected.", "If it reports {ours} progress, ask the unit to fill in the {ours} "
                            "form sent this time and return it; collect it into the {theirs} master only if it reports "
                            "{theirs} progress.")),
    "collect-log-long": ("warning", ("“收集记录”已有 {rows} 行，超过一次能读取的 {limit} 行：本次的记录照常写入，但没有与已有的"
                                     "记录比对，可能有与以前相同的行。",
                                     "较早的记录随本次收集移入汇总表旁的存档（“收集记录”第 2 行写明文件名），以后的记录照常比对；"
                                     "没有移出时（见同一次输出中的原因），按原因处理后再收集一次。"),
                         ("收集记录 already holds {rows} lines, more than the {limit} a sheet may be read with: this "
                          "collection's lines were written but not compared with the earlier ones, so some may repeat.",
                          "The older lines move with this collection into the archive beside the master (row 2 "
                          "of 收集记录 names it) and later lines are compared again; if they did not move (the reason "
                          "is in the same output), deal with it and collect again.")),
    "collect-archive-failed": ("error", ("“收集记录”已有 {rows} 行，较早的 {lines} 行本应移至“{archive}”，但这个文件无法写入，"
                                         "这些行仍留在汇总表中，一行也没有丢失；本次收集照常写入。无法写入的原因：{reason}",
                                         "请关闭已打开的“{archive}”，确认汇总表所在文件夹可以写入、其中没有同名的文件夹；"
                                         "下次收集时会再移出这些行。"),
                               ("收集记录 holds {rows} lines; the {lines} oldest should have moved to '{archive}', but "
                                "that file cannot be written: they stay in the master, none lost; this collection was "
                                "written as usual. Why it cannot be written: {reason}",
                                "Close '{archive}' if it is open, make sure the master's folder can be written and holds "
                                "no folder of that name: the next collection moves the lines.")),
    "collect-unreadable": ("error", ("报送表无法读取：{reason}", "请按说明处理后重新收集。"),
                           ("The return cannot be read: {reason}", "Fix it as described and collect again.")),
    # what a save through openpyxl could not carry (write/drawings.py): the kept version still holds it
    "drawing-not-kept": ("warning", ("工作表“{sheet}”中有 {count} 个图形（图片、图表或形状）未能保留在保存后的文件中。",
                                     "保存前的文件已作为旧版本保留，其中仍有它们：xltools history {file} 可查看，"
                                     "xltools undo {file} 可恢复，或从旧版本中复制回来。"),
                         ("{count} drawn object(s) (pictures, charts or shapes) on sheet '{sheet}' could not be kept in the "
                          "saved file.",
                          "The file as it was before is kept as a version and still holds them: xltools history "
                          "{file} lists it, xltools undo {file} puts it back, or copy them from it.")),
    "drawing-unreadable": ("warning", ("工作表“{sheet}”中的图形（文本框、形状、图片）无法读取，未能保留在保存后的文件中。",
                                       "保存前的文件已作为旧版本保留，其中仍有它们：xltools history {file} 可查看，"
                                       "xltools undo {file} 可恢复，或从旧版本中复制回来。"),
                           ("The drawing (text boxes, shapes, pictures) on sheet '{sheet}' could not be read and "
                            "was not kept in the saved file.", "The file as it was before is kept as a version and "
                            "still holds it: xltools history {file} lists it, xltools undo {file} puts it back, or "
                            "copy it from it.")),
}

# What is wrong with an impossible date, filled into impossible-date's {what}.
TEXTS: dict[str, tuple[str, str]] = {
    # a value of a reference column (collect-reference-changed), or none
    "reference-value": ("“{value}”", "'{value}'"),
    "reference-blank": ("空白", "blank"),
    "what-out-of-range": ("日期超出范围", "date out of range"),
    "what-range-reversed": ("起始{start}晚于结束{end}", "{start} is after {end}"),
    "what-stages-order": ("各阶段时间先后颠倒", "the stages are out of order"),
    # which task a finding is about: its number, or its row where it has none
    "task-seq": ("第 {seq} 项", "Task {seq}"),
    "task-row": ("第 {row} 行的任务", "The task in row {row}"),
    # a label and what it labels, with each language's colon (never "Suggestion：")
    "labelled": ("{label}：{text}", "{label}: {text}"),
    # how to add an unknown unit (a county's towns, villages, own bodies) to the registry: the
    # unknown-unit findings' {add}; from a file, by command or the local page; in Excel, by the button
    "unit-add-learn": ("运行 xltools units learn \"{file}\" -o 单位名录.xlsx 把它加入名录，之后命令加 --registry 单位名录.xlsx"
                       "（或在本地页面“单位名录”中“从文件学习新单位”）。",
                       "run xltools units learn \"{file}\" -o 单位名录.xlsx to add it, then give commands "
                       "--registry 单位名录.xlsx (or on the local page, Units › Learn from files)."),
    "unit-add-button": ("点“单位名录”按钮，把它加入名录。", "add it with the Unit registry button."),
}

"""The circular (督办通报) and the reminders (催办单).  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # the states' names (state-…) are those of texts/merge.py: one set of words for every output
    # the circular
    # a plan's name, as the title and the sentences of both documents say it
    "rp-title": ("关于{plan}落实情况的通报", "Circular on the progress of {plan}"),
    "rp-as-of": ("（截至{date}）", "(as of {date})"),
    "rp-plan-titled": ("{title}", "the plan '{title}'"),
    "rp-plan-place": ("{year}年{district}", "{district} ({year})"),
    "rp-plan-of": ("{districts}工作任务", "the work plan of {districts}"),
    "rp-plans-of": ("{districts}工作任务", "the work plans of {districts}"),
    "rp-plan-city": ("{city}", " of {city}"),
    "rp-plan-general": ("{place}{years}年度重点工作任务", "the {years} key work plan{place}"),
    "rp-plan-general-span": ("{place}{years}年度重点工作任务", "the {years} key work plans{place}"),
    "rp-plan-general-no-year": ("{place}重点工作任务", "the key work plan{place}"),
    "rp-years": ("{first}—{last}", "{first}–{last}"),
    "rp-summary": ("截至{date}，{plan}共{total}项任务，已完成{done}项，正在推进{progress}项（其中正常{ok}项、临期{soon}项、"
                   "持续推进{ongoing}项），逾期{overdue}项，无法判断{unknown}项（完成时限不明确，无法判断是否逾期），"
                   "完成率{rate}。",
                   "As of {date}, there are {total} tasks in {plan}: {done} done, {progress} in progress ({ok} on "
                   "track, {soon} due soon, {ongoing} ongoing), {overdue} overdue and {unknown} that cannot be "
                   "judged (no clear deadline). Completion rate: {rate}."),
    "rp-soon-rule": ("“临期”指{days}天内（含当天）到期；持续性任务（长期坚持、每月、每季度等）计入“持续推进”，不判为逾期。",
                     "'Due soon' means due within {days} days (today included); ongoing and recurring tasks count as "
                     "'ongoing' and are never overdue."),
    "rp-h-district": ("一、各{level}任务完成情况", "1. Tasks by {level}"),
    # what the rows of the first table are (report.area_level): the heading's word, the column's
    "rp-level-county": ("区县", "district"), "rp-col-county": ("区县", "District"),
    "rp-level-area": ("地区", "area"), "rp-col-area": ("地区", "Area"),
    "rp-level-body": ("单位", "office"), "rp-col-body": ("单位", "Office"),
    "rp-h-unit": ("二、各牵头单位任务完成情况", "2. Tasks by lead unit"),
    "rp-unit-note": ("一项任务有多个牵头单位的，分别计入各单位；没有牵头单位的任务计入“未明确牵头单位”。",
                     "A task with several lead units counts for each of them; tasks without a lead unit count under "
                     "'No lead unit'."),
    "rp-h-overdue": ("三、逾期任务清单", "3. Overdue tasks"),
    "rp-no-overdue": ("截至{date}，没有逾期任务。", "As of {date}, no task is overdue."),
    "rp-h-chart": ("四、各{level}任务状态图", "4. Task states by {level}"),
    "rp-no-font": ("本机未找到可显示中文的字体，未生成图表（安装中文字体，如 fonts-noto-cjk，后重新生成即可）。",
                   "No font able to show Chinese was found on this computer, so the chart is left out (install a "
                   "Chinese font such as fonts-noto-cjk and generate again)."),
    "rp-chart-y": ("任务数", "Tasks"),
    "rp-col-district": ("区县", "District"), "rp-col-unit": ("牵头单位", "Lead unit"),
    "rp-col-total": ("任务数", "Tasks"), "rp-col-rate": ("完成率", "% done"),
    "rp-col-seq": ("序号", "No."), "rp-col-task": ("工作任务", "Task"), "rp-col-deadline": ("完成时限", "Deadline"),
    "rp-col-due": ("截止日期", "Due date"), "rp-col-days": ("逾期天数", "Days overdue"),
    "rp-col-state": ("预警", "Due status"), "rp-col-days-left": ("剩余天数", "Days left"),
    "rp-col-reply": ("反馈期限", "Reply by"), "rp-col-key": ("任务编号", "Task key"),
    "rp-col-refused": ("未采纳的报送", "Reports not taken"),
    "rp-total-row": ("合计", "Total"),
    "rp-unit-in": ("{unit}（{district}）", "{unit} ({district})"),
    "rp-no-lead": ("未明确牵头单位", "No lead unit"),
    "rp-no-district": ("未识别区县", "District unknown"),
    "rp-date": ("{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}"),
    "rp-rate": ("{rate:.1f}%", "{rate:.1f}%"),
    # the reminders
    "rm-title": ("催办单", "Reminder"),
    "rm-to": ("{unit}：", "To {unit}:"),
    "rm-body": ("截至{date}，你单位牵头的{plan}中，逾期{overdue}项、临期（{days}天内到期）{soon}项，具体如下：",
                "As of {date}, the tasks of {plan} that your unit leads include {overdue} overdue and {soon} due "
                "within {days} days, listed below:"),
    "rm-reply": ("请抓紧推进，于{date}前将办理进展（已完成的附完成情况说明）反馈督查部门。",
                 "Please press ahead and report progress (for finished tasks, how they were completed) by {date}."),
    "rm-district": ("（{district}）", "({district})"),
    "rm-refused-head": ("你单位此前报送的以下内容未被采纳，请按说明改正后重新报送：",
                        "What your office reported on these tasks was not taken; please correct it as said and "
                        "send it again:"),
    "rm-refused-task": ("第{seq}项：{text}", "No. {seq}: {text}"),
    "rm-refused": ("你单位报送的“{value}”未被采纳：{reason}", "Your report '{value}' was not taken: {reason}"),
    # … why, quoted from 收集记录 as recorded, in the log's language (not the letter's)
    "rm-refused-quoted": ("你单位报送的“{value}”未被采纳，原因（收集记录原文）：{reason}",
                          "Your report '{value}' was not taken; the reason, as recorded in the office's collection "
                          "log (in Chinese): {reason}"),
    "rm-refused-where": ("（报送表“{where}”）", " (return: {where})"),
    "rm-file": ("催办单-{name}", "reminder-{name}"),
    # errors and the command line
    "rp-empty": ("{file} 的“汇总”工作表中没有任务，无法生成通报或催办单。",
                 "The 汇总 sheet of {file} holds no task: nothing to report."),
    "rp-bad-output": ("通报应保存为 .docx 文件：{file}", "The circular must be saved as a .docx file: {file}"),
    "cli-report-done": ("已生成通报 {file}：共 {total} 项任务，已完成 {done} 项，正在推进 {progress} 项，逾期 {overdue} 项，"
                        "无法判断 {unknown} 项（截至 {date}）。",
                        "Wrote the circular {file}: {total} tasks, {done} done, {progress} in progress, {overdue} "
                        "overdue, {unknown} cannot be judged (as of {date})."),
    "cli-report-no-chart": ("  注意：本机没有中文字体，通报中未生成图表。", "  Note: no Chinese font here, the circular has no chart."),
    "cli-remind-done": ("已生成 {files} 份催办单，保存在 {folder}（截至 {date}，反馈期限 {reply}）。",
                        "Wrote {files} reminder(s) in {folder} (as of {date}, reply by {reply})."),
    "cli-remind-line": ("  {unit}：逾期 {overdue} 项，临期 {soon} 项 → {file}",
                        "  {unit}: {overdue} overdue, {soon} due soon → {file}"),
    "cli-remind-unreached": ("  未发催办单：{place}“{unit}”是集体称谓，单位名录中没有它的成员单位。请在汇总表中写明牵头单位，"
                             "或在单位名录中补充该区县相应的街道、镇或部门（各科室、各专班等内设机构不在名录中）。",
                             "  No reminder: '{unit}'{place} is a collective and the registry lists none of its "
                             "members. Name the lead unit in the master, or add the district's streets, towns or "
                             "departments to the registry (sections such as 各科室 are not listed there)."),
    "cli-remind-doubtful": ("  注意：{place}“{unit}”不在单位名录中，是否应为“{suggestion}”？催办单（{file}）按原样写给它；"
                            "如是笔误，请在原表中改正后重新合并。",
                            "  Note: {unit}{place} is not in the registry: did the sheet mean {suggestion}? The "
                            "reminder ({file}) is addressed to it as written; if it is a typo, correct it in the "
                            "district's sheet and merge again."),
    "cli-remind-only-unreached": ("截至 {date}，逾期或临期任务的牵头单位都是集体称谓，未生成催办单。",
                                  "As of {date}, the overdue or nearly due tasks are all led by collectives: no "
                                  "reminder written."),
    "cli-remind-refused": ("    其中 {n} 项写明了该单位报送而未被采纳的内容及原因（见收集记录）",
                           "    {n} of them say what the unit reported that was not taken, and why (see the collection log)"),
    "cli-remind-sheet": ("  已在汇总表中写入“{sheet}”工作表。", "  Wrote the {sheet} sheet into the master."),
    "cli-remind-none": ("截至 {date}，没有逾期或临期的任务，未生成催办单。", "As of {date}, no task is overdue or due soon: no reminder written."),
    # the ribbon
    "group-report": ("督办", "Follow-up"),
    "cmd-report": ("生成通报", "Write circular"),
    "cmd-report-tip": ("按本汇总表的预警生成督办通报（Word）：汇总数字、各区县和各牵头单位情况、逾期任务清单和图表。",
                       "Write the progress circular (Word, in Chinese for the offices it goes to) from this master's "
                       "due status: totals, tables by district and lead unit, the overdue list and a chart."),
    "cmd-remind": ("生成催办单", "Write reminders"),
    "cmd-remind-tip": ("为每个有逾期或临期任务的牵头单位生成一份催办单（Word），并在本表中加上“催办”工作表。",
                       "Write one reminder (Word, in Chinese for the units) per lead unit with overdue or nearly due "
                       "tasks, and a 催办 sheet in this workbook."),
    "report-name": ("{name}_督办通报.docx", "{name} circular.docx"),
    "remind-folder": ("{name}_催办单", "{name} reminders"),
    "report-done": ("已生成通报：{file}\n截至{date}，共 {total} 项任务，已完成 {done} 项，正在推进 {progress} 项，逾期 {overdue} 项，"
                    "无法判断 {unknown} 项。",
                    "Wrote the circular: {file}\nAs of {date}: {total} tasks, {done} done, {progress} in progress, "
                    "{overdue} overdue, {unknown} cannot be judged."),
    "remind-done": ("已生成 {files} 份催办单，保存在 {folder}；本表已加上“{sheet}”工作表。",
                    "Wrote {files} reminder(s) in {folder}; this workbook now has a {sheet} sheet."),
    "remind-none": ("截至{date}，没有逾期或临期的任务，未生成催办单。", "As of {date}, no task is overdue or due soon: no reminder."),
    # the Python API's tables (xltools.frames)
    "fr-file": ("文件", "File"), "fr-sheet": ("工作表", "Sheet"), "fr-row": ("行", "Row"),
    "fr-due": ("截止日期", "Due date"), "fr-days": ("天数", "Days"),
    "fr-state-unjudged": ("无法判断", "Cannot be judged"),
    "fr-code": ("代码", "Code"), "fr-severity": ("级别", "Severity"), "fr-cell": ("单元格", "Cell"),
    "fr-value": ("内容", "Value"), "fr-problem": ("问题", "Problem"), "fr-suggestion": ("建议", "Suggestion"),
    "fr-needs-pandas": ("这个功能需要 pandas：请运行 pip install \"xltools-renwu[pandas]\"。",
                        "This needs pandas: run pip install \"xltools-renwu[pandas]\"."),
}

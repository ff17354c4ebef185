"""Words of the command line.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
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

"""Split-out and collect-back (拆分下发 / 收集进展).  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
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
}

"""Versions, history, undo and the merge preview.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # keeping a version (write/versions.py, through files.atomic_write)
    "version-not-kept": ("无法在 {folder} 中保存 {file} 的旧版本（{reason}），因此没有修改它。请确认该文件夹可写、磁盘未满。",
                         "Could not keep the previous version of {file} in {folder} ({reason}), so it was not "
                         "changed. Check that the folder is writable and the disk not full."),

    # the commands named in a version's record
    "op-merge": ("合并", "merge"),
    "op-collect": ("收集进展", "collect"),
    "op-flag": ("标记预警", "flag"),
    "op-remind": ("写入催办表", "remind --sheet"),
    "op-new-plan": ("新建计划", "new-plan"),
    "op-split": ("拆分下发", "split"),
    "op-undo": ("撤销", "undo"),
    "op-units": ("编辑单位名录", "registry edit"),
    "op-other": ("其他写入", "another write"),

    # what each command changed (counts from 变更, 收集记录 …)
    "what-merge": ("新增 {added} 项、删除 {removed} 项、修改 {changed} 项任务",
                   "{added} tasks added, {removed} removed, {changed} changed"),
    "what-collect": ("写入 {updated} 个单元格（{files} 份报送表，{conflicts} 处冲突）",
                     "cells written: {updated} (returns: {files}; conflicts: {conflicts})"),
    "what-flag": ("{tasks} 项任务加上截止日期和预警", "due date and due status added to {tasks} tasks"),
    "what-remind": ("{units} 个单位的催办内容", "reminders for {units} units"),
    "what-new-plan": ("{tasks} 项任务", "{tasks} tasks"),
    "what-units": ("新增 {add} 个、改名 {rename} 个、加别名 {alias} 个、删除 {remove} 个单位",
                   "{add} units added, {rename} renamed, {alias} aliases added, {remove} removed"),
    "what-undo": ("恢复为 {time} 的版本", "put back the version of {time}"),

    # xltools history
    "hist-none": ("{file} 没有保存的旧版本。", "{file} has no kept versions."),
    "hist-title": ("{file} 的旧版本（最新的在前；每个版本是该次操作之前的文件）：",
                   "Versions of {file} (newest first; each is the file as it was before that command):"),
    "hist-line": ("{n}. {time}  {command}之前  {user}@{computer}  {size}{what}",
                  "{n}. {time}  before {command}  {user}@{computer}  {size}{what}"),
    "hist-what": ("；这次{command}：{what}", "; that {command}: {what}"),
    "hist-size": ("{kb} KB", "{kb} KB"),
    "hist-hint": ("撤销上次操作：xltools undo {file}；恢复某个版本：xltools undo {file} --version 序号",
                  "Undo the last command: xltools undo {file}; put back one version: xltools undo {file} --version N"),

    # xltools undo
    "undo-done": ("已撤销{command}：{file} 已恢复为 {time} 保存的版本（{command}之前的文件）。撤销前的文件也已保存为旧版本，"
                  "可用 xltools history 查看。",
                  "Undid {command}: {file} is back to the version kept at {time} (the file before {command}). The file "
                  "as it was before this undo is kept as a version too (see xltools history)."),
    "undo-restored": ("已恢复第 {n} 个旧版本：{file} 已恢复为 {time} 保存的版本（{command}之前的文件）。恢复前的文件也已保存为"
                      "旧版本，可用 xltools history 查看。",
                      "Put back version {n}: {file} is back to the version kept at {time} (the file before {command}). "
                      "The file as it was before is kept as a version too (see xltools history)."),
    "undo-nothing": ("{file} 没有可以撤销的操作（没有更早的旧版本）。", "Nothing to undo for {file} (no earlier version)."),
    "undo-no-version": ("{file} 没有第 {version} 个旧版本。请用 xltools history {file} 查看可用的版本。",
                        "{file} has no version {version}. See xltools history {file}."),
    "undo-not-workbook": ("只能撤销对工作簿（.xlsx/.xlsm）的操作：{file}。", "Only workbooks (.xlsx/.xlsm) can be undone: {file}."),

    # the merge preview (merge --dry-run, and the refusal before harm)
    "preview-removed-task": ("{district} 第 {seq} 项：{text}", "{district} no. {seq}: {text}"),
    "preview-filled": ("（已填写：{columns}）", " (filled in: {columns})"),
    "preview-more": ("……还有 {n} 项", "… and {n} more"),
    "merge-would-remove": ("合并将从汇总表 {file} 中删除 {removed} 项任务（原有 {previous} 项{filled}），因此没有写入，"
                           "文件保持原样。将删除的任务：\n{tasks}\n"
                           "请先检查选的文件夹是否正确；如确实要删除，请加 --replace 再运行（被替换的汇总表会保存为旧版本，"
                           "可用 xltools undo 恢复）。用 --dry-run 可查看全部变化。",
                           "Merging would remove {removed} tasks from the master {file} (it has {previous}{filled}), so "
                           "nothing was written and the file is as it was. Tasks that would be removed:\n{tasks}\n"
                           "Check that the folder is the right one; to remove them, run again with --replace (the "
                           "master replaced is kept as a version: xltools undo puts it back). --dry-run shows every "
                           "change."),
    "merge-would-remove-filled": ("，其中 {n} 项有人填写过进展等内容", "; {n} of them filled in by people"),
    "merge-confirm": ("合并将从汇总表中删除 {removed} 项任务（原有 {previous} 项{filled}）：\n{tasks}\n\n"
                      "确定要删除吗？选“否”则不写入，汇总表保持原样。",
                      "Merging would remove {removed} tasks from the master (it has {previous}{filled}):\n{tasks}\n\n"
                      "Remove them? No leaves the master as it is."),
    "cli-dry-run": ("预览（没有写入任何文件）：合并后汇总表有 {tasks} 项任务；与现有汇总表相比新增 {added} 项，删除 {removed} 项，"
                    "修改 {changed} 项。",
                    "Preview (nothing written): the master would hold {tasks} tasks; compared with the existing "
                    "master {added} added, {removed} removed, {changed} changed."),
    "cli-dry-run-first": ("预览（没有写入任何文件）：将新建汇总表，共 {tasks} 项任务。",
                          "Preview (nothing written): a new master of {tasks} tasks would be written."),
    "cli-dry-run-removed": ("将删除的任务：", "Tasks that would be removed:"),
    "cli-dry-run-issues": ("合并后问题清单将有 {issues} 条：{errors} 个错误，{warnings} 个警告，{notes} 条提示"
                           "（xltools validate 可逐条查看）。",
                           "The 问题清单 would hold {issues} issue(s): {errors} error(s), {warnings} warning(s), "
                           "{notes} note(s) (xltools validate lists them)."),
    "dry-run-would-stop": ("实际运行时会停止，不写入任何文件：{message}",
                           "The real run would stop and write nothing: {message}"),
    "cli-dry-run-refused": ("这次合并会被拒绝（删除的任务过多或有人填写过），实际运行时需加 --replace。",
                            "The real run would be refused (too many tasks removed, or filled in): it needs --replace."),
    "cli-version-kept": ("原汇总表已保存为旧版本（xltools history {file} 可查看，xltools undo {file} 可恢复）。",
                         "The previous master is kept as a version (xltools history {file}; xltools undo {file} puts "
                         "it back)."),

    # command help
    "help-history": ("列出保存的旧版本。文件 FILE 每次被合并、收集进展等命令替换之前都保存为旧版本；这里列出每个版本的时间、"
                     "之后运行的命令、由谁在哪台电脑运行、这次改动了什么。",
                     "List the versions kept of FILE: when, which command replaced it, who on which computer, and "
                     "what that command changed."),
    "help-undo": ("撤销上次操作。把文件 FILE 恢复为上次操作（合并、收集进展、标记预警……）之前的版本。撤销本身也可撤销："
                  "撤销前的文件保存为新的旧版本。连续撤销逐次向前；--version 序号 恢复 history 列出的任一版本。",
                  "Undo the last command on FILE (merge, collect, flag …): put back the version from before it. Undo "
                  "is undoable too: the file before it is kept as a version. Each further undo goes one step back; "
                  "--version N puts back any version history lists."),
}

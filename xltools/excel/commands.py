"""The command registry: the one place that says which buttons the 任务工具 tab has.

Each Command gives a button's id, labels, icon (an imageMso name), tag and the action it
runs.  The add-in's ribbon XML and its VBA callback are generated from this list
(ribbon.py), and a test holds docs/excel-addin.md's button lists to it; the callback
passes the clicked button's tag to `run`, so adding a button never needs VBA.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from xltools.excel import actions
from xltools.texts import t


@dataclass(frozen=True)
class Group:
    id: str
    label_zh: str
    label_en: str

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


@dataclass(frozen=True)
class Command:
    id: str                       # ribbon control id (unique in the add-in)
    label_zh: str
    label_en: str
    image_mso: str                # a built-in Office icon
    tag: str                      # what the VBA callback passes to run()
    action: Callable              # actions.*: takes the calling xlwings.Book
    group: str                    # Group.id
    screentip: str                # longer help shown on hover (zh)

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


def _group(gid: str, key: str) -> Group:
    zh, en = t(key, "zh"), t(key, "en")
    return Group(gid, zh, en)


def _command(cid: str, key: str, image_mso: str, tag: str, action: Callable, group: str) -> Command:
    return Command(cid, t(key, "zh"), t(key, "en"), image_mso, tag, action, group, t(key + "-tip", "zh"))


GROUPS: tuple[Group, ...] = (
    _group("xtGroupCheck", "group-check"),
    _group("xtGroupMerge", "group-merge"),
    _group("xtGroupPlan", "group-plan"),
    _group("xtGroupReport", "group-report"),
    _group("xtGroupRegistry", "group-registry"),
)

COMMANDS: tuple[Command, ...] = (
    _command("xtValidate", "cmd-validate", "DataValidation", "validate", actions.validate_sheet, "xtGroupCheck"),
    _command("xtOverdue", "cmd-overdue", "ConditionalFormattingMenu", "overdue", actions.mark_overdue,
             "xtGroupCheck"),
    _command("xtMerge", "cmd-merge", "FileOpen", "merge", actions.merge_folder, "xtGroupMerge"),
    _command("xtUndo", "cmd-undo", "Undo", "undo", actions.undo_last, "xtGroupMerge"),
    _command("xtNewPlan", "cmd-newplan", "FileNew", "new-plan", actions.new_plan, "xtGroupPlan"),
    _command("xtSplit", "cmd-split", "ShareWorkbook", "split", actions.split_plan, "xtGroupPlan"),
    _command("xtCollect", "cmd-collect", "RefreshAll", "collect", actions.collect_progress, "xtGroupPlan"),
    _command("xtReport", "cmd-report", "ChartInsert", "report", actions.write_report, "xtGroupReport"),
    _command("xtRemind", "cmd-remind", "ReviewNewComment", "remind", actions.write_reminders, "xtGroupReport"),
    _command("xtRegistry", "cmd-registry", "AddressBook", "registry", actions.open_registry, "xtGroupRegistry"),
)

BY_TAG: dict[str, Command] = {c.tag: c for c in COMMANDS}


def command_for(tag: str) -> Command | None:
    return BY_TAG.get(tag)


def run(tag: str, book=None) -> None:
    """The dispatcher the ribbon calls:
    RunPython "import xltools.excel; xltools.excel.run('<tag>')".

    Runs the tagged action on the calling workbook; every error ends in a Chinese
    message box naming the file (and cell), never in a traceback."""
    if book is None:
        import xlwings as xw
        book = xw.Book.caller()
    lang = os.environ.get("XLTOOLS_LANG", "zh")
    command = command_for(tag)
    if command is None:
        actions.show_error(book, actions.ActionError("unknown-command", tag=tag), lang)
        return
    actions.perform(book, command.action, lang)

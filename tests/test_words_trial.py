"""Findings of a new-user trial about words: a task number in English (No. 一), unit
abbreviations that name another organ (县发改委 for 县发展和改革局), a township's offices and
a 派出所's full name, and seasonal deadline phrases (汛期前, 节假日期间, 开学前)."""
from __future__ import annotations

from xltools.rules.numbering import in_arabic
from xltools.texts import t


# ------------------------------------------------------------------ 3. task numbers in English

def test_a_task_numbered_in_chinese_is_numbered_in_arabic_in_english():
    assert [in_arabic(s) for s in ("一", "（二）", "十一", "第三条", "一是", "1.1", 19, "①", "甲", None)] == \
        ["1", "(2)", "11", "3", "(1)", "1.1", 19, "①", "甲", None]
    assert t("collect-task", "en", district="安吉县", seq="一", words="x") == "安吉县 task 1 'x'"
    assert t("task-seq", "en", seq="（三）") == "Task (3)"
    assert "No." not in t("reason-no-seq", "en", seq="二") and "numbered 2" in t("reason-no-seq", "en", seq="二")
    assert t("collect-task", "zh", district="安吉县", seq="一", words="x") == "安吉县 第一项“x”"     # Chinese as written

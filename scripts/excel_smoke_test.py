"""Excel smoke test for the 任务工具 add-in — run it on a Windows PC with Excel before a release.

    pip install -e .            (in the Python that Excel should use)
    python scripts/excel_smoke_test.py [--keep] [--interactive]

What it does, with real Excel driven through xlwings:
1. builds xltools.xlam from the installed xlwings template, points its config at this
   Python (~/.xltools/xltools.conf) and opens it in a new Excel instance;
2. enters every XT_* worksheet function into a sheet, lets Excel calculate through the
   add-in's VBA stubs and xlwings' COM server, and compares with the Python results;
3. runs every ribbon action on copies of examples/*.xlsx (the same dispatcher the VBA
   callback calls, with the message boxes captured instead of shown) and checks what
   Excel now holds: fills, notes, the 校验结果 sheet and its links, the 截止日期/预警
   columns and their conditional formats, the merged master, the registry workbook;
   校验本表 must report exactly what `xltools validate` reports for the file, which
   proves the merged-cell detection against Excel;
4. with --interactive, clicks nothing itself but calls the add-in's RunPython through
   Application.Run, i.e. the full ribbon path VBA → Python → Excel; confirm the message
   box that appears.

Exit code 0 when every check passed; a list of failures otherwise.  Nothing here runs on
Linux or in CI.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIANQIAO = EXAMPLES / "2024年天桥区政务公开重点工作任务分工.xlsx"
CHANGQING = EXAMPLES / "2022年长清区政务公开重点工作任务分解表.xlsx"

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("  ok    " if ok else "  FAIL  ") + what)
    if not ok:
        failures.append(what)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave Excel and the work folder open")
    parser.add_argument("--interactive", action="store_true", help="also run one button through VBA (click OK)")
    args = parser.parse_args()
    if not sys.platform.startswith("win"):
        print("This smoke test needs Windows with Microsoft Excel.")
        return 2

    import xlwings as xw

    work = Path(tempfile.mkdtemp(prefix="xltools-smoke-"))
    os.environ["XLTOOLS_HOME"] = str(work / "home")
    from xltools.excel import actions, addin, commands, udfs

    shown: list[tuple[str, str]] = []
    actions._alert = lambda book, text, title, mode="info", app=None: shown.append((mode, text))  # noqa: E731

    print(f"work folder: {work}")
    addin_path = addin.build(work / addin.ADDIN_NAME)
    addin.write_config(addin.config_path(), {"INTERPRETER_WIN": addin.interpreter()})
    app = xw.App(visible=True, add_book=False)
    try:
        app.books.open(str(addin_path))
        check(any(b.name == addin.ADDIN_NAME for b in app.books), "the add-in opens in Excel")

        # ---------------------------------------------------------- worksheet functions
        print("worksheet functions")
        book = app.books.add()
        sheet = book.sheets[0]
        cases = [("=XT_DEADLINE(\"2024年12月底前\")", dt.datetime(2024, 12, 31)),
                 ("=XT_DEADLINE_KIND(\"长期坚持\")", udfs.XT_DEADLINE_KIND("长期坚持")),
                 ("=XT_UNITS(\"区人社局、区卫健局\")", udfs.XT_UNITS("区人社局、区卫健局")),
                 ("=XT_UNIT_CHECK(\"区人社保局\")", udfs.XT_UNIT_CHECK("区人社保局")),
                 ("=XT_WARNING(DATE(2024,5,31),\"\",DATE(2024,6,1))", "逾期")]
        sheet.range("A1").number_format = "yyyy-mm-dd"   # a function returning a date needs a date format
        for i, (formula, _) in enumerate(cases, start=1):
            sheet.range((i, 1)).formula = formula
        app.calculate()
        for i, (formula, expected) in enumerate(cases, start=1):
            got = sheet.range((i, 1)).value
            check(got == expected, f"{formula} → {got!r}")
        sheet.range("C1:C3").value = [["2024年12月底前"], ["全年"], ["长期坚持"]]
        sheet.range("D1").formula2 = "=XT_DEADLINE_KIND(C1:C3)"
        app.calculate()
        check(sheet.range("D1:D3").value == ["日期", "日期", "长期"], "a range in spills an array out")
        book.close()

        # ---------------------------------------------------------- 校验本表, 标记逾期
        from xltools.rules.deadlines import DeadlineKind
        from xltools.read import read_plan
        from xltools.rules.units import UnitRegistry
        from xltools.check.validate import check_sheet

        for source, sheet_name in ((TIANQIAO, "任务分工"), (CHANGQING, "任务分解表")):
            print(f"校验本表: {source.name}")
            copy = work / source.name
            shutil.copy(source, copy)
            book = app.books.open(str(copy))
            book.sheets[sheet_name].activate()
            shown.clear()
            commands.run("validate", book)
            expected = sorted((f.code, f.cell) for f in check_sheet(read_plan(source, sheet_name).sheets[0],
                                                                     UnitRegistry.default())
                              if f.severity in actions.SHOWN_SEVERITIES)
            results = book.sheets["校验结果"]
            rows = results.range((3, 1), (2 + len(expected), 7)).options(ndim=2).value if expected else []
            got = sorted((r[6], r[2]) for r in rows)
            check(got == expected, f"same findings as `xltools validate` ({len(expected)}), merged cells read")
            ws = book.sheets[sheet_name]
            for _, cell in expected:
                if not cell:
                    continue
                check(ws.range(cell).color in ((255, 199, 206), (255, 235, 156)), f"{cell} is filled")
                note = ws.range(cell).note
                check(note is not None and "【任务工具校验】" in note.text, f"{cell} has our note")
            if expected:
                check(results.range("C3").formula.startswith("=HYPERLINK(\"#'"), "results link to the cells")
            check(shown and shown[-1][0] == "info", "a summary message box")

            print(f"标记逾期: {source.name}")
            ws.activate()
            shown.clear()
            commands.run("overdue", book)
            plan = read_plan(source, sheet_name).sheets[0]
            header = plan.header_row
            check(ws.range(f"G{header}").value == "截止日期" and ws.range(f"H{header}").value == "预警",
                  "截止日期 and 预警 headers in G and H")
            task = next(t for t in plan.tasks if t.due and t.deadline.kind == DeadlineKind.DATE)
            check(ws.range(f"G{task.row}").value == dt.datetime.combine(task.due, dt.time()),
                  f"G{task.row} holds the real date {task.due}")
            states = {"逾期", "临期", "正常", "已完成", "持续推进", None, ""}
            warnings = ws.range(f"H{header + 1}:H{max(t.row for t in plan.tasks)}").value
            check(set(warnings) <= states and "逾期" in warnings, "预警 computes in Excel")
            formats = ws.range(f"A{header + 1}").api.FormatConditions
            check(formats.Count >= 3, f"conditional formats on the rows ({formats.Count})")
            commands.run("overdue", book)
            check(ws.range(f"A{header + 1}").api.FormatConditions.Count == formats.Count,
                  "running it again does not stack rules")
            book.close()

        # ---------------------------------------------------------- 合并汇总
        print("合并汇总")
        folder = work / "returns"
        folder.mkdir()
        for source in (TIANQIAO, CHANGQING):
            shutil.copy(source, folder / source.name)
        host = app.books.add()
        shown.clear()
        actions.perform(host, actions.merge_folder, folder=folder)
        master = folder / "汇总表.xlsx"
        check(master.exists(), "汇总表.xlsx written")
        check(any(b.name == master.name for b in app.books), "the master is open in Excel")
        check(shown and shown[-1][1].startswith("合并完成"), "a summary message box")

        # ---------------------------------------------------------- 单位名录, 新建计划, 拆分/收集
        print("单位名录, 新建计划, 拆分下发, 收集进展")
        path = actions.perform(host, actions.open_registry)
        check(path is not None and any(b.name == path.name for b in app.books), "the registry opens in Excel")
        output = work / "2025年天桥区任务分解表.xlsx"
        shown.clear()
        actions.perform(host, actions.new_plan, year=2025, district="天桥区", output=output)
        check(output.exists() or "尚未安装" in (shown[-1][1] if shown else ""), "新建计划 writes a plan")
        open_master = next(b for b in app.books if b.name == master.name)
        shown.clear()
        actions.perform(open_master, actions.split_plan)
        returns = folder / "汇总表_下发"
        check(returns.is_dir() and any(returns.glob("*.xlsx")), "拆分下发 writes the units' returns")
        shown.clear()
        actions.perform(open_master, actions.collect_progress, folder=returns)
        check(any(b.name == master.name for b in app.books), "the master is open again after 收集进展")
        check(bool(shown) and shown[-1][1].startswith("已收集"), "收集进展 reports what it wrote")

        if args.interactive:
            print("the ribbon path (VBA → RunPython → Python): confirm the message box")
            copy = work / ("ribbon-" + TIANQIAO.name)
            shutil.copy(TIANQIAO, copy)
            book = app.books.open(str(copy))
            book.sheets["任务分工"].activate()
            app.api.Run(f"'{addin.ADDIN_NAME}'!RunPython", "import xltools.excel; xltools.excel.run('validate')")
            check("校验结果" in [s.name for s in book.sheets], "the button's command ran through VBA")
    except Exception:
        traceback.print_exc()
        failures.append("an unexpected error")
    finally:
        if not args.keep:
            for b in list(app.books):
                try:
                    b.close()
                except Exception:
                    pass
            app.quit()
            shutil.rmtree(work, ignore_errors=True)

    print()
    if failures:
        print(f"{len(failures)} check(s) FAILED:")
        for f in failures:
            print("  - " + f)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

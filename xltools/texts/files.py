"""Messages that stop the work on one file (reading, writing, registries).  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    # errors that stop the work on one file
    "file-not-found": ("找不到文件：{file}。请检查路径是否正确。",
                       "File not found: {file}. Check the path."),
    "file-empty": ("文件是空的（0 字节）：{file}。请重新保存或向报送单位索取原文件。",
                   "The file is empty (0 bytes): {file}. Save it again or ask the sender for the original."),
    "file-not-spreadsheet": ("不是表格文件：{file}。支持 .xlsx .xlsm .xls .xlsb .ods .et（WPS 表格）.csv .txt .docx。",
                             "Not a spreadsheet: {file}. Supported: .xlsx .xlsm .xls .xlsb .ods .et (WPS) .csv .txt "
                             ".docx."),
    "file-encrypted": ("文件有打开密码，无法读取：{file}。请在 Excel 中取消密码（文件→信息→保护工作簿）后再试。",
                       "The file is password-protected: {file}. Remove the password in Excel (File > Info > "
                       "Protect Workbook) and try again."),
    "reason-not-zip": ("不是 zip 压缩包格式", "not a zip package"),
    "reason-not-spreadsheet-content": ("文件内容不是任何一种表格格式", "its content is no spreadsheet format"),
    "reason-unknown-encoding": ("无法识别文字编码（既不是 UTF-8 也不是 GBK）", "unknown text encoding (neither UTF-8 nor GBK)"),
    "reason-unsafe-xml": ("含有不安全的 XML（DTD/实体），已拒绝读取", "unsafe XML (DTD/entities), refused"),
    "reason-no-sheet": ("没有“{sheet}”工作表", "no sheet named {sheet}"),
    "file-corrupt": ("文件已损坏或格式不对，无法读取：{file}（{reason}）。请用 Excel 打开后另存为 .xlsx 再试。",
                     "The file is damaged or not in the format its name says: {file} ({reason}). Open it in "
                     "Excel, save as .xlsx and try again."),
    "file-corrupt-xml": ("文件内部结构有错误（可能由其他软件生成或已损坏），无法读取：{file}。请用 Excel 或 WPS 打开后"
                         "另存为 .xlsx 再试。",
                         "The file's inner structure is faulty (made by another program, or damaged): {file}. "
                         "Open it in Excel or WPS, save as .xlsx and try again."),
    "file-not-writable": ("无法写入 {file}（{reason}）。请检查它是否正在 Excel/WPS 中打开、文件夹是否可写。",
                          "Cannot write {file} ({reason}). Check that it is not open in Excel/WPS and that the "
                          "folder is writable."),
    "file-changed": ("{file} 在本次读取之后被修改过（可能有人在 Excel/WPS 中保存了它）。为免覆盖别人的修改，没有替换它；"
                     "本次的结果保存在它旁边的 {kept}。请核对两者，在最新的文件上重新运行。",
                     "{file} was changed after this run read it (someone may have saved it in Excel/WPS). It was not "
                     "replaced, so nobody's changes are lost; this run's result is kept beside it as {kept}. Compare "
                     "the two and run again on the newest file."),
    "file-changed-not-kept": ("{file} 在本次读取之后被修改过（可能有人在 Excel/WPS 中保存了它）。为免覆盖别人的修改，没有替换它；"
                              "本次的结果也无法保存在它旁边（{reason}）。请在最新的文件上重新运行。",
                              "{file} was changed after this run read it (someone may have saved it in Excel/WPS). It "
                              "was not replaced; this run's result could not be kept beside it either ({reason}). Run "
                              "again on the newest file."),
    "file-io": ("读写文件时出错：{file}（{reason}）。请检查共享盘是否连通、磁盘是否已满。",
                "Could not read or write {file} ({reason}). Check the shared drive and free disk space."),
    "file-locked": ("文件正被其他程序占用：{file}。请在 Excel 中关闭它后再试。",
                    "The file is in use by another program: {file}. Close it in Excel and try again."),
    "sheet-not-found": ("文件 {file} 中没有名为“{sheet}”的工作表。",
                        "{file} has no sheet named '{sheet}'."),
    "no-task-table": ("文件 {file} 中没有找到任务表（需要有“序号/工作任务/具体要求/责任单位/完成时限”等表头，"
                      "或正文中的“[责任单位：…]”）。请确认选对了文件。",
                      "No task table found in {file} (expected headers such as 序号/工作任务/具体要求/责任单位/"
                      "完成时限, or inline '[责任单位：…]' in the text). Check that this is the right file."),
    "no-task-table-near": ("文件 {file} 中没有找到任务表：工作表“{sheet}”第 {row} 行像是表头，认出了 {found}，"
                           "但没有{missing}列（没有认出的表头：{unknown}）。如果这就是任务表，请用 --columns 说明各列是什么，"
                           "例如：--columns \"{example}\"（加 --save-columns 保存，本文件夹的文件以后都按它读）。",
                           "No task table found in {file}: row {row} of sheet '{sheet}' looks like a header with "
                           "{found}, but no {missing} column (headers not recognised: {unknown}). If this is the task "
                           "table, say what the columns are with --columns, e.g. --columns \"{example}\" (add "
                           "--save-columns to keep it for the folder)."),
    "no-task-table-near-nohint": ("文件 {file} 中没有找到任务表：工作表“{sheet}”第 {row} 行像是表头，认出了 {found}，"
                                  "但没有{missing}列（没有认出的表头：{unknown}）。如果这就是任务表，请用 --columns "
                                  "说明各列是什么，如 --columns \"表头=责任单位\"。",
                                  "No task table found in {file}: row {row} of sheet '{sheet}' looks like a header "
                                  "with {found}, but no {missing} column (headers not recognised: {unknown}). If this "
                                  "is the task table, say what the columns are with --columns, e.g. --columns "
                                  "\"header=责任单位\"."),
    "file-no-permission": ("没有权限读取文件：{file}。请让文件的所有者或管理员给你读取权限，或把文件复制到你有权限的文件夹。",
                           "No permission to read {file}. Ask its owner or the administrator for read access, "
                           "or copy it to a folder you can read."),
    "file-symlink-loop": ("无法读取 {file}：它是一个循环的快捷方式（符号链接指回自己）。请删除它或改为指向真实文件。",
                          "Cannot read {file}: it is a symbolic link that loops back on itself. Delete it or "
                          "point it at the real file."),
    "file-is-folder": ("{file} 是一个文件夹，不是表格文件。请检查名称。", "{file} is a folder, not a spreadsheet."),
    "file-too-big": ("文件太大，未读取：{file}（{size}，上限 {limit}）。请确认选对了文件，或把它拆成几个文件。",
                     "The file is too big to read: {file} ({size}, limit {limit}). Check that it is the right "
                     "file, or split it."),
    "file-unpacks-too-big": ("文件解压后太大，未读取：{file}（声明 {size}，上限 {limit}）。可能已损坏或被故意构造；"
                             "请用 Excel 打开后另存为 .xlsx 再试。",
                             "The file unpacks to too much to read: {file} ({size} declared, limit {limit}). It may "
                             "be damaged or crafted; open it in Excel, save as .xlsx and try again."),
    "file-zip-bomb": ("文件压缩比异常，未读取：{file}（其中 {part} 压缩了 {ratio} 倍，解压后 {size}）。可能已损坏或被故意"
                      "构造；请用 Excel 打开后另存为 .xlsx 再试。",
                      "The file is compressed suspiciously well and was not read: {file} ({part} shrinks "
                      "{ratio}-fold, {size} unpacked). It may be damaged or crafted; open it in Excel, save as "
                      ".xlsx and try again."),
    "sheet-too-big": ("工作表太大，未读取：{file} 的“{sheet}”有 {rows} 行、{cols} 列内容（上限 {max_rows} 行、"
                      "{max_cells} 个单元格）。请删除多余的行列，或把表拆开。",
                      "Sheet '{sheet}' of {file} is too big to read: {rows} rows × {cols} columns (limit "
                      "{max_rows} rows, {max_cells} cells). Delete the unused rows and columns, or split it."),
    "district-not-division": ("“{name}”不是全国行政区划（GB/T 2260）中的区县名称。是不是要写：{suggestions}？",
                              "'{name}' is not a county-level division of the national list (GB/T 2260). Did you "
                              "mean: {suggestions}?"),
    "district-not-division-nosuggest": ("“{name}”不是全国行政区划（GB/T 2260）中的区县名称。请写区县的全称，如 天桥区。",
                                        "'{name}' is not a county-level division of the national list (GB/T 2260). "
                                        "Write the district's full name, e.g. 天桥区."),
    "district-township-where": ("“{name}”是街道（镇、乡），不是区县。请在它前面写上所属的区县，写作：{places}；"
                                "或只写区县：{districts}。",
                                "'{name}' is a 街道 (town, township), not a district. Write its district before it: "
                                "{places}; or only the district: {districts}."),
    "district-township-unknown": ("“{name}”是街道（镇、乡），不是区县，单位名录中也没有它属于哪个区县。请写它所属的区县"
                                  "（如 天桥区），或把区县写在它前面（如 天桥区无影山街道）。",
                                  "'{name}' is a 街道 (town, township), not a district, and the unit registry does not "
                                  "say which district it belongs to. Write its district (e.g. 天桥区), or the district "
                                  "before it (e.g. 天桥区无影山街道)."),
    "registry-suffix": ("单位名录只能保存为 .xlsx（在 Excel 中编辑）或 .csv：{file}。请换一个文件名。",
                        "The unit registry can be saved as .xlsx (to edit in Excel) or .csv only: {file}. Choose "
                        "another name."),
    "units-edit-op": ("无法识别的名录修改：{op}。", "Unknown registry edit: {op}."),
    "units-edit-empty": ("请填写单位名称（改名、加别名时还要填新名称或别名）。",
                         "Fill in the unit's name (and the new name or alias to rename or add an alias)."),
    "units-edit-unknown": ("名录中没有“{name}”{district}，未作修改。请核对名称（名录中的名称须完全一致）后再试。",
                           "'{name}'{district} is not in the registry; nothing was changed. Check the name (it must "
                           "be the registry's name exactly) and retry."),
    "units-edit-taken": ("“{name}”已是名录中“{unit}”的名称或别名，未作修改。",
                         "'{name}' is already the name or an alias of '{unit}' in the registry; nothing was "
                         "changed."),
    "units-edit-bad": ("不能加入“{name}”：{reason}", "Cannot add '{name}': {reason}"),
    # the registry's kinds (类别) in a sentence: one, and several of them
    "unit-kind-department": ("部门", "department"), "unit-kinds-department": ("部门", "departments"),
    "unit-kind-street": ("街道", "sub-district"), "unit-kinds-street": ("街道", "sub-districts"),
    "unit-kind-town": ("镇", "town"), "unit-kinds-town": ("镇", "towns"),
    "unit-kind-collective": ("集体称谓", "collective name"), "unit-kinds-collective": ("集体称谓", "collective names"),
    "unit-kind-vertical": ("上级/垂管单位", "higher-level or vertical body"),
    "unit-kinds-vertical": ("上级/垂管单位", "higher-level or vertical bodies"),
    "unit-kind-zone": ("功能区", "zone"), "unit-kinds-zone": ("功能区", "zones"),
    "unit-kind-village": ("村/社区", "village/community"), "unit-kinds-village": ("村/社区", "villages or communities"),
    "units-edit-bad-kind": ("不能加入“{name}”：类别“{kind}”无效，应为：{kinds}。",
                            "Cannot add '{name}': the kind '{kind}' is not one of: {kinds_en}."),
    "registry-unreadable": ("单位名录无法读取：{file}（{reason}）。请检查表头是否为“区县、单位名称、简称或别名、类别”。",
                            "The unit registry cannot be read: {file} ({reason}). Its header must be "
                            "区县, 单位名称, 简称或别名, 类别."),
    "interrupted": ("已取消（Ctrl-C）。输入文件未被修改，输出文件保持原样。",
                    "Cancelled (Ctrl-C). No input was changed and the output is as it was."),
    "terminated": ("已停止：收到终止信号（SIGTERM）。输入文件未被修改，输出文件保持原样。",
                   "Stopped: terminate signal (SIGTERM) received. No input was changed and the output is as "
                   "it was."),
    "internal-error": ("xltools 内部出错（{error}）。输入文件未被修改；请把此信息和文件发给维护人员。",
                       "Internal error in xltools ({error}). No input was changed; please report it with the file."),
    # a reason already put in the user's words (a reading process that died)
    "reason-given": ("{reason}", "{reason}"),
    "sheet-skipped-line": ("- 工作表“{sheet}”：没有任务表，已跳过", "- Sheet '{sheet}': no task table, skipped"),
    # the column map: a clerk's --columns / 列对应.json, and why each column was read as it was
    "columns-bad-item": ("“{item}”写法不对：每项写成 表头=字段 或 列号=字段，用逗号隔开，"
                         "如 具体措施=具体要求,D=牵头单位。",
                         "'{item}' is not HEADER=FIELD or LETTER=FIELD; separate "
                         "items by commas, e.g. 具体措施=具体要求,D=牵头单位."),
    "columns-bad-field": ("“{item}”中的“{name}”不是可以读的字段。可用的字段：{fields}。",
                          "'{item}': '{name}' is not a field. Fields: {fields} "
                          "(or the English names and keys: Requirement, lead …)."),
    "columns-twice": ("“{name}”写了两次：每个表头或列号只能对应一个字段。",
                      "'{name}' appears twice: one field per header or column."),
    "columns-empty": ("列对应是空的：请写成 表头=字段，如 具体措施=具体要求。",
                      "The column map is empty: write HEADER=FIELD, e.g. 具体措施=具体要求."),
    "columns-saved-bad": ("列对应文件无法读取：{file}（{reason}）。请修正它（“列对应”下每项写 \"表头\": \"字段\"），"
                          "或删除它后重新用 --columns … --save-columns 保存。",
                          "The saved column map cannot be read: {file} ({reason}). Fix it (\"HEADER\": \"FIELD\" "
                          "under \"列对应\") or delete it and save again with --columns … --save-columns."),
    "columns-saved-not-json": ("不是有效的 JSON，或其中没有“列对应”", "not valid JSON, or no \"列对应\" in it"),
    "columns-title": ("列对应（哪一列读作哪个字段）", "Columns (which column is read as which field)"),
    "columns-title-given": ("，按 {source} 指定", ", as {source} says"),
    "columns-h-field": ("字段", "Field"),
    "columns-h-letter": ("列", "Col"),
    "columns-h-header": ("表头", "Header"),
    "columns-h-why": ("依据", "Why"),
    "column-reason-header": ("表头与常用写法“{word}”相同", "the header is '{word}'"),
    "column-reason-header-word": ("表头含常用写法“{word}”", "the header holds the word '{word}'"),
    "column-reason-combined": ("一格两义的表头，按含义拆开", "a combined header, split by meaning"),
    "column-reason-moved": ("表头本是“{word}”，因旁边的列改读", "the header means '{word}', read otherwise "
                            "because of the columns beside it"),
    "column-reason-second": ("与左边一列同为“{word}”，读作第二级", "'{word}' as the column on its left: the "
                             "second level"),
    "column-reason-content": ("表头含“{word}”，但各格是句子，不是单位名称", "the header holds the word "
                              "'{word}', but its cells are sentences, not units' names: read by what they hold"),
    "column-reason-given": ("按列对应“{word}”指定", "given in the column map as '{word}'"),
    "column-reason-no-word": ("表头的位置", "where the header stands"),
    # a column no field reads (报送对象, 责任人): the sheet's own, kept as written
    "columns-own-field": ("本表自有列", "Own column"),
    "columns-own-why": ("不对应任何字段，原样保留为汇总表中的一列", "no field: kept as written in the master"),
    # … and in a return split wrote: the master's column shown for reference, or one the unit added
    "columns-reference-field": ("参考列", "Reference column"),
    "columns-reference-why": ("汇总表的列，下发供参考，收集时不写入汇总表",
                              "the master's, for reference: not collected"),
    "columns-return-own-field": ("单位自加列", "Column the unit added"),
    "columns-return-own-why": ("单位自加，不是报送内容，收集时不写入汇总表", "added by the unit: not collected"),
}

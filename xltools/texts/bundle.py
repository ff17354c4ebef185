"""The offline installer bundle (xltools bundle): the command's words, the install and
uninstall scripts' messages and the 安装说明.  key: (zh, en)."""

TEXTS: dict[str, tuple[str, str]] = {
    "help-bundle": ("生成离线安装包。得到一个文件夹（及同名 .zip），内含 xltools 和它需要的全部 wheel（Python 3.10–3.13，"
                    "可用 --python 只选其中几个）、Excel 加载项（Windows）、按当前用户安装的脚本（不需要管理员权限，"
                    "不需要网络）、卸载脚本和安装说明。生成时需要网络（软件包索引或 pip 配置的镜像）。",
                    "Build an offline installer. It is a folder (and a .zip of it) holding xltools and every wheel it "
                    "needs (Python 3.10–3.13, or those given with --python), the Excel add-in (Windows), per-user "
                    "install and uninstall scripts (no administrator rights, no network) and the installation notes. "
                    "Building needs the network (the package index or the mirror pip is configured with)."),
    # progress (stderr) and the result
    "bundle-step-wheel": ("生成 xltools 的 wheel……", "Building the xltools wheel…"),
    "bundle-step-sdist": ("{name} 在索引上只有源码包，生成它的 wheel……",
                          "{name} has only a source package on the index: building its wheel…"),
    "bundle-step-download": ("下载 Python {python}（{platform}）所需的 wheel……",
                             "Downloading the wheels for Python {python} ({platform})…"),
    "bundle-step-extra": ("补充 Python {python} 在 {platform} 上另外需要的：{names}",
                          "Adding what Python {python} on {platform} needs besides: {names}"),
    "bundle-step-addin": ("生成 Excel 加载项……", "Building the Excel add-in…"),
    "bundle-built": ("离线安装包已生成：{folder}（{wheels} 个 wheel，Python {pythons}，{platform}）和 {zip}。"
                     "把文件夹或 .zip 复制到目标电脑，按其中的“安装说明.txt”安装。",
                     "Built the offline installer {folder} ({wheels} wheels, Python {pythons}, {platform}) and {zip}. "
                     "Copy the folder or the .zip to the target computer and follow its 安装说明.txt."),
    # errors
    "bundle-bad-platform": ("不支持的平台 {platform}：可用 {choices}。", "Unsupported platform {platform}: use {choices}."),
    "bundle-bad-python": ("不支持的 Python 版本 {python}：可用 {choices}。",
                          "Unsupported Python version {python}: use {choices}."),
    "bundle-not-empty": ("输出文件夹 {folder} 已存在且不是 xltools 安装包：请换一个文件夹名或先清空它。",
                         "The output folder {folder} exists and is not an xltools installer: choose another name or "
                         "empty it first."),
    "bundle-no-source": ("找不到 xltools 的源代码（{folder} 中没有 xltools-renwu 的 setup.cfg）：请在仓库目录中用 "
                         "pip install -e . 安装后生成，或用 --source 指定仓库目录。",
                         "xltools' source is not found ({folder} holds no setup.cfg of xltools-renwu): install it from "
                         "the repository with pip install -e ., or give the repository with --source."),
    "bundle-no-network": ("无法连接软件包索引（PyPI 或 pip 配置的镜像），生成安装包需要网络：请在能上网的电脑上运行，"
                          "或配置可用的镜像（pip config set global.index-url …）。（pip：{detail}）",
                          "Cannot reach the package index (PyPI or the mirror pip is configured with); building the "
                          "installer needs the network: run it on a computer online, or configure a mirror (pip "
                          "config set global.index-url …). (pip: {detail})"),
    "bundle-pip-failed": ("pip 未能完成（{step}）：{detail}", "pip failed ({step}): {detail}"),
    "bundle-no-binary": ("{name} 没有适用于 {platform} 的二进制包（wheel），也不能生成纯 Python 的 wheel，无法放入安装包。",
                         "{name} has no binary package (wheel) for {platform} and no pure-Python wheel can be built: it "
                         "cannot go into the installer."),
    "bundle-incomplete": ("安装包不完整：Python {python}（{platform}）还缺少 {names}。",
                          "The installer is incomplete: Python {python} ({platform}) still lacks {names}."),
    # install and uninstall scripts (single-line messages)
    "bundle-sh-no-python": ("没有找到 Python {pythons}：请先安装其中一个版本（Debian/Ubuntu 还需要 python3-venv），"
                            "或用 PYTHON=/path/to/python3 sh install.sh 指定。",
                            "Python {pythons} not found: install one of them first (on Debian/Ubuntu with "
                            "python3-venv), or name it: PYTHON=/path/to/python3 sh install.sh."),
    "bundle-ps-no-python": ("没有找到 Python {pythons}：请先从 python.org 安装其中一个版本（安装时不勾选“为所有用户安装”，"
                            "不需要管理员权限），再运行本脚本。",
                            "Python {pythons} not found: install one of them from python.org first (leave 'Install for "
                            "all users' unticked: no administrator rights needed), then run this again."),
    "bundle-script-venv": ("在 {place} 建立 xltools 的虚拟环境……", "Making the xltools virtual environment in {place}…"),
    "bundle-script-venv-failed": ("无法建立虚拟环境（{place}）。Debian/Ubuntu 上缺 venv 模块时需由管理员安装 "
                                  "python3-venv。",
                                  "Could not make the virtual environment ({place}). On Debian/Ubuntu an administrator "
                                  "must install python3-venv."),
    "bundle-script-in-use": ("无法删除 {place}：请先关闭 Excel 和正在运行的 xltools，再运行本脚本。",
                             "Cannot remove {place}: close Excel and any running xltools, then run this again."),
    "bundle-script-pip": ("从本安装包安装 xltools（不使用网络）……", "Installing xltools from this bundle (no network)…"),
    "bundle-script-pip-failed": ("安装失败：本安装包中缺少本机 Python 需要的文件，请把上面的提示发给技术人员。",
                                 "Installation failed: this bundle lacks a file this Python needs; send the messages "
                                 "above to your technician."),
    "bundle-script-addin": ("安装 Excel 加载项……", "Installing the Excel add-in…"),
    "bundle-script-addin-failed": ("xltools 已安装，但加载项安装失败：请关闭 Excel 后重新运行本脚本。",
                                   "xltools is installed but the add-in is not: close Excel and run this again."),
    "bundle-script-done-windows": ("安装完成。请重新打开 Excel，功能区会出现“任务工具”选项卡。",
                                   "Done. Open Excel again: the 任务工具 tab is on the ribbon."),
    "bundle-script-done-linux": ("安装完成：命令 {launcher}（~/.local/bin 不在 PATH 中时请把它加入 PATH）。",
                                 "Done: the command is {launcher} (add ~/.local/bin to PATH if it is not there)."),
    "bundle-script-removed": ("xltools 已卸载。个人文件（单位名录等）仍在 {home}，不需要时可手动删除。",
                              "xltools is uninstalled. Your own files (the unit registry…) stay in {home}; delete "
                              "them by hand if you no longer need them."),
    "bundle-script-launcher": ("桌面上已放置“任务工具”：没有 Excel（用 WPS）时双击它，在浏览器中使用同样的功能。",
                               "A 任务工具 launcher is on the desktop: without Excel (with WPS), double-click it to use "
                               "the same functions in the browser."),
    # 安装说明.txt
    "bundle-readme-windows": (
        "xltools 离线安装包（Windows 64 位）\n"
        "\n"
        "用于没有网络、没有管理员权限的办公电脑：安装只写入当前用户自己的文件夹，不需要网络。\n"
        "\n"
        "安装前\n"
        "  本机要有 Python {pythons} 中的一个版本。没有时从 python.org 下载安装程序，安装时不勾选“Install for all users”"
        "（为所有用户安装），就不需要管理员权限。\n"
        "\n"
        "安装\n"
        "  1. 关闭 Excel。\n"
        "  2. 把整个文件夹复制到本机（先解压 .zip，不要在压缩包里直接运行），双击“安装.bat”。\n"
        "  3. 看到“安装完成”后重新打开 Excel，功能区出现“任务工具”选项卡。\n"
        "  程序装在 %LOCALAPPDATA%\\xltools\\venv（命令行程序是其中的 Scripts\\xltools.exe）；加载项 xltools.xlam "
        "由 xltools addin install 生成，放在 Excel 的启动文件夹 %APPDATA%\\Microsoft\\Excel\\XLSTART。\n"
        "  再次运行“安装.bat”会重新安装（例如换了新的安装包）。\n"
        "\n"
        "只有 WPS、没有 Excel 时\n"
        "  安装脚本在桌面放了“任务工具.bat”（在安装加载项之前放置，没有 Excel 也有）：双击它，浏览器打开任务工具页面，"
        "按钮与 Excel 选项卡相同；关闭随之出现的黑色窗口即停止。\n"
        "\n"
        "单位禁止运行 PowerShell 脚本时\n"
        "  打开“命令提示符”，用 cd 进入本文件夹，依次运行（3.11 换成本机 Python 的版本）：\n"
        "    py -3.11 -m venv \"%LOCALAPPDATA%\\xltools\\venv\"\n"
        "    \"%LOCALAPPDATA%\\xltools\\venv\\Scripts\\python.exe\" -m pip install --no-index --find-links wheels "
        "xltools-renwu\n"
        "    \"%LOCALAPPDATA%\\xltools\\venv\\Scripts\\xltools.exe\" addin install\n"
        "\n"
        "卸载\n"
        "  关闭 Excel，双击“卸载.bat”：删除 %LOCALAPPDATA%\\xltools 和启动文件夹中的 xltools.xlam。个人文件（单位名录等）"
        "在 %USERPROFILE%\\.xltools，需要时手动删除。\n"
        "\n"
        "文件夹中的 xltools.xlam 是同一加载项的副本，供查看或手动加载；从网络或邮件得到的副本会被 Windows 阻止宏，"
        "所以安装脚本在本机重新生成它。wheels 文件夹中是 xltools 和它需要的全部软件包。\n",
        "xltools offline installer (Windows x64)\n"
        "\n"
        "For office computers without network or administrator rights: it installs into the current user's own "
        "folders and needs no network.\n"
        "\n"
        "Before\n"
        "  Python {pythons} must be installed. If it is not, take the installer from python.org and leave "
        "'Install for all users' unticked: no administrator rights are needed.\n"
        "\n"
        "Install\n"
        "  1. Close Excel.\n"
        "  2. Copy the whole folder to this computer (unzip the .zip first) and double-click 安装.bat.\n"
        "  3. When it says it is done, open Excel: the 任务工具 tab is on the ribbon.\n"
        "  xltools goes to %LOCALAPPDATA%\\xltools\\venv (the command is Scripts\\xltools.exe there); the add-in "
        "xltools.xlam is made by xltools addin install in Excel's start-up folder "
        "%APPDATA%\\Microsoft\\Excel\\XLSTART.\n"
        "  Running 安装.bat again installs afresh (a newer bundle, for instance).\n"
        "\n"
        "With WPS and no Excel\n"
        "  The install script puts 任务工具.bat on the desktop (before the add-in step, so it is there without Excel too): "
        "double-click it and the browser opens the task tools page, with the ribbon's buttons; close the black "
        "window that comes with it to stop.\n"
        "\n"
        "If PowerShell scripts are not allowed here\n"
        "  Open a Command Prompt, cd into this folder and run (3.11: your Python's version):\n"
        "    py -3.11 -m venv \"%LOCALAPPDATA%\\xltools\\venv\"\n"
        "    \"%LOCALAPPDATA%\\xltools\\venv\\Scripts\\python.exe\" -m pip install --no-index --find-links wheels "
        "xltools-renwu\n"
        "    \"%LOCALAPPDATA%\\xltools\\venv\\Scripts\\xltools.exe\" addin install\n"
        "\n"
        "Uninstall\n"
        "  Close Excel and double-click 卸载.bat: it removes %LOCALAPPDATA%\\xltools and xltools.xlam from the "
        "start-up folder. Your own files (the unit registry…) stay in %USERPROFILE%\\.xltools.\n"
        "\n"
        "The xltools.xlam in this folder is a copy of the same add-in, to look at or load by hand; Windows blocks "
        "the macros of a copy that came from the network or e-mail, so the install script makes it afresh here. "
        "The wheels folder holds xltools and every package it needs.\n"),
    "bundle-readme-linux": (
        "xltools 离线安装包（Linux x86-64）\n"
        "\n"
        "安装只写入当前用户的主目录，不需要 root，不需要网络。\n"
        "\n"
        "安装前：本机要有 Python {pythons} 中的一个版本和它的 venv 模块（Debian/Ubuntu：python3-venv）。\n"
        "安装：在本文件夹中运行  sh install.sh\n"
        "  程序装在 ~/.local/share/xltools/venv，命令是 ~/.local/bin/xltools。\n"
        "  指定 Python：PYTHON=/usr/bin/python3.11 sh install.sh\n"
        "  再次运行会重新安装。\n"
        "WPS（麒麟、统信 UOS 等信创电脑）：安装后桌面和应用菜单中有“任务工具”，双击即在浏览器中打开任务工具页面；"
        "关闭随之出现的终端窗口即停止。\n"
        "卸载：sh uninstall.sh（个人文件在 ~/.xltools，需要时手动删除）。\n",
        "xltools offline installer (Linux x86-64)\n"
        "\n"
        "It installs into your home folder only: no root, no network.\n"
        "\n"
        "Before: Python {pythons} with its venv module (Debian/Ubuntu: python3-venv).\n"
        "Install: in this folder run  sh install.sh\n"
        "  xltools goes to ~/.local/share/xltools/venv, the command is ~/.local/bin/xltools.\n"
        "  Another Python: PYTHON=/usr/bin/python3.11 sh install.sh\n"
        "  Running it again installs afresh.\n"
        "WPS (Kylin, UOS…): the desktop and the applications menu get 任务工具; double-click it to open the task "
        "tools page in the browser; close the terminal window that comes with it to stop.\n"
        "Uninstall: sh uninstall.sh (your own files in ~/.xltools stay).\n"),
}

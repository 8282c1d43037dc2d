"""The default suite (`make test`) needs no system program beyond Python itself.

A fresh machine has Python 3.11+, venv and make; the suite once called poppler's pdftotext and
failed there with FileNotFoundError. Tests read PDFs with pypdf (tests/pdf_text.py) and run
commands only as ``[sys.executable, ...]``. The browser suite (tests/e2e) installs its own tools
and is left out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}
OS_CALLS = {"system", "popen", "execv", "execvp", "execl", "execlp", "spawnv", "spawnvp"}


def default_suite_sources() -> list[Path]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    files = {ROOT / "conftest.py"}
    for testpath in config["testpaths"]:
        for path in (ROOT / testpath).rglob("*.py"):
            if "e2e" in path.relative_to(ROOT).parts or ".venv" in path.parts:
                continue
            if path.name.startswith("test_") or path.name == "conftest.py" or path.parent.name == "tests":
                files.add(path)
    return sorted(files)


def _is_sys_executable(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "executable" and _name(node.value) == "sys"


def _name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def external_programs(source: str) -> list[str]:
    """Describe each call in ``source`` that could start a program other than this Python.

    Accepted: ``subprocess.<call>([sys.executable, ...])``. Reported: any other command given to
    subprocess or os, and ``shutil.which(...)`` (a test that looks for a program either needs it or
    silently skips on a fresh machine).
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        module, function = _name(node.func.value), node.func.attr
        line = f"line {node.lineno}: {module}.{function}"
        if module == "shutil" and function == "which":
            found.append(f"{line}({ast.unparse(node.args[0]) if node.args else ''})")
        elif module == "os" and function in OS_CALLS:
            found.append(line)
        elif module == "subprocess" and function in SUBPROCESS_CALLS:
            command = node.args[0] if node.args else None
            if not (
                isinstance(command, ast.List | ast.Tuple)
                and command.elts
                and _is_sys_executable(command.elts[0])
            ):
                found.append(f"{line}({ast.unparse(command) if command else ''})")
    return found


def test_the_checker_reports_a_system_program_and_accepts_python_itself():
    source = (
        "import shutil, subprocess, sys, os\n"
        "subprocess.run(['pdftotext', 'a.pdf', '-'])\n"
        "subprocess.run([sys.executable, 'manage.py', 'check'])\n"
        "shutil.which('pdfinfo')\n"
        "os.system('msgfmt x.po')\n"
    )
    assert external_programs(source) == [
        "line 2: subprocess.run(['pdftotext', 'a.pdf', '-'])",
        "line 4: shutil.which('pdfinfo')",
        "line 5: os.system",
    ]


def test_the_default_suite_is_scanned():
    sources = {path.relative_to(ROOT).as_posix() for path in default_suite_sources()}
    assert "tests/test_settings.py" in sources  # runs manage.py with sys.executable
    assert "attendance/tests/test_documents.py" in sources
    assert not any(path.startswith("tests/e2e/") for path in sources)


def test_default_suite_starts_no_system_program():
    offenders = {
        path.relative_to(ROOT).as_posix(): calls
        for path in default_suite_sources()
        if (calls := external_programs(path.read_text()))
    }
    assert offenders == {}, (
        "these tests start a program a fresh machine may not have; read PDFs with tests.pdf_text "
        "(pypdf) and run commands as [sys.executable, ...]"
    )

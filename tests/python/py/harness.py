"""Runs the Python-level test cases one at a time, inside Pyodide (from Vitest) or under
a local CPython (``python3 tests/python/py/harness.py [module ...]``) for fast iteration."""

from __future__ import annotations

import importlib
import os
import sys
import traceback


def list_cases(module_name: str) -> list[str]:
    mod = importlib.import_module(module_name)
    return [n for n in vars(mod) if n.startswith("test_") and callable(getattr(mod, n))]


def run_case(module_name: str, case: str) -> str:
    """Run one case; return '' on success or the failure's traceback."""
    mod = importlib.import_module(module_name)
    try:
        getattr(mod, case)()
    except BaseException:  # noqa: BLE001 - reported
        return traceback.format_exc()
    return ""


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    sys.path.insert(0, os.path.join(here, "..", "..", "..", "src", "python", "py"))
    modules = argv or sorted(f[:-3] for f in os.listdir(here) if f.startswith("test_") and f.endswith(".py"))
    passed = failed = 0
    for m in modules:
        for case in list_cases(m):
            err = run_case(m, case)
            if err:
                failed += 1
                print(f"FAIL {m}.{case}\n{err}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

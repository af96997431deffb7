"""Fails when a pytest run skipped a test that tests/allowed-skips.txt does not allow.

Usage: python3 scripts/lib/check_skips.py tests/allowed-skips.txt RESULTS.xml...

Each RESULTS.xml is a pytest --junitxml report. A skip is allowed when its test id matches a
pattern of the allow-list (fnmatch) and its reason contains that line's reason text. Every skip
is printed either way, so a run always says what it did not test and why.
"""

import fnmatch
import sys
import xml.etree.ElementTree as ET


def allow_list(path):
    rules = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            sys.exit(f"{path}:{number}: expected 'test-id pattern | reason text it skips with | why that is acceptable'")
        rules.append(tuple(parts))
    return rules


def skips(report):
    for case in ET.parse(report).getroot().iter("testcase"):
        for skipped in case.findall("skipped"):
            test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
            yield test_id, skipped.get("message", "")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    rules = allow_list(argv[0])
    unexpected = []
    for report in argv[1:]:
        for test_id, reason in skips(report):
            allowed = any(fnmatch.fnmatch(test_id, pattern) and text in reason for pattern, text, _ in rules)
            print(f"{'allowed skip' if allowed else 'UNEXPECTED SKIP'}: {test_id}: {reason}")
            if not allowed:
                unexpected.append(test_id)
    if unexpected:
        print(f"{len(unexpected)} skip(s) not on {argv[0]}: make the test run, or add it there with the reason it may skip.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

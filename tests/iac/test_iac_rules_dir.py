"""The installed rules folder: what checkov --external-checks-dir needs.

checkov (BaseCheckRegistry.load_external_checks) skips folders without
__init__.py, imports every .py file under its bare file name (so names must
not clash with other modules), and reads YAML/JSON files in the folder as
graph policies (so there must be none).
"""
from __future__ import annotations

import re
import subprocess
import sys

import iamtest
from iamtest.iac.rules_dir import RULE_PREFIX


def test_checkov_rules_dir_is_the_rules_package():
    folder = iamtest.checkov_rules_dir()
    assert (folder / "__init__.py").is_file()
    rules = sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py")
    assert rules == ["iamtest_ckv_s3_bucket_vpce_lock.py", "iamtest_ckv_vpce_any_account.py",
                     "iamtest_ckv_vpce_exfiltration.py", "iamtest_ckv_vpce_full_access.py"]
    assert not [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json")]


def test_rule_ids_share_one_prefix_and_are_unique():
    folder = iamtest.checkov_rules_dir()
    ids = [re.search(r'^ID = "([^"]+)"', p.read_text(), re.M).group(1)
           for p in sorted(folder.glob("iamtest_ckv_*.py"))]
    assert all(i.startswith(RULE_PREFIX) for i in ids)
    assert sorted(ids) == ["CKV_IAMT_1", "CKV_IAMT_2", "CKV_IAMT_3", "CKV_IAMT_4"]


def test_rules_import_shared_logic_only_from_iamtest():
    for path in iamtest.checkov_rules_dir().glob("iamtest_ckv_*.py"):
        imports = re.findall(r"^(?:from|import) ([\w.]+)", path.read_text(), re.M)
        assert all(m.startswith(("checkov.", "iamtest.")) for m in imports), (path.name, imports)


def test_cli_prints_the_folder():
    out = subprocess.run([sys.executable, "-m", "iamtest", "checkov-rules-dir"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(iamtest.checkov_rules_dir())

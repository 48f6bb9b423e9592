"""The pre-commit hook (.pre-commit-hooks.yaml -> iamtest.report.precommit): the access
tests that use a changed file run, the others do not."""
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from iamtest.report.precommit import main, select, spec_files

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = Path(__file__).with_name("examples")


def _repo(tmp_path):
    """Two access-test files: gate uses policies/, tf uses a Terraform folder."""
    shutil.copytree(EXAMPLES / "policies", tmp_path / "policies")
    shutil.copyfile(EXAMPLES / "gate.yaml", tmp_path / "gate.iamtest.yaml")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text('''
resource "aws_vpc_endpoint" "s3" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  })
}
''')
    (tmp_path / "tf.iamtest.yaml").write_text('''
policies:
  identity: allow-all
  endpoint: {terraform: infra, address: aws_vpc_endpoint.s3}
cases:
  - name: reads through the endpoint
    principal: arn:aws:iam::111122223333:role/App
    action: s3:GetObject
    resource: arn:aws:s3:::b/k
    expect: allow
''')
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.iamtest.yaml").write_text("cases: []\n")
    return tmp_path


def names(paths):
    return sorted(p.name for p in paths)


def test_access_test_files_are_found_outside_hidden_folders(tmp_path):
    root = _repo(tmp_path)
    assert names(spec_files(root)) == ["gate.iamtest.yaml", "tf.iamtest.yaml"]


def test_a_changed_policy_selects_the_files_that_name_it(tmp_path):
    root = _repo(tmp_path)
    assert names(select(["policies/endpoint.json"], root)) == ["gate.iamtest.yaml"]
    assert names(select(["infra/main.tf"], root)) == ["tf.iamtest.yaml"]
    assert names(select(["tf.iamtest.yaml"], root)) == ["tf.iamtest.yaml"]
    assert names(select(["README.md", "other.json"], root)) == []


def test_an_unreadable_access_test_file_always_runs(tmp_path):
    root = _repo(tmp_path)
    (root / "broken.iamtest.yaml").write_text("cases: {not: a list}\n")
    assert names(select(["README.md"], root)) == ["broken.iamtest.yaml"]


def test_main_runs_pytest_on_the_selection_and_returns_its_status(tmp_path, monkeypatch):
    root = _repo(tmp_path)
    monkeypatch.chdir(root)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    run = subprocess.run([sys.executable, "-m", "iamtest.report.precommit", "infra/main.tf"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    run = subprocess.run([sys.executable, "-m", "iamtest.report.precommit",
                          "policies/endpoint.json"], capture_output=True, text=True)
    assert run.returncode == 1 and "2 failed, 1 passed" in run.stdout   # gate has two failures
    assert main(["README.md"]) == 0


def test_the_hook_definitions_call_the_module():
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"iamtest", "iamtest-all"}
    assert hooks["iamtest"]["entry"] == "python -m iamtest.report.precommit"
    assert hooks["iamtest"]["pass_filenames"] is True
    assert hooks["iamtest-all"]["entry"].endswith("--all")
    assert hooks["iamtest"]["language"] == "python"

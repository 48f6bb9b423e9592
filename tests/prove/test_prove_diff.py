"""``iamtest diff BASE [PATH...]`` on temporary git repositories.

AWS grants what a policy allows; a change adds access exactly when some
request is allowed after it and was not before. Refactors (reordering,
splitting, renaming Sids, an account id for its ``:root`` ARN, another case
of an action name) add none and must say so.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from iamtest.cli import main

V = "2012-10-17"
PARTNER = "444455556666"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def write(repo: Path, name: str, doc) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) if not isinstance(doc, str) else doc)


def commit(repo: Path) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return git(repo, "rev-parse", "HEAD").strip()


def bucket_policy(*statements):
    return {"Version": V, "Statement": list(statements)}


SHARED = {"Sid": "PartnerReads", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}


def run(capsys, *args):
    code = main(["diff", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_change_that_adds_access_exits_1_with_findings(repo, capsys):
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    base = commit(repo)
    wider = dict(SHARED, Action=["s3:GetObject", "s3:ListBucket"], Resource=["arn:aws:s3:::shared",
                                                                            "arn:aws:s3:::shared/*"])
    write(repo, "buckets/shared.json", bucket_policy(wider))
    code, out, _ = run(capsys, base)
    assert code == 1
    assert "buckets/shared.json: resource policy" in out and "adds access" in out
    assert f"principals of account {PARTNER}" in out and "s3:ListBucket" in out
    assert "example:" in out and "granted by: statement 'PartnerReads' (buckets/shared.json:" in out


def test_a_refactor_adds_nothing_and_says_so(repo, capsys):
    # Same grants, written differently: reordered and split statements, new Sids, the account id
    # instead of its :root ARN, another case of the action names.
    deny = {"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::shared/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    both = dict(SHARED, Action=["s3:GetObject", "s3:GetObjectVersion"])
    write(repo, "buckets/shared.json", bucket_policy(both, deny))
    base = commit(repo)
    split = [dict(SHARED, Sid="Read", Principal={"AWS": PARTNER}, Action="S3:GETOBJECT"),
             dict(SHARED, Sid="ReadVersions", Action="s3:getobjectversion")]
    write(repo, "buckets/shared.json", bucket_policy(dict(deny, Sid="TLSOnly"), *split))
    code, out, _ = run(capsys, base)
    assert code == 0, out
    assert "no new access: the new version allows exactly what the old one allowed" in out


def test_removing_access_is_no_new_access(repo, capsys):
    write(repo, "buckets/shared.json", bucket_policy(dict(SHARED, Action=["s3:GetObject", "s3:PutObject"])))
    base = commit(repo)
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    code, out, _ = run(capsys, base)
    assert code == 0
    assert "no new access; access was removed, for example:" in out and "s3:PutObject" in out


def test_a_new_policy_file_is_compared_with_no_policy(repo, capsys):
    write(repo, "README.md", "policies")
    base = commit(repo)
    write(repo, "roles/app.json", {"Version": V, "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}]})
    code, out, _ = run(capsys, base)
    assert code == 1
    assert "roles/app.json: identity policy (new file: compared with no policy)" in out
    assert "sqs:SendMessage" in out


def test_json_output(repo, capsys):
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    base = commit(repo)
    write(repo, "buckets/shared.json", bucket_policy(dict(SHARED, Resource="arn:aws:s3:::*")))
    code, out, _ = run(capsys, base, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["added_access"] is True and report["exit_code"] == 1
    entry = report["entries"][0]
    assert entry["path"] == "buckets/shared.json" and entry["status"] == "added"
    finding = entry["findings"][0]
    assert finding["resources"] == ["arn:aws:s3:::*"] and finding["example"]["action"] == "s3:GetObject"


def test_github_annotations_point_at_the_granting_line(repo, capsys, monkeypatch):
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    base = commit(repo)
    write(repo, "buckets/shared.json", bucket_policy(dict(SHARED, Resource="arn:aws:s3:::*")))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    code, out, _ = run(capsys, base)
    lines = [ln for ln in out.splitlines() if ln.startswith("::warning ")]
    assert code == 1 and lines
    assert lines[0].startswith("::warning file=buckets/shared.json,line=4,title=iamtest diff%3A new access::")


def test_access_test_files_compare_their_request_paths(repo, capsys):
    # The endpoint opens up; the access-test file's request path (role + endpoint) now lets the
    # role write to any bucket.
    write(repo, "roles/app.json", {"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                                "Resource": "*"}]})
    endpoint = {"Version": V, "Statement": [{"Sid": "Ours", "Effect": "Allow", "Principal": "*",
                                             "Action": "s3:*", "Resource": "arn:aws:s3:::ours/*"}]}
    write(repo, "endpoints/s3.json", endpoint)
    write(repo, "app.iamtest.yaml", "policies:\n  identity: roles/app.json\n  endpoint: endpoints/s3.json\n"
                                    "cases:\n  - name: reads ours\n"
                                    "    principal: arn:aws:iam::123456789012:role/App\n"
                                    "    action: s3:GetObject\n    resource: arn:aws:s3:::ours/k\n"
                                    "    resource_account: '123456789012'\n    expect: allow\n")
    base = commit(repo)
    endpoint["Statement"][0]["Resource"] = "*"
    write(repo, "endpoints/s3.json", endpoint)
    code, out, _ = run(capsys, base)
    assert code == 1
    assert "endpoints/s3.json: VPC endpoint policy" in out
    assert "app.iamtest.yaml: the file's policies" in out


def test_paths_limit_the_comparison(repo, capsys):
    write(repo, "a/p.json", bucket_policy(SHARED))
    write(repo, "b/p.json", bucket_policy(SHARED))
    base = commit(repo)
    write(repo, "b/p.json", bucket_policy(dict(SHARED, Resource="arn:aws:s3:::*")))
    assert run(capsys, base, "a")[0] == 0
    assert run(capsys, base, "b")[0] == 1


def test_errors_exit_2(repo, capsys):
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    base = commit(repo)
    code, _, err = run(capsys, "no-such-revision")
    assert code == 2 and "unknown revision 'no-such-revision'" in err
    write(repo, "buckets/shared.json", '{"Version": "2012-10-17", "Statement": [')
    code, out, _ = run(capsys, base)
    assert code == 2 and "buckets/shared.json" in out and "error:" in out


def test_an_unchanged_repository_has_nothing_to_compare(repo, capsys):
    write(repo, "buckets/shared.json", bucket_policy(SHARED))
    base = commit(repo)
    write(repo, "buckets/shared.json", json.dumps(bucket_policy(SHARED), indent=4))  # layout only
    code, out, _ = run(capsys, base)
    assert code == 0 and "no policy or access-test file changed" in out

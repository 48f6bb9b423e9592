"""iamtest's checkov rules: pass this folder to ``checkov --external-checks-dir``.

Find it with ``iamtest checkov-rules-dir`` or ``iamtest.checkov_rules_dir()``.
Each file holds one rule (a Terraform and a CloudFormation check with the same
id); the logic lives in :mod:`iamtest.iac`.
"""

"""What the infrastructure-code readers produce: a document or an error.

Both name the place in the infrastructure file: ``LoadedDocument.locations``
maps paths inside the policy document to lines of that file, and ``IacError``
carries the file, line and expression that could not be read statically.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

Path = Tuple[Any, ...]


@dataclass(frozen=True)
class LoadedDocument:
    """A policy document read from infrastructure code.

    ``doc`` is the policy as AWS receives it, ``locations`` maps path tuples
    inside ``doc`` (``("Statement", 0, "Effect")``) to 1-based lines of the
    infrastructure file named in ``source``; ``source`` is a label such as
    ``infra/main.tf:12 aws_vpc_endpoint.s3.policy``.
    """

    doc: Dict[str, Any]
    locations: Dict[Path, int] = field(default_factory=dict)
    source: str = ""

    @property
    def file(self) -> str:
        """The infrastructure file the document was read from (the label's first part)."""
        return self.source.split(" ", 1)[0].rsplit(":", 1)[0]


class IacError(Exception):
    """A value in infrastructure code that cannot be read statically, or a bad reference.

    ``str(error)`` reads ``infra/main.tf:14: cannot resolve var.bucket_arn
    statically (no default and not set in 'variables')``.
    """

    def __init__(self, path: str, line: Optional[int], message: str,
                 expression: Optional[str] = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        self.expression = expression
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def unresolvable(path: str, line: Optional[int], expression: str, why: str) -> IacError:
    """The standard error for an expression with no static value."""
    return IacError(path, line, f"cannot resolve {expression} statically ({why})", expression)

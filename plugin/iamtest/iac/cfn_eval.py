"""Static evaluation of CloudFormation intrinsic functions.

Resolves what the template fixes by itself: parameters (``Default`` or a
value given by the caller), ``Fn::Sub``, ``Fn::Join``, ``Fn::Select``,
``Fn::Split``, ``Fn::If`` with the template's ``Conditions``,
``Fn::FindInMap``, ``Fn::ToJsonString`` and ``AWS::NoValue``. Pseudo
parameters (``AWS::AccountId``, ``AWS::Region``, ...) have no static value:
they must be given. ``Ref``/``Fn::GetAtt`` to a resource resolve only where
the value follows from properties written in the template (an S3 bucket's or
IAM role's name and ARN); everything else is an :class:`IacError`.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Tuple

from . import locs as L
from .errors import IacError, unresolvable
from .hcl_functions import JsonText

Value = Tuple[Any, L.Locs]
PSEUDO = ("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
          "AWS::StackId", "AWS::NotificationARNs")
NOT_STATIC = {
    "Fn::GetAZs": "it depends on the account and Region",
    "Fn::ImportValue": "it reads another stack's export",
    "Fn::Base64": "it is not evaluated",
    "Fn::Cidr": "it is not evaluated",
    "Fn::Transform": "macros run at deploy time",
    "Fn::GetStackOutput": "it reads another stack",
}
_SUB = re.compile(r"\$\{([^}]*)\}")


class _NoValue:
    """``!Ref AWS::NoValue``: the property or list item is removed."""


NO_VALUE = _NoValue()


class CfnEvaluator:
    def __init__(self, template: Dict[str, Any], label: str, parameters: Dict[str, Any]) -> None:
        self.template = template
        self.label = label
        self.parameters = dict(parameters or {})
        self._conditions: Dict[str, bool] = {}
        self._active: List[str] = []
        declared = template.get("Parameters") or {}
        unknown = sorted(k for k in self.parameters if k not in declared and k not in PSEUDO)
        if unknown:
            raise IacError(label, None, f"'parameters' sets {', '.join(unknown)}, which the template "
                           f"does not declare (declared: {', '.join(sorted(declared)) or 'none'})")

    # -- values -----------------------------------------------------------------
    def value(self, value: Any, locs: L.Locs) -> Value:
        """``value`` with every intrinsic function resolved."""
        line = locs.get((), None)
        if isinstance(value, dict):
            if len(value) == 1:
                (key, arg), = value.items()
                if key == "Ref" or key.startswith("Fn::"):
                    return self._function(key, arg, L.nested(locs, key), line)
            out, out_locs = {}, {(): line} if line else {}
            for key, item in value.items():
                item_value, item_locs = self.value(item, L.nested(locs, key))
                if item_value is not NO_VALUE:
                    out[key] = item_value
                    out_locs.update(L.under(item_locs, key))
            return out, out_locs
        if isinstance(value, list):
            out_list, out_locs = [], {(): line} if line else {}
            for i, item in enumerate(value):
                item_value, item_locs = self.value(item, L.nested(locs, i))
                if item_value is not NO_VALUE:
                    out_locs.update(L.under(item_locs, len(out_list)))
                    out_list.append(item_value)
            return out_list, out_locs
        return value, locs

    def _function(self, name: str, arg: Any, locs: L.Locs, line: Any) -> Value:
        shown = _show(name, arg)
        if name in NOT_STATIC:
            raise unresolvable(self.label, line, shown, NOT_STATIC[name])
        handler = getattr(self, "_" + name.replace("Fn::", "fn_").lower(), None)
        if handler is None:
            raise unresolvable(self.label, line, shown, f"{name} is not evaluated")
        return handler(arg, locs, line, shown)

    def _args(self, arg: Any, locs: L.Locs, count: int, shown: str, line: Any) -> List[Any]:
        values, _ = self.value(arg, locs)
        if not isinstance(values, list) or len(values) < count:
            raise IacError(self.label, line, f"{shown}: expected a list of {count} arguments")
        return values

    def _ref(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        if not isinstance(arg, str):
            raise IacError(self.label, line, f"{shown}: Ref takes a name")
        if arg == "AWS::NoValue":
            return NO_VALUE, L.at(line)
        return self.name_value(arg, line, f"!Ref {arg}"), L.at(line)

    def name_value(self, name: str, line: Any, shown: str) -> Any:
        """The value of a parameter, pseudo parameter or resource name."""
        params = self.template.get("Parameters") or {}
        if name in self.parameters:
            return self._typed(name, self.parameters[name], params.get(name) or {})
        if name in params:
            decl = params[name] if isinstance(params[name], dict) else {}
            if "Default" not in decl:
                raise unresolvable(self.label, line, shown, "no Default and not set in 'parameters'")
            return self._typed(name, decl["Default"], decl)
        if name in PSEUDO:
            raise unresolvable(self.label, line, shown, f"{name} is known at deploy time; set it in "
                               "'parameters'")
        resources = self.template.get("Resources") or {}
        if name in resources:
            from .cfn_resources import ref_value

            return ref_value(self, name, resources[name], line, shown)
        raise IacError(self.label, line, f"{shown}: no parameter or resource {name!r}", shown)

    def _typed(self, name: str, value: Any, decl: Dict[str, Any]) -> Any:
        ptype = str(decl.get("Type", "String"))
        if (ptype == "CommaDelimitedList" or ptype.startswith("List<")) and isinstance(value, str):
            return [item.strip() for item in value.split(",")]
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, list) else str(value)

    def _fn_sub(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        names: Dict[str, Any] = {}
        template_locs = locs
        if isinstance(arg, list):
            if len(arg) != 2 or not isinstance(arg[1], dict):
                raise IacError(self.label, line, f"{shown}: expected [string, {{name: value}}]")
            template, template_locs = arg[0], L.nested(locs, 0)
            mapping, _ = self.value(arg[1], L.nested(locs, 1))
            names = mapping
        else:
            template = arg
        if not isinstance(template, str):
            raise IacError(self.label, line, f"{shown}: the template must be a string")

        def one(match: "re.Match[str]") -> str:
            body = match.group(1)
            if body.startswith("!"):
                return "${" + body[1:] + "}"
            key = body.strip()
            if key in names:
                value = names[key]
            elif "." in key and not key.startswith("AWS::"):
                resource, _, attribute = key.partition(".")
                value, _ = self._fn_getatt([resource, attribute], {}, line, "${" + key + "}")
            else:
                value = self.name_value(key, line, "${" + key + "}")
            if isinstance(value, (list, dict)) or value is NO_VALUE:
                raise IacError(self.label, line, f"{shown}: ${{{key}}} is not a string")
            return str(value)

        text = _SUB.sub(one, template)
        out_locs = dict(template_locs)
        out_locs[()] = line
        return text, out_locs

    def _fn_join(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        delimiter, items = self._args(arg, locs, 2, shown, line)[:2]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise IacError(self.label, line, f"{shown}: expected a list of strings to join")
        return str(delimiter).join(items), L.at(line)

    def _fn_split(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        delimiter, text = self._args(arg, locs, 2, shown, line)[:2]
        if not isinstance(text, str):
            raise IacError(self.label, line, f"{shown}: expected a string to split")
        return text.split(str(delimiter)), L.at(line)

    def _fn_select(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        index, items = self._args(arg, locs, 2, shown, line)[:2]
        try:
            return items[int(index)], L.at(line)
        except (ValueError, TypeError, IndexError, KeyError):
            raise IacError(self.label, line, f"{shown}: no item {index!r}") from None

    def _fn_if(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            raise IacError(self.label, line, f"{shown}: expected [condition, value if true, value if false]")
        pick = 1 if self.condition(arg[0], line) else 2
        return self.value(arg[pick], L.nested(locs, pick))

    def _fn_findinmap(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        values = self._args(arg, locs, 3, shown, line)
        mappings = self.template.get("Mappings") or {}
        try:
            found = mappings[values[0]][values[1]][values[2]]
        except (KeyError, TypeError):
            if len(values) > 3 and isinstance(values[3], dict) and "DefaultValue" in values[3]:
                return values[3]["DefaultValue"], L.at(line)
            raise IacError(self.label, line, f"{shown}: no such entry in Mappings") from None
        return self.value(found, L.at(line))[0], L.at(line)

    def _fn_getatt(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2:
            raise IacError(self.label, line, f"{shown}: expected [resource, attribute]")
        resource, attribute = arg[0], arg[1]
        resources = self.template.get("Resources") or {}
        if resource not in resources:
            raise IacError(self.label, line, f"{shown}: no resource {resource!r}", shown)
        from .cfn_resources import getatt_value

        return getatt_value(self, resource, resources[resource], str(attribute), line, shown), L.at(line)

    def _fn_tojsonstring(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        value, value_locs = self.value(arg, locs)
        return JsonText(value, L.expand(value, value_locs)), L.at(line)

    def _fn_length(self, arg: Any, locs: L.Locs, line: Any, shown: str) -> Value:
        value, _ = self.value(arg, locs)
        if not isinstance(value, list):
            raise IacError(self.label, line, f"{shown}: expected a list")
        return len(value), L.at(line)

    # -- conditions ---------------------------------------------------------------
    def condition(self, name: str, line: Any) -> bool:
        if name in self._conditions:
            return self._conditions[name]
        conditions = self.template.get("Conditions") or {}
        if name not in conditions:
            raise IacError(self.label, line, f"no condition {name!r} in Conditions")
        if name in self._active:
            raise IacError(self.label, line, f"condition cycle: {' -> '.join(self._active + [name])}")
        self._active.append(name)
        try:
            result = self._truth(conditions[name], line)
        finally:
            self._active.pop()
        self._conditions[name] = result
        return result

    def _truth(self, expr: Any, line: Any) -> bool:
        if isinstance(expr, dict) and len(expr) == 1:
            (key, arg), = expr.items()
            if key == "Condition":
                return self.condition(str(arg), line)
            if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
                left, _ = self.value(arg[0], L.at(line))
                right, _ = self.value(arg[1], L.at(line))
                return _cfn_str(left) == _cfn_str(right)
            if key == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
                return not self._truth(arg[0], line)
            if key == "Fn::And" and isinstance(arg, list):
                return all(self._truth(a, line) for a in arg)
            if key == "Fn::Or" and isinstance(arg, list):
                return any(self._truth(a, line) for a in arg)
        if isinstance(expr, bool):
            return expr
        raise IacError(self.label, line, f"cannot evaluate the condition {_show('', expr)}")


def _cfn_str(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, (list, dict)) else str(value)


def _show(name: str, arg: Any) -> str:
    """An intrinsic call written the short way, for messages."""
    short = name.replace("Fn::", "")
    if isinstance(arg, str):
        return f"!{short} {arg}" if short else arg
    try:
        text = json.dumps(arg, separators=(", ", ": "))
    except (TypeError, ValueError):
        text = str(arg)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"!{short} {text}" if short else text

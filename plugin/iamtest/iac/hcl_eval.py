"""Static evaluation of Terraform expressions, with the line of every part.

Evaluates what a configuration fixes by itself: literals, templates, input
variables (defaults, ``*.tfvars`` or values given by the caller), locals,
``jsonencode``, ``data.aws_iam_policy_document`` documents, attributes that a
resource sets literally, and pure functions. Anything Terraform only learns at
plan or apply time is an :class:`IacError` naming the file, line and
expression: it is never passed on as text.

Values are Python values (str, int, float, bool, None, list, dict) paired
with a line map (see :mod:`iamtest.iac.locs`). A value reached through a
reference takes the line of the reference.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from lark import Token, Tree

from . import hcl_template, locs as L
from .errors import IacError, unresolvable
from .hcl import Module, SourceFile, parse_text
from .hcl_functions import FUNCTIONS, MAX_VALUE, NOT_STATIC, FunctionError, JsonText, to_string

Value = Tuple[Any, L.Locs]

#: How deep expressions may nest while being evaluated (through brackets,
#: calls, templates and references); real configurations need a few dozen.
MAX_DEPTH = 100
#: The most digits a whole number may have (Terraform's numbers hold 512 bits,
#: about 155 decimal digits).
MAX_DIGITS = 1000
_TOO_MANY_DIGITS = 10 ** MAX_DIGITS

# Terraform's binary operator precedence, loosest first.
_PRECEDENCE = [("||",), ("&&",), ("==", "!="), (">", ">=", "<", "<="), ("+", "-"), ("*", "/", "%")]
_LEVEL = {op: i for i, ops in enumerate(_PRECEDENCE) for op in ops}


@dataclass(frozen=True)
class Ctx:
    """Where an expression tree came from: its file, the text its positions index, a line offset."""

    file: SourceFile
    text: str
    offset: int = 0

    def line(self, node: Any) -> int:
        meta_line = node.line if isinstance(node, Token) else node.meta.line
        return (meta_line or 1) + self.offset

    def source(self, node: Any) -> str:
        if isinstance(node, Token):
            return str(node)
        meta = node.meta
        return " ".join(self.text[meta.start_pos: meta.end_pos].split())


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _is(node: Any, *names: str) -> bool:
    return isinstance(node, Tree) and node.data in names


def _trees(node: Tree) -> List[Any]:
    return [c for c in node.children if isinstance(c, Tree)]


class Evaluator:
    """Evaluates expressions of one module.

    ``variables`` are values set by the caller (they win over ``tfvars``,
    which win over defaults); ``tfvars`` maps names to ``(value, label)``.
    """

    def __init__(self, module: Module, variables: Optional[Dict[str, Any]] = None,
                 tfvars: Optional[Dict[str, Tuple[Any, str]]] = None) -> None:
        self.module = module
        self.variables = dict(variables or {})
        self.tfvars = dict(tfvars or {})
        self._active: List[str] = []
        self._cache: Dict[str, Value] = {}
        self._depth = 0  # expressions being evaluated, one inside the other
        self._sizes: Dict[int, Tuple[Any, int]] = {}  # id -> (list or dict, its size)

    # -- entry points -------------------------------------------------------
    def attr(self, attr, env: Optional[Dict[str, Any]] = None) -> Value:
        """The value of an attribute (an :class:`iamtest.iac.hcl.Attr`)."""
        return self.expr(attr.expr, Ctx(attr.file, attr.file.text), env or {})

    def expr(self, node: Any, ctx: Ctx, env: Dict[str, Any]) -> Value:
        if isinstance(node, Token):
            if node.type == "STRING_LIT":
                return self._template(str(node)[1:-1], ctx.line(node), ctx, env, escapes=True)
            raise IacError(ctx.file.label, ctx.line(node), f"unexpected token {str(node)!r}")
        handler = getattr(self, "_" + node.data, None)
        if handler is None:
            raise unresolvable(ctx.file.label, ctx.line(node), ctx.source(node),
                               f"{node.data.replace('_', ' ')} is not supported")
        if self._depth >= MAX_DEPTH:
            # Nested brackets, calls, templates or references: each level takes
            # a few Python frames; stop well before the interpreter's limit.
            raise IacError(ctx.file.label, ctx.line(node),
                           f"expressions nest more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            result = handler(node, ctx, env)
        except RecursionError:  # a value nested deeper than its expression (jsondecode)
            raise IacError(ctx.file.label, ctx.line(node),
                           f"{_short(ctx.source(node))}: the value nests too deeply") from None
        finally:
            self._depth -= 1
        self.check_size(result[0], node, ctx)
        return result

    def size(self, value: Any) -> int:
        """Characters and items in ``value``, counting a shared part each time it
        appears (as ``jsonencode`` would write it). Remembered per list or dict,
        so a value built from measured parts costs only its own items."""
        if isinstance(value, str):
            return len(value)
        if not isinstance(value, (list, dict)):
            return 1
        known = self._sizes.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if isinstance(value, dict):
            total = 1 + sum(len(k) + self.size(v) for k, v in value.items())
        else:
            total = 1 + sum(self.size(v) for v in value)
        self._sizes[id(value)] = (value, total)
        return total

    def check_size(self, value: Any, node: Any, ctx: Ctx) -> None:
        """Refuse a value past :data:`MAX_VALUE` (values that double at each
        reference or call grow past any memory within a few dozen steps)."""
        if self.size(value) > MAX_VALUE:
            raise IacError(ctx.file.label, ctx.line(node),
                           f"the value is larger than {MAX_VALUE:,} characters and items; "
                           f"a policy is far smaller")

    # -- terms ----------------------------------------------------------------
    def _expr_term(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        child = node.children[0]
        if _is(child, "identifier"):
            name = str(child.children[0])
            if name in ("true", "false", "null"):
                return {"true": True, "false": False, "null": None}[name], L.at(ctx.line(node))
            return self._reference(node, ctx, env)
        return self.expr(child, ctx, env)

    def _int_lit(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        digits = "".join(str(c) for c in node.children)
        if len(digits) > MAX_DIGITS:
            raise IacError(ctx.file.label, ctx.line(node),
                           f"the number {_short(digits)} has more than {MAX_DIGITS} digits")
        return int(digits), L.at(ctx.line(node))

    def _float_lit(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        number = float("".join(str(c) for c in node.children))
        return (int(number) if number.is_integer() else number), L.at(ctx.line(node))

    def _tuple(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        values, locs = [], {(): ctx.line(node)}
        for i, child in enumerate(_trees(node)):
            value, sub = self.expr(child, ctx, env)
            values.append(value)
            locs.update(L.under(sub, i))
        return values, locs

    def _object(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        out: Dict[str, Any] = {}
        locs: L.Locs = {(): ctx.line(node)}
        for elem in _trees(node):
            key_node, value_node = [c for c in elem.children if isinstance(c, (Tree, Token))][:2]
            if _is(key_node, "identifier"):
                key = str(key_node.children[0])
            elif _is(key_node, "expr_term") and _is(key_node.children[0], "identifier"):
                key = str(key_node.children[0].children[0])
            else:
                key_value, _ = self.expr(key_node, ctx, env)
                key = self._string(key_value, key_node, ctx)
            value, sub = self.expr(value_node, ctx, env)
            out[key] = value
            sub = dict(sub)
            sub[()] = ctx.line(elem)
            locs.update(L.under(sub, key))
        return out, locs

    def _heredoc_template(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        token = node.children[0]
        try:
            body, _ = hcl_template.heredoc(str(token))
        except hcl_template.TemplateSyntaxError:
            raise IacError(ctx.file.label, ctx.line(token), "malformed heredoc") from None
        return self._template(body, ctx.line(token) + 1, ctx, env, escapes=False)

    _heredoc_template_trim = _heredoc_template

    def _template(self, text: str, line: int, ctx: Ctx, env: Dict[str, Any], escapes: bool) -> Value:
        try:
            parts = hcl_template.split(text, line, escapes)
        except hcl_template.TemplateSyntaxError as err:
            raise IacError(ctx.file.label, err.line, str(err)) from None
        if len(parts) == 1 and isinstance(parts[0], hcl_template.Interpolation):
            return self._interpolation(parts[0], ctx, env)
        pieces: List[str] = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
            elif isinstance(part, hcl_template.Directive):
                raise unresolvable(ctx.file.label, part.line, "%{" + part.source + "}",
                                   "template directives are not evaluated")
            else:
                value, _ = self._interpolation(part, ctx, env)
                if value is None:
                    raise unresolvable(ctx.file.label, part.line, "${" + part.source.strip() + "}",
                                       "it is null")
                try:
                    pieces.append(to_string(value))
                except FunctionError as err:
                    raise IacError(ctx.file.label, part.line,
                                   f"${{{part.source.strip()}}}: {err}") from None
        if sum(len(piece) for piece in pieces) > MAX_VALUE:
            raise IacError(ctx.file.label, line, f"the template is larger than {MAX_VALUE:,} "
                                                 f"characters; a policy is far smaller")
        value = "".join(pieces)
        # A heredoc keeps its own lines (a JSON document inside it maps line by
        # line); a quoted string is one line.
        return value, ({(): line, L.TEXT: line} if not escapes else L.at(line))

    def _interpolation(self, part, ctx: Ctx, env: Dict[str, Any]) -> Value:
        sub = Ctx(ctx.file, part.source, part.line - 1)
        tree = parse_text(part.source, ctx.file, start="expression", first_line=part.line)
        value, _ = self.expr(tree, sub, env)
        return value, L.at(part.line)

    # -- operators ------------------------------------------------------------
    def _conditional(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        cond, yes, no = node.children[:3]
        value, _ = self.expr(cond, ctx, env)
        return self._pick(value, cond, yes, no, ctx, env)

    def _pick(self, value: Any, cond: Any, yes: Any, no: Any, ctx: Ctx, env: Dict[str, Any]) -> Value:
        if not isinstance(value, bool):
            raise IacError(ctx.file.label, ctx.line(cond),
                           f"condition {ctx.source(cond)} is not a boolean")
        return self.expr(yes if value else no, ctx, env)

    def _unary_op(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        op, operand = str(node.children[0]), node.children[1]
        value, locs = self.expr(operand, ctx, env)
        if op == "!" and isinstance(value, bool):
            return (not value), locs
        if op == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value, locs
        raise IacError(ctx.file.label, ctx.line(node), f"cannot apply {op} to {ctx.source(operand)}")

    def _binary_op(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        # The grammar nests unparenthesised operators to the right with no
        # precedence; flatten the chain and apply Terraform's precedence.
        operands: List[Any] = []
        ops: List[str] = []
        current = node
        while _is(current, "binary_op"):
            left, term = current.children[0], current.children[1]
            operands.append(left)
            ops.append(str(term.children[0].children[0]))
            current = term.children[1]
        if _is(current, "conditional"):  # `a == b ? x : y` is `(a == b) ? x : y`
            cond, yes, no = current.children[:3]
            value = self._reduce(operands + [cond], ops, ctx, env)
            return self._pick(value, node, yes, no, ctx, env)
        return self._reduce(operands + [current], ops, ctx, env), L.at(ctx.line(node))

    def _reduce(self, operands: List[Any], ops: List[str], ctx: Ctx, env: Dict[str, Any]) -> Any:
        values = [self.expr(o, ctx, env)[0] for o in operands]
        nodes = list(operands)
        for level in range(len(_PRECEDENCE) - 1, -1, -1):
            i = 0
            while i < len(ops):
                if _LEVEL.get(ops[i]) == level:
                    values[i:i + 2] = [self._apply(ops[i], values[i], values[i + 1], nodes[i], ctx)]
                    nodes[i:i + 2] = [nodes[i]]
                    del ops[i]
                else:
                    i += 1
        return values[0]

    @staticmethod
    def _apply(op: str, left: Any, right: Any, node: Any, ctx: Ctx) -> Any:
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op in ("&&", "||"):
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            if op in ("/", "%") and right == 0:
                raise IacError(ctx.file.label, ctx.line(node), "division by zero")
            try:
                result = {"+": lambda: left + right, "-": lambda: left - right,
                          "*": lambda: left * right, "/": lambda: left / right,
                          "%": lambda: left % right, ">": lambda: left > right,
                          ">=": lambda: left >= right, "<": lambda: left < right,
                          "<=": lambda: left <= right}[op]()
            except OverflowError:  # an integer too large for a float division
                raise IacError(ctx.file.label, ctx.line(node),
                               f"{op}: the result is too large for a number") from None
            if isinstance(result, int) and not isinstance(result, bool) \
                    and abs(result) >= _TOO_MANY_DIGITS:
                # Terraform's numbers hold 512 bits; squaring a number at each
                # step would otherwise run for hours.
                raise IacError(ctx.file.label, ctx.line(node),
                               f"{op}: the result has more than {MAX_DIGITS} digits")
            return int(result) if isinstance(result, float) and result.is_integer() else result
        raise IacError(ctx.file.label, ctx.line(node),
                       f"cannot apply {op} to {left!r} and {right!r}")

    # -- function calls -------------------------------------------------------
    def _function_call(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        name = str(node.children[0].children[0])
        line = ctx.line(node)
        if name in NOT_STATIC:
            raise unresolvable(ctx.file.label, line, ctx.source(node), f"{name}() {NOT_STATIC[name]}")
        arg_nodes = _trees(node.children[1]) if len(node.children) > 1 else []
        args = [self.expr(a, ctx, env) for a in arg_nodes]
        if arg_nodes and "..." in ctx.text[arg_nodes[-1].meta.end_pos: node.meta.end_pos]:
            last, _ = args.pop()
            if not isinstance(last, list):
                raise IacError(ctx.file.label, line, f"{ctx.source(node)}: ... expects a list")
            args += [(item, L.at(line)) for item in last]
        if name == "jsonencode" and len(args) == 1:
            return JsonText(args[0][0], L.expand(args[0][0], args[0][1])), L.at(line)
        if name == "jsondecode" and len(args) == 1 and isinstance(args[0][0], JsonText):
            return args[0][0].doc, args[0][0].locs
        if name in ("tolist", "tomap", "tostring") and len(args) == 1:
            value, locs = args[0]
            if not isinstance(value, (int, float, bool)) or name != "tostring":
                return FUNCTIONS[name](value), locs
        func = FUNCTIONS.get(name)
        if func is None:
            raise unresolvable(ctx.file.label, line, ctx.source(node),
                               f"the function {name}() is not evaluated")
        try:
            return func(*[value for value, _ in args]), L.at(line)
        except FunctionError as err:
            raise IacError(ctx.file.label, line, f"{ctx.source(node)}: {err}") from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as err:
            raise IacError(ctx.file.label, line,
                           f"{ctx.source(node)}: invalid arguments ({err})") from None

    def _provider_function_call(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        raise unresolvable(ctx.file.label, ctx.line(node), ctx.source(node),
                           "provider functions run at plan time")

    # -- for expressions ------------------------------------------------------
    def _for_items(self, intro: Tree, ctx: Ctx, env: Dict[str, Any]):
        names = [str(c.children[0]) for c in intro.children if _is(c, "identifier")]
        source = [c for c in intro.children if isinstance(c, Tree) and not _is(c, "identifier")][0]
        collection, _ = self.expr(source, ctx, env)
        if isinstance(collection, dict):
            pairs = [(k, collection[k]) for k in sorted(collection)]
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            raise IacError(ctx.file.label, ctx.line(intro), f"cannot iterate over {ctx.source(source)}")
        for key, value in pairs:
            scope = dict(env)
            if len(names) == 2:
                scope[names[0]], scope[names[1]] = key, value
            else:
                scope[names[0]] = value
            yield scope

    def _for_parts(self, node: Tree):
        trees = _trees(node)
        intro = trees[0]
        cond = trees[-1] if _is(trees[-1], "for_cond") else None
        body = trees[1:-1] if cond is not None else trees[1:]
        return intro, body, cond

    def _keep(self, cond: Optional[Tree], ctx: Ctx, scope: Dict[str, Any]) -> bool:
        if cond is None:
            return True
        value, _ = self.expr(_trees(cond)[0], ctx, scope)
        if not isinstance(value, bool):
            raise IacError(ctx.file.label, ctx.line(cond), f"{ctx.source(cond)} is not a boolean")
        return value

    def _for_tuple_expr(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        intro, body, cond = self._for_parts(node)
        out, total = [], 0
        for scope in self._for_items(intro, ctx, env):
            if self._keep(cond, ctx, scope):
                out.append(self.expr(body[0], ctx, scope)[0])
                total += self.size(out[-1])
                if total > MAX_VALUE:  # before the next item is built
                    self.check_size(out, node, ctx)
        return out, L.at(ctx.line(node))

    def _for_object_expr(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        intro, body, cond = self._for_parts(node)
        if any(isinstance(c, Token) and str(c) == "..." for c in node.children):
            raise unresolvable(ctx.file.label, ctx.line(node), ctx.source(node),
                               "grouping for expressions are not evaluated")
        out: Dict[str, Any] = {}
        total = 0
        for scope in self._for_items(intro, ctx, env):
            if self._keep(cond, ctx, scope):
                key, _ = self.expr(body[0], ctx, scope)
                key = self._string(key, body[0], ctx)
                out[key] = self.expr(body[1], ctx, scope)[0]
                total += len(key) + self.size(out[key])
                if total > MAX_VALUE:  # before the next item is built
                    self.check_size(out, node, ctx)
        return out, L.at(ctx.line(node))

    # -- references -----------------------------------------------------------
    def _traversal(self, node: Any) -> Tuple[Any, List[Tuple[str, Any]]]:
        """Split ``a.b[0].c`` into its root term and its steps."""
        steps: List[Tuple[str, Any]] = []
        while True:
            if _is(node, "expr_term") and len(node.children) == 1 and _is(
                    node.children[0], "get_attr_expr_term", "index_expr_term",
                    "attr_splat_expr_term", "full_splat_expr_term"):
                node = node.children[0]
            if _is(node, "get_attr_expr_term"):
                steps.insert(0, ("attr", str(node.children[1].children[0].children[0])))
            elif _is(node, "index_expr_term"):
                steps.insert(0, ("index", node.children[1]))
            elif _is(node, "attr_splat_expr_term", "full_splat_expr_term"):
                steps.insert(0, ("splat", node.children[1]))
            else:
                return node, steps
            node = node.children[0]

    def _reference(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        root, steps = self._traversal(node)
        line = ctx.line(node)
        text = ctx.source(node)
        if not (_is(root, "expr_term") and _is(root.children[0], "identifier")):
            value, locs = self.expr(root, ctx, env)
            return self._steps(value, locs, steps, node, ctx, env)
        name = str(root.children[0].children[0])
        if name in env:
            return self._steps(env[name], L.at(line), steps, node, ctx, env)
        from .tf_references import resolve_root  # references need the whole module

        value, locs, used = resolve_root(self, name, steps, text, line, ctx, env)
        return self._steps(value, locs, steps[used:], node, ctx, env)

    def _traverse(self, node: Tree, ctx: Ctx, env: Dict[str, Any]) -> Value:
        return self._reference(node, ctx, env)

    def _steps(self, value: Any, locs: L.Locs, steps, node: Any, ctx: Ctx, env: Dict[str, Any]) -> Value:
        for kind, arg in steps:
            if kind == "splat":
                rest = [("attr", str(c.children[0].children[0])) if _is(c, "get_attr") else ("index", c)
                        for c in _trees(arg)]
                items = value if isinstance(value, list) else ([] if value is None else [value])
                value = [self._steps(item, L.at(ctx.line(node)), rest, node, ctx, env)[0] for item in items]
                locs = L.at(ctx.line(node))
                continue
            if kind == "attr":
                key: Any = arg
            elif _trees(arg):
                key, _ = self.expr(_trees(arg)[0], ctx, env)
            else:  # legacy `.0` index
                key = int("".join(str(c) for c in arg.children))
            try:
                if isinstance(value, list) and not isinstance(key, bool):
                    key = int(key)
                    value = value[key]
                elif isinstance(value, dict):
                    key = to_string(key)
                    value = value[key]
                else:
                    raise KeyError(key)
            except (KeyError, IndexError, ValueError, TypeError, FunctionError):
                raise IacError(ctx.file.label, ctx.line(node),
                               f"{ctx.source(node)}: no element {key!r}") from None
            locs = L.nested(locs, key)
        return value, locs

    # -- helpers --------------------------------------------------------------
    @staticmethod
    def _string(value: Any, node: Any, ctx: Ctx) -> str:
        try:
            return to_string(value)
        except FunctionError:
            raise IacError(ctx.file.label, ctx.line(node), f"{ctx.source(node)} is not a string") from None

    def guarded(self, key: str, line: int, label: str, compute) -> Value:
        """Evaluate ``compute()`` once per ``key``, reporting reference cycles."""
        if key in self._cache:
            return self._cache[key]
        if key in self._active:
            chain = " -> ".join(self._active[self._active.index(key):] + [key])
            raise IacError(label, line, f"reference cycle: {chain}")
        self._active.append(key)
        try:
            result = compute()
        finally:
            self._active.pop()
        self._cache[key] = result
        return result


for _name in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"):
    setattr(Evaluator, "_" + _name, Evaluator._traverse)

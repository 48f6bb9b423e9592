"""HCL strings and heredocs are read in linear time, and as the grammar defines them.

The grammar bc-python-hcl2 ships nests repetitions in its string terminals
(``(chars+)+`` inside ``(...)*``); an unterminated string holding ``${``
sent the regular-expression engine through exponentially many splits (a
six-line Terraform file found by fuzzing hung the parser). iamtest
compiles the grammar with those two terminals written so that at each
character at most one alternative can match (iac/hcl.py); these tests hold
the rewritten terminals to the original ones and the parser to its time.
The heredoc terminals (``\\n+\\s*NAME``) were cubic over a run of blank lines
in a heredoc that never ends; they are rewritten and tested the same way.
"""
import functools
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.iac.hcl import _LINEAR_TERMINALS, linear_strings


@functools.lru_cache(maxsize=None)
def _terminals(patched: bool):
    import hcl2
    from lark import Lark

    grammar = (Path(hcl2.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
    if patched:
        grammar = linear_strings(grammar)
    lark = Lark(grammar, parser="lalr", start=["start", "expression"])
    # INTERPOLATION is written into STRING_LIT: the only terminal the lexer uses
    (string,) = [t for t in lark.terminals if t.name == "STRING_LIT"]
    return re.compile(string.pattern.to_regexp())


# Short texts over the characters the terminals care about (the original
# terminals take exponential time on long failing texts, so the texts stay short).
_TEXTS = st.lists(st.sampled_from(['"', "\\", "$", "{", "}", "a", " ", "\n", "${", '\\"']),
                  max_size=9).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXTS)
def test_the_rewritten_terminals_accept_exactly_what_the_original_ones_accept(text):
    old, new = _terminals(False), _terminals(True)
    for candidate in (text, '"' + text + '"', '"${' + text + '}"', '"a' + text):
        assert bool(old.fullmatch(candidate)) == bool(new.fullmatch(candidate)), candidate
        found_old, found_new = old.match(candidate), new.match(candidate)   # what the lexer takes
        assert (found_old and found_old.group()) == (found_new and found_new.group()), candidate


def _heredoc_regexes():
    pairs = [(re.compile(old.split(": /", 1)[1][:-1]), re.compile(new.split(": /", 1)[1][:-1]))
             for old, new in _LINEAR_TERMINALS.items() if old.startswith("heredoc")]
    assert len(pairs) == 2
    return pairs


_BODIES = st.lists(st.sampled_from(["\n", " ", "\t", "\r", "\x0b", "EOF", "E", "x", "\n  EOF"]),
                   max_size=9).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_BODIES)
def test_the_rewritten_heredocs_accept_and_take_exactly_what_the_original_ones_do(body):
    for old, new in _heredoc_regexes():
        for start in ("<<EOF\n", "<<-EOF\n"):
            text = start + body
            assert bool(old.fullmatch(text)) == bool(new.fullmatch(text)), text
            found_old, found_new = old.match(text), new.match(text)
            assert (found_old and found_old.group()) == (found_new and found_new.group()), text


_CHILD = r"""
import sys
from pathlib import Path
from iamtest.iac.errors import IacError
from iamtest.iac.hcl import SourceFile, parse_text

texts = [
    # found by fuzzing: an unterminated string with an interpolation start
    'resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
    '    Statement = [{Effect = "Allow", Action = y"null${\\ +\u00d2, Resource = lookup(}]\n  })\n}\n',
    'x = "' + "${a" * 2000 + '\n',
    'x = "' + "a$" * 5000 + '\n',
    'x = "${' + '"q"' * 3000 + '\n',
    # a heredoc that never ends, over blank lines (was cubic: 2,000 lines took 23 s)
    'x = <<EOF\n' + '\n' * 20000 + 'y\n',
    'x = <<-EOF\n' + ' \n' * 20000 + 'y\n',
]
for text in texts:
    try:
        parse_text(text, SourceFile(Path("main.tf"), "main.tf", text))
    except IacError as error:
        assert error.message.startswith("invalid HCL syntax"), error
print("done", len(texts))
"""


def test_unterminated_strings_are_refused_without_hanging():
    # The time limit only turns a hang into a failure; these finish in about a second.
    done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done 6"


def test_a_grammar_without_the_expected_terminals_is_an_error():
    import pytest

    with pytest.raises(RuntimeError, match="not the one iamtest knows"):
        linear_strings("start : STRING_LIT\nSTRING_LIT : /x/\n")


_OLD_HEREDOC = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\n(.*?)\n?[ \t]*\2\s*\Z", re.S)


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(["<<EOF\n", "<<-EOF\n", "<<E\n", "<<EOF", "<<-x.y\n", "<<1\n"]),
       st.lists(st.sampled_from(["\n", " ", "\t", "\u00a0", "EOF", "E", "x", "x.y", "\n  EOF"]),
                max_size=9).map("".join))
def test_a_heredoc_token_is_split_as_the_single_regular_expression_split_it(head, tail):
    # The body is cut from a heredoc token by slicing now (the one expression it replaces,
    # kept here, was quadratic in a body of blanks); both must agree on every token.
    from iamtest.iac.hcl_template import _heredoc_parts

    token = head + tail
    old = _OLD_HEREDOC.match(token)
    assert _heredoc_parts(token) == ((bool(old.group(1)), old.group(3)) if old else None), token


def test_a_heredoc_body_of_blanks_is_cut_in_linear_time():
    # The old expression took minutes on this token (20,000 blanks: 1.7 s, quadratic); the
    # slicing reading is a fixed number of string operations. Nothing here is timed: the
    # test checks the body, and a return to the old reading would show as a stalled run.
    from iamtest.iac.hcl_template import heredoc

    body, trim = heredoc("<<EOF\n" + " " * 200_000 + "\nEOF")
    assert (len(body), trim) == (200_001, False)

"""Condition operators: the registry, operator-name parsing, value checks and
clause evaluation. One module per operator family; :mod:`.evaluate` holds the
rules shared by all of them (absent keys, IfExists, set operators, variables).
"""
from .evaluate import ClauseResult, evaluate_clause
from .registry import (FOR_ALL_VALUES, FOR_ANY_VALUE, OPERATORS, Operator, parse_operator,
                       validate_values)

__all__ = ["ClauseResult", "evaluate_clause", "OPERATORS", "Operator", "parse_operator",
           "validate_values", "FOR_ANY_VALUE", "FOR_ALL_VALUES"]

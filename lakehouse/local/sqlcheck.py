"""Lint for the Athena SQL files in ``sql/``: each must be one Trino statement that runs
the same on Athena and on the local engines (DuckDB for checks, Spark elsewhere).

``lint_trino(sql)`` returns problems as readable strings, empty when the file is clean.
Function calls are found on Trino tokens, so names inside strings and comments never
count.
"""

from __future__ import annotations

import sqlglot
from sqlglot.dialects.trino import Trino
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

_NOT_KEYWORDS = {TokenType.VAR, TokenType.STRING, TokenType.NUMBER, TokenType.IDENTIFIER}

# Trino functions whose results differ once sqlglot transpiles them (see ENVIRONMENT.md).
FORBIDDEN_FUNCTIONS: dict[str, str] = {
    "approx_distinct": "approximate and engine-specific; never assert its exact value, "
    "use count(distinct ...)",
    "day_of_week": "mistranspiled for Spark",
    "dow": "alias of day_of_week, mistranspiled for Spark",
    "greatest": "NULL handling differs: Trino returns NULL if any argument is NULL, Spark "
    "skips NULLs; use a CASE with explicit NULL handling",
    "least": "NULL handling differs as for greatest",
    "listagg": "not transpiled for Spark",
    "format_datetime": "transpiled for neither DuckDB nor Spark; use date_format",
}
# Fine on their own, wrong with an ORDER BY inside the call.
ORDER_SENSITIVE_FUNCTIONS: dict[str, str] = {
    "array_agg": "Spark drops the ORDER BY inside array_agg; sort with array_sort instead",
}


def _calls(tokens: list[Token]) -> list[tuple[int, Token]]:
    """``(index, name token)`` of every ``name(`` in the token stream."""
    return [
        (i, token)
        for i, token in enumerate(tokens[:-1])
        if token.token_type == TokenType.VAR and tokens[i + 1].token_type == TokenType.L_PAREN
    ]


def _orders_inside(tokens: list[Token], open_paren: int) -> bool:
    depth = 0
    for token in tokens[open_paren:]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                return False
        elif token.token_type == TokenType.ORDER_BY and depth == 1:
            return True
    return False


def _function_problems(tokens: list[Token]) -> list[str]:
    problems = []
    for index, token in _calls(tokens):
        name = token.text.lower()
        if name in FORBIDDEN_FUNCTIONS:
            problems.append(f"line {token.line}: {name}(): {FORBIDDEN_FUNCTIONS[name]}")
        elif name in ORDER_SENSITIVE_FUNCTIONS and _orders_inside(tokens, index + 1):
            reason = ORDER_SENSITIVE_FUNCTIONS[name]
            problems.append(f"line {token.line}: {name}(... order by ...): {reason}")
    return problems


def _keyword_case_problems(sql: str, tokens: list[Token]) -> list[str]:
    problems = []
    for token in tokens:
        written = sql[token.start : token.end + 1]  # token.text normalises "Group By"
        is_keyword = (
            token.token_type not in _NOT_KEYWORDS
            and " ".join(written.upper().split()) in Trino.Tokenizer.KEYWORDS
        )
        if is_keyword and written != written.lower():
            problems.append(f"line {token.line}: keyword {written!r} should be lowercase")
    return problems


def lint_trino(sql: str, *, lowercase_keywords: bool = True) -> list[str]:
    """Problems with one SQL file's text: not Trino, not exactly one statement,
    functions that do not translate faithfully, and (by default) uppercase keywords."""
    try:
        tokens = Trino().tokenize(sql)
    except TokenError as exc:
        return [f"does not tokenize as Trino: {exc}"]
    problems = []
    try:
        statements = [s for s in sqlglot.parse(sql, read="trino") if s]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        where = f"line {first['line']}: " if "line" in first else ""
        problems.append(f"{where}does not parse as Trino: {first.get('description', exc)}")
    else:
        if len(statements) != 1:
            problems.append(f"{len(statements)} statements; a file holds exactly one")
    problems += _function_problems(tokens)
    if lowercase_keywords:
        problems += _keyword_case_problems(sql, tokens)
    return problems

"""Trino's ``typeof()`` where the local engine knows the Trino type exactly.

``typeof(x)`` is the display name of x's type (TypeOfFunction: ``type.getDisplayName()``,
https://trino.io/docs/current/functions/conversion.html#typeof): ``integer`` for 123,
``varchar(3)`` for 'cat', ``decimal(5,1)``, ``array(integer)``, ``unknown`` for NULL.
The name is fixed at translation for literals, casts, ARRAY constructors of those,
predicates and a few functions with a fixed result type; a catalog column's name comes
from its DuckDB type at run time for the types whose name is the same in both engines.
Anything else (a varchar of unknown bound, integer arithmetic that Trino may reject as
overflowing, functions) is refused. The argument is still evaluated, as Trino does, so
``typeof(1 / 0)`` fails.
"""

from __future__ import annotations

import re

from sqlglot import exp

from lakehouse.local.athena_trino import NotEmulated, _fn, _lit, _typed, runtime_refusal

T = exp.DataType.Type
SIMPLE_NAMES = {
    T.TINYINT: "tinyint",
    T.SMALLINT: "smallint",
    T.INT: "integer",
    T.BIGINT: "bigint",
    T.DOUBLE: "double",
    T.FLOAT: "real",
    T.BOOLEAN: "boolean",
    T.DATE: "date",
}
NUMERIC_NAMES = {"tinyint", "smallint", "integer", "bigint", "real", "double"}
INTEGER_LITERAL_MAX = 2**31 - 1  # a larger integer literal is a bigint
DOUBLE_LITERAL = re.compile(r"(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
VARCHAR_OF = re.compile(r"varchar\((\d+)\)")
# DuckDB's name of a catalog column's type -> Trino's (the columns are cast to the Glue
# type, whose Trino name these are; varchar and timestamp are left out: a VALUES or
# subquery column can be varchar(n) or timestamp(p) in Trino)
RUNTIME_NAMES = {
    "TINYINT": "tinyint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DOUBLE": "double",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
}
# functions whose Trino result type does not depend on their arguments' bounds
FIXED_RESULT = {exp.Length: "bigint", exp.ArraySize: "bigint", exp.Count: "bigint"}
FIXED_RESULT |= {exp.Typeof: "varchar", exp.Format: "varchar"}


def type_name(data_type: exp.DataType) -> str | None:
    """Trino's display name of a declared type (a CAST's target), or None."""
    if data_type.this in SIMPLE_NAMES and not data_type.expressions:
        return SIMPLE_NAMES[data_type.this]
    params = [p.this.name for p in data_type.expressions if isinstance(p, exp.DataTypeParam)]
    if data_type.is_type(T.VARCHAR) and not data_type.expressions:
        return "varchar"
    if data_type.is_type(T.DECIMAL) and len(params) in (1, 2):
        scale = params[1] if len(params) == 2 else "0"
        return f"decimal({params[0]},{scale})"
    if data_type.is_type(T.TIMESTAMP):
        # CAST(x AS timestamp) is timestamp(3); above 3 digits is refused elsewhere
        precision = int(params[0]) if params else 3
        return f"timestamp({precision})" if precision <= 3 else None
    if data_type.is_type(T.ARRAY) and len(data_type.expressions) == 1:
        element = type_name(data_type.expressions[0])
        return f"array({element})" if element else None
    return None


def _array_name(elements: list[exp.Expression]) -> str | None:
    """ARRAY[...] has its elements' common type: varchar(n) of the longest for literals
    of different lengths; NULLs take the others' type."""
    names = [trino_type(e) for e in elements]
    if None in names:
        return None
    known = {n for n in names if n != "unknown"}
    if not known:
        return "array(unknown)"
    if len(known) == 1:
        return f"array({known.pop()})"
    lengths = [VARCHAR_OF.fullmatch(n) for n in known]
    if all(lengths):
        return f"array(varchar({max(int(m.group(1)) for m in lengths)}))"
    return None


def trino_type(node: exp.Expression) -> str | None:
    """The Trino type name of ``node`` when it is certain, else None."""
    if isinstance(node, exp.Paren):
        return trino_type(node.this)
    if isinstance(node, exp.Null):
        return "unknown"
    if isinstance(node, exp.Boolean):
        return "boolean"
    if isinstance(node, exp.Literal):
        if node.is_string:
            return f"varchar({len(node.this)})"  # code points, as Trino counts them
        if node.this.isdigit():
            return "integer" if int(node.this) <= INTEGER_LITERAL_MAX else "bigint"
        return "double" if DOUBLE_LITERAL.fullmatch(node.this) else None
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        return trino_type(node.this)  # -2147483648 is bigint: the literal is
    if isinstance(node, exp.Cast):
        return type_name(node.to)
    if isinstance(node, exp.Array):
        return _array_name(node.expressions)
    if isinstance(node, exp.Predicate | exp.Not | exp.Connector):
        return "boolean"
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div):
        # with a double operand the result is a double (no overflow, no division error)
        names = {trino_type(node.this), trino_type(node.expression)}
        is_numeric = all(n in NUMERIC_NAMES or (n or "").startswith("decimal(") for n in names)
        return "double" if is_numeric and "double" in names else None
    return FIXED_RESULT.get(type(node))


def _evaluated(argument: exp.Expression, name: exp.Expression) -> exp.Expression:
    """``name``, once ``argument`` is evaluated (its errors are Trino's too)."""
    is_null = exp.Is(this=argument.copy(), expression=exp.Null())
    return exp.Case().when(is_null, name).else_(name.copy())


def _typeof(node: exp.Typeof) -> exp.Expression:
    argument = node.this
    if node.find_ancestor(exp.Try) is not None:
        # an argument failing inside TRY makes typeof() NULL in Trino
        raise NotEmulated("typeof() inside TRY")
    name = trino_type(argument)
    if name is not None:
        return _evaluated(argument, _lit(name))
    if isinstance(argument, exp.Column):
        runtime = _fn("typeof", argument.copy())
        named = exp.Case()
        for duckdb_name, trino_name in RUNTIME_NAMES.items():
            named = named.when(runtime.copy().eq(_lit(duckdb_name)), _lit(trino_name))
        decimal = _fn("regexp_matches", runtime.copy(), _lit("^DECIMAL\\([0-9]+,[0-9]+\\)$"))
        named = named.when(decimal, _fn("lower", runtime.copy()))
        what = "typeof() of a column of this type"
        return _evaluated(argument, named.else_(runtime_refusal(what)))
    raise NotEmulated("typeof() of an expression whose exact Trino type is not known locally")


def rewrite_typeof(tree: exp.Expression) -> None:
    """Replaces every ``typeof(x)``, outermost first (an inner one's copy is met later)."""
    while (node := tree.find(exp.Typeof)) is not None:
        node.replace(_typed(_typeof(node), "varchar"))

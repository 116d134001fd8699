"""The SQL files in sql/: Trino that runs the same on Athena and locally, the check
contract the state machine relies on, the contracts' required columns, and sqlfluff.

Fast (no Spark, no lake); the queries' results are tested on a real lake in
tests/integration/test_sql_on_local_lake.py.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import sqlglot
from sqlfluff.core import FluffConfig, Linter
from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.tokens import TokenType

from lakehouse.contracts import sources
from lakehouse.contracts.catalog import (
    LAYER_DATABASES,
    silver_column_name,
    silver_columns,
    table_definitions,
)
from lakehouse.local.sqlcheck import FORBIDDEN_FUNCTIONS, lint_trino
from lakehouse.statemachine import SEVERITIES

REPO_ROOT = Path(__file__).resolve().parents[3]
SQL_DIR = REPO_ROOT / "sql"
CHECKS_DIR = SQL_DIR / "checks"
ANALYTICS_DIR = SQL_DIR / "analytics"
CHECK_FILES = sorted(CHECKS_DIR.glob("*.sql"))
ANALYTICS_FILES = sorted(ANALYTICS_DIR.glob("*.sql"))
SQL_FILES = CHECK_FILES + ANALYTICS_FILES

# What the state machine sends (ExecutionParameters, in this order) and reads back
# (Rows[1].Data[0..5]); see step_functions/daily_pipeline.asl.json, state Validate.
CHECK_PARAMETERS = ["check_name", "severity", "run_date", "run_id", "threshold"]
CHECK_OUTPUT_COLUMNS = ["check_name", "severity", "passed", "observed", "threshold", "details"]
REQUIRED_ANALYTICS = {
    "data_quality_trend",
    "sales_week_over_week",
    "run_lineage",
    "latest_customer_snapshot",
    "orders_per_status",
}
# Terraform rewrites logical database names with this pattern (terraform/main.tf,
# local.layer_reference): every match must therefore be a real table reference.
LAYER_REFERENCE = re.compile(rf"(^|[^A-Za-z0-9_])({'|'.join(LAYER_DATABASES)})\.(\w+)")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.name}" for p in paths]


@cache
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@cache
def tree(path: Path) -> exp.Expression:
    return sqlglot.parse_one(text(path), read="trino")


@cache
def checks_config() -> dict:
    return json.loads((CHECKS_DIR / "checks.json").read_text(encoding="utf-8"))


def string_literals(sql: str) -> list[str]:
    return [t.text for t in Trino().tokenize(sql) if t.token_type == TokenType.STRING]


@cache
def catalog_tables() -> set[tuple[str, str]]:
    return {(t.database, t.name) for t in table_definitions()}


def cte(statement: exp.Expression, name: str) -> exp.Select:
    for table_expression in statement.find_all(exp.CTE):
        if table_expression.alias == name:
            return table_expression.this
    raise AssertionError(f"no CTE named {name!r}")


# -- every file ----------------------------------------------------------------------
def test_the_folders_hold_the_expected_files() -> None:
    assert len(CHECK_FILES) >= 9
    assert {p.stem for p in ANALYTICS_FILES} >= REQUIRED_ANALYTICS


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_file_is_one_clean_trino_statement(path: Path) -> None:
    """Parses as Trino, exactly one statement, no unfaithful functions, lowercase
    keywords (lint_trino does all four)."""
    assert lint_trino(text(path)) == []
    statements = [s for s in sqlglot.parse(text(path), read="trino") if s]
    assert len(statements) == 1
    assert isinstance(statements[0], exp.Query)


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_no_forbidden_function_is_called(path: Path) -> None:
    called = {f.sql_name().lower() for f in tree(path).find_all(exp.Func)}
    called |= {a.name.lower() for a in tree(path).find_all(exp.Anonymous)}
    assert not called & set(FORBIDDEN_FUNCTIONS)


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_file_starts_with_a_header_comment(path: Path) -> None:
    header = []
    for line in text(path).splitlines():
        if not line.startswith("--"):
            break
        header.append(line[2:].strip())
    assert len(" ".join(header)) >= 40, "a header comment says what the query answers"


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_every_table_is_a_catalog_table(path: Path) -> None:
    ctes = {c.alias for c in tree(path).find_all(exp.CTE)}
    tables = {(t.db, t.name) for t in tree(path).find_all(exp.Table) if t.name not in ctes or t.db}
    assert tables, "reads at least one table"
    assert tables <= catalog_tables()


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_layer_names_are_only_used_as_database_names(path: Path) -> None:
    """Terraform turns every `silver.` into `<project>_<env>_silver.`: an alias or CTE
    called silver (`silver.order_date`) would break on AWS only."""
    for match in LAYER_REFERENCE.finditer(text(path)):
        database, name = match.group(2), match.group(3)
        assert (database, name) in catalog_tables(), f"{database}.{name} is not a table"


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_no_date_literal_in_the_code(path: Path) -> None:
    """Dates come in as execution parameters (`?`), never as literals."""
    assert [s for s in string_literals(text(path)) if ISO_DATE.match(s)] == []


# -- sqlfluff --------------------------------------------------------------------------
@cache
def sqlfluff_linter() -> Linter:
    return Linter(config=FluffConfig.from_path(str(REPO_ROOT)))


def test_sqlfluff_config_is_the_repository_one() -> None:
    config = FluffConfig.from_path(str(REPO_ROOT))
    assert config.get("dialect") == "athena"
    assert config.get("max_line_length") == 100
    assert config.get("capitalisation_policy", ["rules", "capitalisation.keywords"]) == "lower"


@pytest.mark.parametrize("path", SQL_FILES, ids=ids(SQL_FILES))
def test_sqlfluff_finds_nothing(path: Path) -> None:
    """`.venv/bin/sqlfluff fix sql/` repairs most of what this reports."""
    linted = sqlfluff_linter().lint_string(text(path), fname=str(path))
    problems = [
        f"L{v.line_no}:{v.line_pos} {v.rule_code()} {v.desc()}" for v in linted.get_violations()
    ]
    assert problems == []


def test_sqlfluff_reports_a_badly_formatted_query() -> None:
    """Guards against a config that silently lints nothing."""
    sloppy = "SELECT A,B FROM silver.orders WHERE x=1 GROUP BY 1\n"
    codes = {v.rule_code() for v in sqlfluff_linter().lint_string(sloppy).get_violations()}
    assert {"CP01", "LT09", "AM06"} <= codes


# -- the checks' contract ---------------------------------------------------------------
def test_checks_json_and_the_sql_files_match_one_to_one() -> None:
    assert set(checks_config()) == {p.stem for p in CHECK_FILES}


@pytest.mark.parametrize("name", sorted(checks_config()))
def test_check_config_has_a_valid_severity_and_a_numeric_threshold(name: str) -> None:
    entry = checks_config()[name]
    assert entry["severity"] in SEVERITIES
    threshold = entry["threshold"]
    assert isinstance(threshold, int | float) and not isinstance(threshold, bool)
    assert threshold >= 0
    assert entry.get("description"), "say what the check verifies"


@pytest.mark.parametrize("path", CHECK_FILES, ids=ids(CHECK_FILES))
def test_check_takes_the_five_parameters_in_order(path: Path) -> None:
    statement = tree(path)
    assert len(list(statement.find_all(exp.Placeholder))) == len(CHECK_PARAMETERS)
    params = cte(statement, "params")
    assert params.named_selects == CHECK_PARAMETERS
    for projection in params.expressions:
        assert len(list(projection.find_all(exp.Placeholder))) == 1, projection.sql()
    threshold = params.expressions[-1].this
    assert isinstance(threshold, exp.Cast) and threshold.to.this == exp.DataType.Type.DOUBLE


@pytest.mark.parametrize("path", CHECK_FILES, ids=ids(CHECK_FILES))
def test_check_selects_the_verdict_columns(path: Path) -> None:
    assert tree(path).named_selects == CHECK_OUTPUT_COLUMNS


@pytest.mark.parametrize("path", CHECK_FILES, ids=ids(CHECK_FILES))
def test_check_compares_with_the_threshold_parameter(path: Path) -> None:
    passed = tree(path).selects[CHECK_OUTPUT_COLUMNS.index("passed")]
    assert any(c.name == "threshold" for c in passed.find_all(exp.Column)), passed.sql()


COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


@pytest.mark.parametrize("path", CHECK_FILES, ids=ids(CHECK_FILES))
def test_no_threshold_literal_hides_in_a_check(path: Path) -> None:
    """Thresholds live in checks.json; the only number a check compares with is 0
    (`count = 0`: is it empty?)."""
    hidden = [
        node.sql(dialect="trino")
        for node in tree(path).find_all(*COMPARISONS)
        for side in (node.this, node.expression)
        if isinstance(side, exp.Literal) and side.is_number and float(side.this) != 0
    ]
    assert hidden == []


def test_no_threshold_literal_finds_one() -> None:
    sql = "select share <= 0.05 as passed, 1 > 0 as ok from t"
    comparisons = sqlglot.parse_one(sql, read="trino").find_all(*COMPARISONS)
    literals = [
        side.this
        for node in comparisons
        for side in (node.this, node.expression)
        if isinstance(side, exp.Literal) and side.is_number and float(side.this) != 0
    ]
    assert literals == ["0.05", "1"]


def required_not_null_columns() -> dict[str, set[str]]:
    """Per silver table, the columns the check tests with `is null`."""
    statement = tree(CHECKS_DIR / "silver_required_not_null.sql")
    tested: dict[str, set[str]] = {}
    for select in statement.find_all(exp.Select):
        source = select.args.get("from_") or select.args.get("from")
        table = source.this if source else None
        if isinstance(table, exp.Table) and table.db == "silver":
            tested[table.name] = {
                node.this.name
                for node in select.find_all(exp.Is)
                if isinstance(node.this, exp.Column) and isinstance(node.expression, exp.Null)
            }
    return tested


@pytest.mark.parametrize("contract", sources(), ids=lambda c: c.name)
def test_silver_required_not_null_tests_every_required_contract_column(contract) -> None:
    in_silver = {name for name, _ in silver_columns(contract)}
    required = {silver_column_name(contract, c.name) for c in contract.columns if c.required}
    dropped_before_silver = {contract.cdc.op_column} if contract.cdc else set()
    assert required - in_silver == dropped_before_silver
    assert required_not_null_columns()[contract.name] >= required & in_silver


def test_silver_required_not_null_tests_only_silver_columns() -> None:
    tested = required_not_null_columns()
    assert set(tested) == {c.name for c in sources()}
    for contract in sources():
        assert tested[contract.name] <= {name for name, _ in silver_columns(contract)}


# -- analytics --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ANALYTICS_FILES, ids=ids(ANALYTICS_FILES))
def test_analytics_parameters_are_documented(path: Path) -> None:
    placeholders = len(list(tree(path).find_all(exp.Placeholder)))
    header = text(path).split("\nwith ", 1)[0].lower()
    assert placeholders <= 1, "bind a date once (a params CTE), not once per use"
    assert ("parameter" in header) == (placeholders > 0)


@pytest.mark.parametrize("path", ANALYTICS_FILES, ids=ids(ANALYTICS_FILES))
def test_analytics_output_columns_are_snake_case_and_unique(path: Path) -> None:
    names = tree(path).named_selects
    assert names and all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names), names
    assert len(names) == len(set(names))

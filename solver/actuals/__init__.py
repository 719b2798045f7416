"""What the pairs actually delivered each year (actuals), its assessment, and the pair's own plan."""

from solver.actuals.assess import AssessmentReport, CountyScore, Measure, assess, owed
from solver.actuals.table import (
    ACTUAL_COLUMNS,
    Actual,
    actuals_template,
    canonical_actuals,
    delivered_rows,
    plan_rows,
    read_actuals_csv,
)

__all__ = [
    "ACTUAL_COLUMNS",
    "Actual",
    "AssessmentReport",
    "CountyScore",
    "Measure",
    "actuals_template",
    "assess",
    "canonical_actuals",
    "delivered_rows",
    "owed",
    "plan_rows",
    "read_actuals_csv",
]

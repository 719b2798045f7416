"""The roster: typed tables of every party, their CSV form, and the one validation path."""

from solver.roster.fields import (
    AreaType,
    InstituteLevel,
    Location,
    Role,
    Stage,
    UniversityKind,
    UniversityLevel,
    UniversityRole,
    Zone,
)
from solver.roster.io import (
    load_roster,
    records_from_csv,
    records_from_rows,
    roster_from_texts,
    table_csv,
    table_rows,
    write_roster,
)
from solver.roster.models import Roster, Table, columns
from solver.roster.parties import Area, City, Institute, School, University
from solver.roster.row import RosterRow
from solver.roster.summary import counts, summary
from solver.roster.validate import Record, validate_roster

__all__ = [
    "Area",
    "AreaType",
    "City",
    "Institute",
    "InstituteLevel",
    "Location",
    "Record",
    "Role",
    "Roster",
    "RosterRow",
    "School",
    "Stage",
    "Table",
    "University",
    "UniversityKind",
    "UniversityLevel",
    "UniversityRole",
    "Zone",
    "columns",
    "counts",
    "load_roster",
    "records_from_csv",
    "records_from_rows",
    "roster_from_texts",
    "summary",
    "table_csv",
    "table_rows",
    "validate_roster",
    "write_roster",
]

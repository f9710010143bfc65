"""CSV text that a spreadsheet opens as data: no cell can start a formula.

Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, and drop a leading tab or carriage return before
looking (so ``\\t=1+1`` becomes live). As OWASP recommends against CSV injection, a
text cell that begins with one of those characters is written with a leading ``'``,
which the spreadsheet shows as text; numbers stay numbers (a negative number is a
number column's value, not text). A carriage return inside a text cell becomes a line
feed, which the CSV writer quotes (a bare CR would end the row in most readers). Every
CSV the app writes goes through :func:`csv_text`.
"""

from __future__ import annotations

import pandas as pd

#: Characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Parameters
    ----------
    value : object
        One cell; anything that is not a string is returned unchanged.

    Returns
    -------
    object
        The cell as it is safe to write.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula (numbers unchanged).

    Column names are text cells too (the header row) and are neutralised the same way.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame, **to_csv) -> str:
    """``frame`` as CSV text (no index) with every text cell neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write.
    **to_csv
        Passed on to :meth:`pandas.DataFrame.to_csv` (e.g. ``float_format``).

    Returns
    -------
    str
        The CSV text, newline ``\\n``.
    """
    to_csv.setdefault("index", False)
    return neutralise_formulas(frame).to_csv(**to_csv)

"""Spreadsheet library: reading workbooks and CSV files (reader) and writing .xlsx as a stream
(stream). It knows nothing of the roster; tongxin.io and the domain apps pass their sheets and
columns in."""

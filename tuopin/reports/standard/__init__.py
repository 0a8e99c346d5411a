"""Standard reports (标准报表) as ``.xlsx``: one shared writer (``workbook``) and the reports (``tables``)."""

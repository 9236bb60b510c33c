"""Writes of governance, one module per concept:

- ``rules``: the constitution's rules and the positions (organization admins only).
- ``offices``: terms of office (started, ended; never deleted).
- ``receipts``: numbered receipts for dues payments.
- ``meetings``: meetings, attendance, resolutions, action items, minutes and their versions.
- ``reports``: the annual report to members and its frozen versions.
- ``rights``: her export, erasure and the merge of her two records.
"""

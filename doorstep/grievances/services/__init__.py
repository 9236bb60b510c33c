"""Every write about grievances, and every read of what is sealed, one module per concept. What may
name a person is sealed under the case's key; reading it is audited.

- ``cases``: a case opened, changed, moved on; its summary and narrative read.
- ``timeline``: the actions and deadlines of a case, and its whole timeline read at once.
- ``remedies``: what was won (money, orders restored, rates raised).
- ``evidence``: files attached to a case.
- ``intake``: reports sent without an account through a public link, and their review.
- ``sharing``: escalation to a company: sharing a case, what the company sees, its replies and commitments.
- ``reminders``: e-mails about deadlines due.
- ``rights``: a member's rights over her cases (export, erasure, merge), registered with core.rights.
- ``_common``: reading ids from a list or a text.
"""

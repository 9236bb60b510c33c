"""Every write about members, and every read of her personal data (audited), one module per concept.

- ``validation``: ``clean_member()``, the one validator of member input, and phone and ID normalization.
- ``registry``: registering members (one, or an import's batch) and editing them, her own corrections too.
- ``identifiers``: blind-indexed phone and ID numbers, and the refusal of a certain duplicate.
- ``duplicates``: possible duplicates (similar names in one place), merging a pair, dismissing one.
- ``dues``: dues payments.
- ``consent``: consent given or withdrawn, per purpose.
- ``logins``: her own login (phone number and PIN).
- ``pii``: her personal data: what is sealed, and every audited read of it.
- ``rights``: her rights: the export of everything held about her, and her erasure.
"""

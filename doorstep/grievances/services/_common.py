"""Reading ids from a list or from text such as "12, 15 17", shared by the case and remedy validators."""


def _ids(value) -> list[int]:
    """Ids from a list, or from text "12, 15 17"; anything not a whole number is kept out (and
    reported by the caller, which compares counts)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    found = []
    for item in value:
        item = getattr(item, "pk", item)
        try:
            found.append(int(item))
        except (TypeError, ValueError):
            found.append(-1)
    return found

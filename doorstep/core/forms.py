from django import forms

from .errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: next to the field it names, else at the top."""
    placed = False
    for field_error in error.errors:
        name = field_error.field.rsplit(".", 1)[-1]
        if name in form.fields:
            form.add_error(name, field_error.message)
        else:  # a field the page does not show (or shows under another name): at the top, not lost
            form.add_error(None, field_error.message)
        placed = True
    if not placed:
        form.add_error(None, error.message)

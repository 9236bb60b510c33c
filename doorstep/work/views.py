from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from doorstep.core.errors import DomainError

from . import rates
from .forms import FairRateForm


@login_required
def fair_rate(request):
    """The fair piece-rate calculator; the result shows the formula with the numbers used."""
    form = FairRateForm(request.POST or None)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["method"] == "rated_output":
                result = rates.rated_output(
                    hourly_wage=data["hourly_wage"],
                    currency=data["currency"],
                    uplift=data["uplift"],
                    samples=form.sample_rows(),
                )
            else:
                result = rates.standard_minutes(
                    sam=data["sam"],
                    hourly_wage=data["hourly_wage"],
                    currency=data["currency"],
                    efficiency=data["efficiency"],
                    cost_per_piece=data["cost_per_piece"],
                )
        except DomainError as error:
            problems = [(e.field, e.message) for e in error.errors]
    status = 422 if problems or form.errors else 200
    return render(
        request, "work/fair_rate.html", {"form": form, "result": result, "problems": problems}, status=status
    )

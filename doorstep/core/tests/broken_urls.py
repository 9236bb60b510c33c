"""The project's URLs plus one API route that fails, to see what a server error looks like under
/api/v1/ (the error handlers are the real ones: ``core.api.install_error_handlers``)."""

from django.urls import path
from ninja import NinjaAPI

from doorstep.core.api import install_error_handlers, install_input_checks
from doorstep.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401 - Django reads them

broken = NinjaAPI(urls_namespace="broken_api", auth=None)
install_error_handlers(broken)
install_input_checks(broken)


@broken.get("/fails")
def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/broken/", broken.urls), *urlpatterns]

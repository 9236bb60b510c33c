"""One shape for every file Doorstep hands to a browser or a script: the right response for what the
content is (bytes, an open file, or an iterator to stream), ``Content-Disposition: attachment`` with
the file name encoded as RFC 6266 asks, and no caching (what Doorstep sends as a file is data)."""

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header


def attachment(content, *, content_type: str, filename: str) -> HttpResponse:
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response

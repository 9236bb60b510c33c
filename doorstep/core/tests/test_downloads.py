"""Every download has the same headers: an attachment with its name encoded, and no caching."""

import io

from doorstep.core import downloads


def test_bytes_files_and_streams_become_private_attachments():
    for content in (b"a,b\n", io.BytesIO(b"a,b\n"), iter(["a,b\n"])):
        response = downloads.attachment(content, content_type="text/csv", filename="x.csv")
        assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
        assert response["Cache-Control"] == "no-store"
    response = downloads.attachment(b"", content_type="text/csv", filename="Données é.csv")
    assert "filename*=utf-8''Donn%C3%A9es%20%C3%A9.csv" in response["Content-Disposition"]

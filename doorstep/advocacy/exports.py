"""A report version as a printable PDF (core.pdf) and as a Word file (python-docx), from the frozen
content of the version: what is exported is exactly what was saved."""

import io

import docx
from django.utils.translation import gettext as _
from docx.shared import Pt

from doorstep.core import pdf


def _lines(content: dict):
    """(kind, payload) in reading order, shared by both formats."""
    yield "title", content["title"]
    yield (
        "meta",
        [
            _("To: %(to)s") % {"to": content["addressed_to"]},
            _("From: %(organization)s") % {"organization": content["organization"]},
            _("On the application of the %(convention)s in %(country)s")
            % {
                "convention": content["convention_label"],
                "country": content["country_name"],
            },
        ],
    )
    for section in content["sections"]:
        yield "heading", section["heading"]
        if section["kind"] == "legal":
            if not section["facts"]:
                yield "paragraph", _("The legal tracker has no fact recorded for this country yet.")
            for fact in section["facts"]:
                source = fact["source"] + (f" ({fact['as_of']})" if fact["as_of"] else "")
                yield "paragraph", f"{fact['label']}: {fact['text']}"
                yield "small", _("Source: %(source)s") % {"source": source}
        elif section["kind"] == "evidence":
            if section.get("reason"):
                yield "paragraph", section["reason"]
            else:
                yield "table", section["table"]
            for note in section["notes"]:
                yield "small", note
        elif section["kind"] == "testimony":
            yield "quote", f"“{section['quote']}”"
            yield "small", f"— {section['speaker']}"
        else:
            yield "paragraph", section["text"]


def report_pdf(version) -> bytes:
    content = version.content
    document = pdf.Document(
        content["title"],
        footer=_("Version %(number)s · %(date)s")
        % {"number": version.number, "date": content["composed_on"]},
    )
    for kind, payload in _lines(content):
        if kind == "title":
            continue
        if kind == "meta":
            for line in payload:
                document.paragraph(line, small=True)
        elif kind == "heading":
            document.heading(payload)
        elif kind == "table":
            document.table(payload["header"], payload["rows"])
        elif kind == "small":
            document.paragraph(payload, small=True)
        else:
            document.paragraph(payload)
    return document.pdf()


def report_docx(version) -> bytes:
    content = version.content
    document = docx.Document()
    document.core_properties.title = content["title"]
    document.core_properties.author = content["organization"]
    for kind, payload in _lines(content):
        if kind == "title":
            document.add_heading(payload, level=0)
        elif kind == "meta":
            for line in payload:
                document.add_paragraph(line)
        elif kind == "heading":
            document.add_heading(payload, level=1)
        elif kind == "table":
            table = document.add_table(rows=1, cols=len(payload["header"]))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, payload["header"], strict=True):
                cell.text = text
            for values in payload["rows"]:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=False):
                    cell.text = str(text)
        elif kind == "quote":
            document.add_paragraph(payload, style="Quote")
        elif kind == "small":
            run = document.add_paragraph().add_run(payload)
            run.font.size = Pt(8)
        else:
            for block in str(payload).split("\n\n"):
                document.add_paragraph(block.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""XForms: what pyxform makes of an XLSForm, and how a submission's XML becomes a record.

Submissions are parsed with ``defusedxml`` (no entity expansion, no external entities: an XML bomb
is refused, not expanded). A record flattens groups into ``/``-separated paths
(``household/size``) and keeps each repeat as a list of records relative to it.
"""

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from doorstep.core.errors import ValidationError

CONTAINERS = {"group", "repeat", "survey"}
# How deep a submission's elements may nest: real forms nest groups and repeats a few levels; the
# readers below recurse once a level, so a hostile instance must be refused before they run.
MAX_DEPTH = 100
MEDIA_TYPES = {"image", "photo", "audio", "video", "file", "background-audio", "background-geopoint"}


@dataclass(frozen=True)
class Converted:
    form_id: str
    version: str
    title: str
    xml: str
    structure: dict
    warnings: list[str]

    @classmethod
    def from_pyxform(cls, result) -> "Converted":
        survey = result._survey
        return cls(
            form_id=str(survey.id_string)[:255],
            version=str(survey.version or "")[:100],
            title=str(survey.title or survey.id_string)[:255],
            xml=result.xform,
            structure=survey.to_json_dict(),
            warnings=[w for w in result.warnings or [] if w],
        )


def _walk(node: dict, prefix: str = ""):
    """(path, node) for every question and container below ``node`` (choices are not walked)."""
    for child in node.get("children", []) or []:
        if "type" not in child:
            continue  # a choice of a select question
        path = f"{prefix}{child['name']}"
        yield path, child
        if child["type"] in CONTAINERS:
            yield from _walk(child, f"{path}/")


def field_paths(structure: dict) -> list[str]:
    return [path for path, node in _walk(structure) if node["type"] not in CONTAINERS]


def repeat_paths(structure: dict) -> set[str]:
    return {path for path, node in _walk(structure) if node["type"] == "repeat"}


def media_paths(structure: dict) -> set[str]:
    return {path for path, node in _walk(structure) if node["type"] in MEDIA_TYPES}


def answers_at(records: list[dict], path: str) -> list:
    """The answers to ``path`` across records, looking inside repeats for a path below one."""
    found = []
    for record in records:
        if path in record:
            found.append(record[path])
            continue
        for key, value in record.items():
            if isinstance(value, list) and path.startswith(f"{key}/"):
                found += answers_at(value, path[len(key) + 1 :])
    return found


def label_in(label, language: str) -> str:
    """A question's or choice's label in ``language`` where the form has it (pyxform gives a dict
    per language for multilingual forms), else its first label."""
    if isinstance(label, dict):
        return next((v for k, v in label.items() if k.lower().startswith(language)), None) or next(
            iter(label.values()), ""
        )
    return label or ""


def questions(structure: dict) -> list[dict]:
    """The questions in form order: path, type, label (per language where the form has several)."""
    return [
        {
            "path": path,
            "type": node["type"],
            "label": node.get("label", ""),
            "choices": node.get("children") or [],
        }
        for path, node in _walk(structure)
        if node["type"] not in CONTAINERS
    ]


@dataclass
class Parsed:
    root: Any
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _bad(message: str) -> ValidationError:
    return ValidationError.for_field("xml_submission_file", message, code="bad_submission")


def _depth(root) -> int:
    """How many levels deep the tree goes (walked without recursion)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in element)
    return deepest


def parse_submission(xml: bytes) -> Parsed:
    if not xml:
        raise _bad(_("The submission has no xml_submission_file."))
    try:
        root = SafeTree.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException:
        raise _bad(_("The submission's XML declares entities or a DTD; Doorstep refuses those.")) from None
    except SafeTree.ParseError as error:
        raise _bad(
            _("The submission's XML is not well-formed (%(where)s).") % {"where": str(error)}
        ) from None
    if _depth(root) > MAX_DEPTH:
        raise _bad(
            _("The submission's XML is nested more than %(levels)s levels deep.") % {"levels": MAX_DEPTH}
        )
    form_id = root.get("id") or ""
    if not form_id:
        raise _bad(_("The submission does not say which form it answers (no id on its root element)."))
    meta = {}
    for element in root:
        if _local(element.tag) == "meta":
            meta = {_local(child.tag): (child.text or "").strip() for child in element}
    instance_id = meta.get("instanceID", "")
    if not instance_id:
        raise _bad(_("The submission has no meta/instanceID."))
    if len(instance_id) > 120:
        raise _bad(_("The submission's instanceID is too long."))
    return Parsed(
        root=root,
        form_id=form_id,
        version=root.get("version") or "",
        instance_id=instance_id,
        deprecated_id=meta.get("deprecatedID", "")[:120],
    )


def _answer(element) -> str:
    """A leaf's answer exactly as the phone sent it (a text may begin with a newline); an element
    holding only whitespace (an empty group, indentation) answers nothing."""
    text = element.text or ""
    return text if text.strip() else ""


def to_record(root, structure: dict) -> dict:
    """The submission as a flat record: ``{"group/question": "answer", "repeat": [{...}, ...]}``."""
    repeats = repeat_paths(structure)

    def fill(element, prefix: str, record: dict) -> None:
        for child in element:
            name = _local(child.tag)
            path = f"{prefix}{name}"
            if path in repeats:
                item: dict = {}
                _fill_relative(child, path, item)
                record.setdefault(path, []).append(item)
            elif len(child):
                fill(child, f"{path}/", record)
            else:
                record[path] = _answer(child)

    def _fill_relative(element, repeat_path: str, item: dict) -> None:
        for child in element:
            name = _local(child.tag)
            full = f"{repeat_path}/{name}"
            if full in repeats:
                inner: dict = {}
                _fill_relative(child, full, inner)
                item.setdefault(name, []).append(inner)
            elif len(child):
                _fill_group(child, full, f"{name}/", item)
            else:
                item[name] = _answer(child)

    def _fill_group(element, full: str, relative: str, item: dict) -> None:
        for child in element:
            name = _local(child.tag)
            child_full, child_relative = f"{full}/{name}", f"{relative}{name}"
            if child_full in repeats:
                inner: dict = {}
                _fill_relative(child, child_full, inner)
                item.setdefault(child_relative, []).append(inner)
            elif len(child):
                _fill_group(child, child_full, f"{child_relative}/", item)
            else:
                item[child_relative] = _answer(child)

    record: dict = {}
    fill(root, "", record)
    return record


def attachment_names(record: dict, structure: dict) -> list[str]:
    """File names the record refers to in its image, audio, video and file questions."""
    media = media_paths(structure)
    return sorted(
        {value for path, value in record.items() if path in media and isinstance(value, str) and value}
    )


def to_xml(record: dict, structure: dict, *, form_id: str, version: str) -> bytes:
    """The XForm instance a phone would have sent for ``record`` (the inverse of ``to_record``): used
    for submissions imported from other systems, so every submission has its XML."""
    root = Element(structure.get("name") or "data", {"id": form_id, "version": version})

    def fill(parent, node: dict, values: dict, relative: str) -> None:
        for child in node.get("children", []) or []:
            if "type" not in child:
                continue
            name = child["name"]
            key = f"{relative}{name}"
            if child["type"] == "repeat":
                for item in values.get(key) or []:
                    fill(SubElement(parent, name), child, item, "")
            elif child["type"] in CONTAINERS:
                fill(SubElement(parent, name), child, values, f"{key}/")
            else:
                element = SubElement(parent, name)
                value = values.get(key)
                if value not in (None, ""):
                    element.text = str(value)

    fill(root, structure, record, "")
    return b'<?xml version="1.0"?>' + tostring(root, encoding="unicode").encode()

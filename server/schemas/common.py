"""Fields and base schemas every API schema builds on."""

import re
import unicodedata
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from server.i18n import N_

# A UTF-16 surrogate code point on its own ("\ud800" in JSON) is not a character: no database or
# encoder can store it. Paired ones arrive already combined by the JSON parser.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_paths(value, path: str = "") -> list[str]:
    """Where in a loaded body a lone surrogate sits (in a key or a string value, at any depth)."""
    if isinstance(value, str):
        return [path or "_body"] if _SURROGATE.search(value) else []
    found = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                found.append(path or "_body")
            else:
                found += _surrogate_paths(item, key_path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _surrogate_paths(item, f"{path}.{index}" if path else str(index))
    return found


class Text(fields.String):
    """A string PostgreSQL can store: NUL characters are refused with a clear message."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Tekst mag geen NUL-teken bevatten.")
        return value


class Line(Text):
    """A name on one line (a team, a person): it ends up in e-mail subjects and headers, where a
    CR/LF would break the message or add a header. Control characters and line separators refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
            raise ValidationError("Een naam past op één regel, zonder tabs of regeleinden.")
        return value


def text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs) -> Text:
    """Optional text fields accept "" or may be omitted (API.md); required ones need min_length."""
    options = {"validate": validate.Length(min=min_length, max=max_length)}
    if not required:
        options["load_default"] = kwargs.pop("load_default", "")
    return Text(required=required, **options, **kwargs)


def whole(**kwargs) -> fields.Integer:
    """An integer in a JSON body: 2.5 (or true) is an error, not silently 2 (or 1)."""
    return fields.Integer(strict=True, error_messages={"invalid": N_("Vul een geheel getal in.")}, **kwargs)


class StrictSchema(Schema):
    """Unknown fields are an error (marshmallow's RAISE), stated explicitly so nobody loosens it.

    Every input schema derives from this one, so invalid Unicode is refused here, once, for every text
    field (and key) of every body and query: 422 instead of a 500 deep in hashing or the database.
    """

    class Meta:
        unknown = "raise"
        ordered = True

    @pre_load
    def _refuse_lone_surrogates(self, data, **_):
        paths = _surrogate_paths(data)
        if paths:
            # Named first: pybabel skips a message inside a comprehension inside a keyword call.
            message = N_("Ongeldig teken (losse surrogaat) in de tekst.")
            raise ValidationError({path: [message] for path in paths})
        return data


# A larger page makes an OFFSET beyond the database's 64-bit integers: a 500 instead of an empty page.
MAX_PAGE = 1_000_000


class PageArgs(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageSchema(Schema):
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer()


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A list response schema: {"items": [...], "page", "page_size", "total"}."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema))})


def values_of(schema: type[Schema], row, **computed) -> dict:
    """The answer for `row` as `schema` lists it: each field read off the row now, or from `computed`.

    The schema is the one list of an answer's fields. A view calls this before commit (which would
    expire the row and cost a SELECT per read-back); flask-smorest's @blp.response then dumps it,
    or the view answers it as it is (server.api.answered: the values already have their JSON types).
    """
    return {
        name: computed[name] if name in computed else getattr(row, name) for name in schema._declared_fields
    }

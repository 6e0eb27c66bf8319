"""Fields and base schemas every API schema builds on."""

from marshmallow import Schema, ValidationError, fields, validate


class Text(fields.String):
    """A string PostgreSQL can store: NUL characters are refused with a clear message."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Tekst mag geen NUL-teken bevatten.")
        return value


def text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs) -> Text:
    """Optional text fields accept "" or may be omitted (API.md); required ones need min_length."""
    options = {"validate": validate.Length(min=min_length, max=max_length)}
    if not required:
        options["load_default"] = kwargs.pop("load_default", "")
    return Text(required=required, **options, **kwargs)


class StrictSchema(Schema):
    """Unknown fields are an error (marshmallow's RAISE), stated explicitly so nobody loosens it."""

    class Meta:
        unknown = "raise"
        ordered = True


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

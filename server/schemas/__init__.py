"""marshmallow schemas for request and response bodies, one module per API area."""

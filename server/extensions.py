"""Every Flask extension instance, created once and bound in create_app() (the API's: server/api/openapi.py)."""

from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

from server.net import client_ip

# Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Shared by db (create_all, Flask-Migrate) and the models' typed base (server/models/base.py).
metadata = MetaData(naming_convention=NAMING)

db = SQLAlchemy(metadata=metadata)
migrate = Migrate(render_as_batch=True)
limiter = Limiter(key_func=client_ip, default_limits=[], headers_enabled=True)

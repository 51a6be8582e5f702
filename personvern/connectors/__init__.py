"""External data sources: SQL datasets described declaratively (``spec``), reached through
SQLAlchemy Core (``sql``), stored versioned and audited (``services``)."""

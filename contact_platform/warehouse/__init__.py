"""PostgreSQL warehouse: embedded server lifecycle, connections and bulk loading."""

"""Operations: the supervisor, JSON logs in one folder, Prometheus metrics (issue "Operations")."""

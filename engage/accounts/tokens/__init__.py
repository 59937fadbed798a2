"""Personal access tokens: how a script reads (or writes) through the API as one of its
owner's organisations, without a browser (ADR 0026)."""

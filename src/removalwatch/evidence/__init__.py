"""Evidence: what the stored claims, statements and flights say together."""

"""Reading Arabic text: the one normalizer, sentences and clauses, lexicons, dates."""

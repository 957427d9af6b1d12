"""Reports: sources (files, URLs, feeds) → text → documents → extraction."""
